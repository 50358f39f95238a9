import type { App } from '@slack/bolt';
import { searchCatalog } from '../../core/search-catalog';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { searchBlocks } from '../../render/blocks-search';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';

/** Previous / next page of search results, in place. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.searchPage, async ({ action, body, client }, reply) => {
    const v = decodeValue('searchPage', action.value);
    const page = await searchCatalog(v.q, v.p, deps);
    await reply.replace(searchBlocks(page, { now: deps.now(), timeZone: deps.timeZone, lang: await replyLang(deps, client, body.user.id), shareable: reply.isEphemeral }));
  });
}
