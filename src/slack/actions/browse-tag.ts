import type { App } from '@slack/bolt';
import { tagPage } from '../../core/data-command';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { searchBlocks } from '../../render/blocks-search';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';

/** A tag button (Home tab): the tables with that tag. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.browseTag, async ({ action, body, client }, reply) => {
    const v = decodeValue('tag', action.value);
    const page = await tagPage(v.t, 0, deps);
    await reply.ephemeral(searchBlocks(page, { now: deps.now(), timeZone: deps.timeZone, lang: await replyLang(deps, client, body.user.id), shareable: false, tag: v.t }));
  });
}
