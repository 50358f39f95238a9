import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import * as alertChangeList from './alert-change-list';
import * as alertMute from './alert-mute';
import * as alertOpenCard from './alert-open-card';
import * as alertOwnerDmOptOut from './alert-owner-dm-opt-out';
import * as alertUnmute from './alert-unmute';
import * as bookmark from './bookmark';
import * as browseTag from './browse-tag';
import * as columnsPage from './columns-page';
import * as editColumns from './edit-columns';
import * as editDescription from './edit-description';
import * as editOwners from './edit-owners';
import * as editTags from './edit-tags';
import * as history from './history';
import * as openCard from './open-card';
import * as revert from './revert';
import * as searchPage from './search-page';
import * as share from './share';
import * as subscribe from './subscribe';
import * as tagPage from './tag-page';
import * as unknown from './unknown';

export function register(app: App, deps: SlackDeps): void {
  for (const m of [searchPage, tagPage, browseTag, share, openCard, columnsPage, editDescription, editColumns, editTags, editOwners, bookmark, subscribe, history, revert, alertOpenCard, alertMute, alertUnmute, alertChangeList, alertOwnerDmOptOut, unknown]) m.register(app, deps);
}
