import type { App, BlockAction, OverflowAction } from '@slack/bolt';
import { tableHistory } from '../../core/edits';
import { UserError } from '../../domain/errors';
import { ACTION, actionPattern, decodeValue, type ValueOf } from '../../render/blocks-actions';
import { historyBlocks } from '../../render/blocks-history';
import { editColumnsModal, editDescriptionModal, editOwnersModal, editTagsModal } from '../../render/blocks-modals';
import type { SlackDeps } from '../deps';
import { guard, replierFor } from '../support';
import { openEditor, type EditorBuilder } from './open-editor';
import { replyLang } from '../deps';
import { t } from '../../text/catalogue';

const EDITORS: Record<Exclude<ValueOf<'cardMenu'>['a'], 'history'>, EditorBuilder> = {
  description: editDescriptionModal,
  columns: (card, meta, lang) => {
    if (!card.columns.length) throw new UserError('no_columns', t(lang, 'error.noColumns', { title: card.title }));
    return editColumnsModal(card, meta, meta.cp ?? 0, lang);
  },
  tags: editTagsModal,
  owners: editOwnersModal,
};

/** The card's overflow menu: an edit dialog (opened inside the trigger's 3 s) or the table's edit history. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<OverflowAction>>(actionPattern(ACTION.cardMenu), async (args) => {
    await args.ack();
    const reply = replierFor(args);
    await guard(deps, { listener: `action:${ACTION.cardMenu}`, user: args.body.user.id }, (r) => reply.ephemeral(r), async () => {
      const v = decodeValue('cardMenu', args.action.selected_option?.value);
      if (v.a === 'history') {
        await reply.ephemeral(historyBlocks(await tableHistory(v.key, deps), { now: deps.now(), timeZone: deps.timeZone, lang: await replyLang(deps, args.client, args.body.user.id) }));
        return;
      }
      await openEditor({ key: v.key, v: v.v, ...(v.cp !== undefined ? { cp: v.cp } : {}) }, args.body, args.client, deps, EDITORS[v.a]);
    }, args.client);
  });
}
