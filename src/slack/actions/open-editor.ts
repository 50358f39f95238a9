import type { App } from '@slack/bolt';
import { prepareEdit } from '../../core/edits';
import { tableCardOf, type TableCard } from '../../core/table-card';
import { decodeValue, type ModalMetadata } from '../../render/blocks-actions';
import type { ModalView } from '../../render/blocks-common';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { stripNul } from '../../text/mrkdwn';

/**
 * An "Edit ..." button: checks the policy first (a person who may not edit is told so, no dialog), then opens the
 * dialog right away, inside the trigger's 3 s. The dialog carries the version of the card it came from.
 */
export function onEditButton(app: App, deps: SlackDeps, base: string, build: (card: TableCard, meta: ModalMetadata) => ModalView): void {
  onButton(app, deps, base, async ({ action, body, client }) => {
    const v = decodeValue('edit', action.value);
    const { table } = await prepareEdit(v.key, body.user.id, deps);
    const card = await tableCardOf(table, deps);
    const meta: ModalMetadata = { key: v.key, v: v.v, ...(v.cp !== undefined ? { cp: v.cp } : {}), ...(body.response_url ? { ru: body.response_url } : {}) };
    await client.views.open({ trigger_id: body.trigger_id, view: stripNul(build(card, meta)) });
  });
}
