import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import * as appHomeOpened from './app-home-opened';
import * as appMention from './app-mention';
import * as messageIm from './message-im';
import * as messageThread from './message-thread';
import * as linkShared from './link-shared';

export function register(app: App, deps: SlackDeps): void {
  appMention.register(app, deps);
  messageIm.register(app, deps);
  messageThread.register(app, deps);
  appHomeOpened.register(app, deps);
  linkShared.register(app, deps);
}
