import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { tableCard, type TableCard } from '../../core/table-card';
import { UserError } from '../../domain/errors';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { answerMessages } from '../../render/messages/answers';
import { tableCardBlocks, tableCardModal } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { stripNul } from '../../text/mrkdwn';
import { replyLang, replyLangNow } from '../deps';
import type { Lang } from '../../text/catalogue';

/** The card of a table a button named; a table that left the catalog since is a `UserError` that says so. */
export async function cardOrGone(key: string, deps: SlackDeps, lang: Lang = 'en'): Promise<TableCard> {
  try {
    return await tableCard(key, deps);
  } catch (err) {
    if (err instanceof UserError && err.code === 'unknown_table') throw new UserError('table_gone', answerMessages[lang].tableGone(key), { tableKey: key });
    throw err;
  }
}

/**
 * Shows a card in a modal for a click in a view: App Home opens one (`views.open`, inside the trigger's 3 s), a
 * modal gets it pushed on top (`views.push`). Returns false for a click in a message.
 */
export async function openCardModal(card: TableCard, body: BlockAction, client: WebClient, deps: SlackDeps): Promise<boolean> {
  if (!body.view) return false;
  const view = stripNul(tableCardModal(card, { now: deps.now(), timeZone: deps.timeZone, lang: replyLangNow(deps, client, body.user.id) }));
  if (body.view.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
  else await client.views.open({ trigger_id: body.trigger_id, view });
  return true;
}

/** "Open" beside a result: the table's card, for the person who clicked (in a modal when clicked in App Home). */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.openCard, async ({ action, body, client }, reply) => {
    const v = decodeValue('table', action.value);
    const card = await cardOrGone(v.key, deps, replyLangNow(deps, client, body.user.id));
    if (await openCardModal(card, body, client, deps)) return;
    await reply.ephemeral(tableCardBlocks(card, { now: deps.now(), timeZone: deps.timeZone, shareable: reply.isEphemeral, lang: await replyLang(deps, client, body.user.id) }));
  });
}
