import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { prepareEdit } from '../../core/edits';
import { tableCardOf, type TableCard } from '../../core/table-card';
import { CARD_VIEW, decodeValue, type ModalMetadata } from '../../render/blocks-actions';
import type { ModalView } from '../../render/blocks-common';
import { replyLangNow, type SlackDeps } from '../deps';
import { onButton } from './button';
import { stripNul } from '../../text/mrkdwn';
import type { Lang } from '../../text/catalogue';

/** Builds an edit dialog from the card it edits and the metadata it carries. */
export type EditorBuilder = (card: TableCard, meta: ModalMetadata, lang: Lang) => ModalView;

/**
 * Opens an edit dialog for a click on a card: checks the policy first (a person who may not edit is told so, no
 * dialog), then opens the dialog right away, inside the trigger's 3 s. The dialog carries the version of the card it
 * came from, the card's response_url and its channel (to confirm a save there when the response_url has expired).
 */
export async function openEditor(target: { key: string; v: number; cp?: number }, body: BlockAction, client: WebClient, deps: SlackDeps, build: EditorBuilder): Promise<void> {
  const { table } = await prepareEdit(target.key, body.user.id, deps);
  const card = await tableCardOf(table, deps);
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  const meta: ModalMetadata = {
    key: target.key,
    v: target.v,
    ...(target.cp !== undefined ? { cp: target.cp } : {}),
    ...(body.response_url ? { ru: body.response_url } : {}),
    ...(channel && /^[CDG][A-Z0-9]+$/.test(channel) ? { ch: channel } : {}),
    ...(body.view?.type === 'modal' && body.view.callback_id === CARD_VIEW && /^V[A-Z0-9]+$/.test(body.view.id) ? { vw: body.view.id } : {}),
  };
  // From inside a modal (a card opened from App Home) the dialog is pushed onto it; elsewhere it opens.
  // the cached language only: the trigger expires in 3 s
  const view = stripNul(build(card, meta, replyLangNow(deps, client, body.user.id)));
  if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
  else await client.views.open({ trigger_id: body.trigger_id, view });
}

/** An "Edit ..." button (cards rendered before the overflow menu, and cards whose key is too long for it). */
export function onEditButton(app: App, deps: SlackDeps, base: string, build: EditorBuilder): void {
  onButton(app, deps, base, async ({ action, body, client }) => {
    await openEditor(decodeValue('edit', action.value), body, client, deps, build);
  });
}
