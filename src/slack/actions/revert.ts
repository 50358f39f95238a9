import type { App } from '@slack/bolt';
import { revertEdit, tableHistory } from '../../core/edits';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { context } from '../../render/blocks-common';
import { fieldName, historyBlocks } from '../../render/blocks-history';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';
import { t } from '../../text/catalogue';

/** "Revert" in a history: writes the old value back as a new edit, then shows the history again. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.revert, async ({ action, body, client }, reply) => {
    const v = decodeValue('revert', action.value);
    const { entry } = await revertEdit({ editId: v.id, actorSlackId: body.user.id, expectedVersion: v.v }, deps);
    const lang = await replyLang(deps, client, body.user.id);
    const h = historyBlocks(await tableHistory(entry.tableKey, deps), { now: deps.now(), timeZone: deps.timeZone, lang });
    await reply.replace({ text: t(lang, 'history.revertedText', { history: h.text }), blocks: [context([t(lang, 'history.revertedNotice', { field: fieldName(entry.field, lang) })]), ...h.blocks] });
  });
}
