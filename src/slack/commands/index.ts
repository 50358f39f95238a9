import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import * as data from './data';
import * as other from './other';

export function register(app: App, deps: SlackDeps): void {
  data.register(app, deps);
  other.register(app, deps);
}
