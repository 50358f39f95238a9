import type { App } from '@slack/bolt';
import { tableCard } from '../../core/table-card';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { tableCardBlocks } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';

/** More / previous columns of a table card, in place. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.columnsPage, async ({ action, body, client }, reply) => {
    const v = decodeValue('columnsPage', action.value);
    await reply.replace(tableCardBlocks(await tableCard(v.key, deps), { now: deps.now(), timeZone: deps.timeZone, lang: await replyLang(deps, client, body.user.id), shareable: reply.isEphemeral, columnPage: v.cp }));
  });
}
