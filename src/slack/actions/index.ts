import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import * as alertChangeList from '../../alerts/slack/change-list';
import * as alertMute from '../../alerts/slack/mute';
import * as alertOpenCard from '../../alerts/slack/open-card';
import * as alertOwnerDmOptOut from '../../alerts/slack/owner-dm-opt-out';
import * as alertUnmute from '../../alerts/slack/unmute';
import * as bookmark from './bookmark';
import * as cardMenu from './card-menu';
import * as browseTag from './browse-tag';
import * as columnsPage from './columns-page';
import * as editColumns from './edit-columns';
import * as editDescription from './edit-description';
import * as editOwners from './edit-owners';
import * as editTags from './edit-tags';
import * as history from './history';
import * as lineagePicture from './lineage-picture';
import * as moreResults from './more-results';
import * as notWhatIMeant from './not-what-i-meant';
import * as openCard from './open-card';
import * as revert from './revert';
import * as searchPage from './search-page';
import * as share from './share';
import * as shareResult from './share-result';
import * as subscribe from '../../alerts/slack/subscribe-table';
import * as tagPage from './tag-page';
import * as unknown from './unknown';

export function register(app: App, deps: SlackDeps): void {
  for (const m of [searchPage, tagPage, browseTag, share, openCard, columnsPage, editDescription, editColumns, editTags, editOwners, cardMenu, bookmark, subscribe, lineagePicture, shareResult, notWhatIMeant, moreResults, history, revert, alertOpenCard, alertMute, alertUnmute, alertChangeList, alertOwnerDmOptOut, unknown]) m.register(app, deps);
}
