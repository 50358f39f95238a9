import type { App } from '@slack/bolt';
import { tagPage } from '../../core/data-command';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { searchBlocks } from '../../render/blocks-search';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';

/** Previous / next page of the tables with a tag, in place. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.tagPage, async ({ action, body, client }, reply) => {
    const v = decodeValue('tagPage', action.value);
    const page = await tagPage(v.t, v.p, deps);
    await reply.replace(searchBlocks(page, { now: deps.now(), timeZone: deps.timeZone, lang: await replyLang(deps, client, body.user.id), shareable: reply.isEphemeral, tag: v.t }));
  });
}
