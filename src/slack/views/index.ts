import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import * as askNansen from './ask-nansen';
import * as editColumns from './edit-columns';
import * as editDescription from './edit-description';
import * as editOwners from './edit-owners';
import * as editTags from './edit-tags';
import * as unknown from './unknown';

export function register(app: App, deps: SlackDeps): void {
  for (const m of [editDescription, editColumns, editTags, editOwners, askNansen, unknown]) m.register(app, deps);
}
