import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import * as askNansen from './ask-nansen';

export function register(app: App, deps: SlackDeps): void {
  askNansen.register(app, deps);
}
