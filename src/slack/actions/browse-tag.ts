import type { App } from '@slack/bolt';
import { tagPage } from '../../core/data-command';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { searchBlocks } from '../../render/blocks-search';
import type { SlackDeps } from '../deps';
import { onButton } from './button';

/** A tag button (Home tab): the tables with that tag. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.browseTag, async ({ action }, reply) => {
    const v = decodeValue('tag', action.value);
    const page = await tagPage(v.t, 0, deps);
    await reply.ephemeral(searchBlocks(page, { now: deps.now(), timeZone: deps.timeZone, shareable: false, tag: v.t }));
  });
}
