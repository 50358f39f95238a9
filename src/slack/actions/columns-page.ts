import type { App } from '@slack/bolt';
import { tableCard } from '../../core/table-card';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { tableCardBlocks, tableCardModal } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { stripNul } from '../../text/mrkdwn';
import { replyLang } from '../deps';

/** More / previous columns of a table card, in place (in its modal when the card is one). */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.columnsPage, async ({ action, body, client }, reply) => {
    const v = decodeValue('columnsPage', action.value);
    const card = await tableCard(v.key, deps);
    const lang = await replyLang(deps, client, body.user.id);
    if (body.view?.type === 'modal') {
      await client.views.update({ view_id: body.view.id, ...(body.view.hash ? { hash: body.view.hash } : {}), view: stripNul(tableCardModal(card, { now: deps.now(), timeZone: deps.timeZone, lang, columnPage: v.cp })) });
      return;
    }
    await reply.replace(tableCardBlocks(card, { now: deps.now(), timeZone: deps.timeZone, lang, shareable: reply.isEphemeral, columnPage: v.cp }));
  });
}
