/**
 * The edit dialogs (modals). Each carries the table, the version it was opened on and where to report back in
 * `private_metadata`; inputs have Slack-side length caps, and the server checks again (field errors).
 */
import { EDIT_LIMITS } from '../core/edits';
import type { TableCard } from '../core/table-card';
import type { ModalMetadata } from './blocks-actions';
import { INPUT, VIEW } from './blocks-actions';
import type { Block, ModalView } from './blocks-common';
import { BLOCK_LIMITS, context, section } from './blocks-common';
import { COLUMNS_PER_PAGE } from './table-card';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { messagesFor, t, type Lang } from '../text/catalogue';

/** Column inputs per dialog: the card's column page, well inside a modal's 100 blocks and its metadata's 3000 characters. */
export const COLUMNS_PER_DIALOG = COLUMNS_PER_PAGE;

const SLACK_INPUT_MAX = 3000;

function textInput(blockId: string, label: string, options: { initial?: string; multiline?: boolean; max: number; placeholder?: string; optional?: boolean; hint?: string }): Block {
  const initial = options.initial ?? '';
  const max = Math.min(SLACK_INPUT_MAX, Math.max(options.max, initial.length));
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: { type: 'plain_text', text: truncate(label, 2000), emoji: true },
    ...(options.hint ? { hint: { type: 'plain_text', text: truncate(options.hint, 2000) } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: INPUT.value,
      multiline: options.multiline ?? false,
      max_length: max,
      ...(initial ? { initial_value: initial.slice(0, max) } : {}),
      ...(options.placeholder ? { placeholder: { type: 'plain_text', text: truncate(options.placeholder, 150) } } : {}),
    },
  };
}

function modal(callbackId: string, title: string, meta: ModalMetadata, blocks: Block[], lang: Lang): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: truncate(title, BLOCK_LIMITS.viewTitle) },
    submit: { type: 'plain_text', text: t(lang, 'modal.save') },
    close: { type: 'plain_text', text: t(lang, 'modal.cancel') },
    private_metadata: encodeMetadata(meta),
    blocks,
  };
}

/** Metadata as JSON within Slack's 3000 characters (the response_url is dropped first if it would not fit). */
export function encodeMetadata(meta: ModalMetadata): string {
  const json = JSON.stringify(meta);
  if (json.length <= BLOCK_LIMITS.privateMetadata) return json;
  const { ru: _ru, ...rest } = meta;
  return JSON.stringify(rest);
}

function intro(card: Pick<TableCard, 'title' | 'key'>, text: string): Block[] {
  return [section(`*${escapeMrkdwn(card.title)}*\n${text}`), context([`\`${escapeMrkdwn(card.key)}\``])];
}

export function editDescriptionModal(card: TableCard, meta: ModalMetadata, lang: Lang = 'en'): ModalView {
  const m = messagesFor(lang);
  const from = card.descriptionFrom === 'source' ? m('modal.description.fromSource') : m('modal.description.logged');
  return modal(
    VIEW.editDescription,
    m('modal.description.title'),
    meta,
    [...intro(card, from), textInput(INPUT.description, m('modal.description.label'), { initial: card.description, multiline: true, max: EDIT_LIMITS.description, placeholder: m('modal.description.placeholder') })],
    lang,
  );
}

/** Dialog for the column descriptions of one page of columns (`page` of COLUMNS_PER_DIALOG). */
export function editColumnsModal(card: TableCard, meta: Omit<ModalMetadata, 'cols'>, page: number, lang: Lang = 'en'): ModalView {
  const m = messagesFor(lang);
  const start = Math.max(0, Math.min(page, Math.ceil(card.columns.length / COLUMNS_PER_DIALOG) - 1)) * COLUMNS_PER_DIALOG;
  const cols = card.columns.slice(start, start + COLUMNS_PER_DIALOG);
  // The dialog edits the columns it names in its metadata: fewer of them when long names would not fit.
  while (cols.length > 1 && JSON.stringify({ ...meta, cols: cols.map((c) => c.name) }).length > BLOCK_LIMITS.privateMetadata) cols.pop();
  const blocks: Block[] = intro(card, cols.length ? m('modal.columns.range', { from: start + 1, to: start + cols.length, total: card.columns.length }) : m('modal.columns.none'));
  cols.forEach((c, i) => blocks.push(textInput(`${INPUT.columnPrefix}${i}`, `${c.name} (${c.type})`, { initial: c.description, multiline: true, max: EDIT_LIMITS.columnDescription, optional: true })));
  return modal(VIEW.editColumns, m('modal.columns.title'), { ...meta, cols: cols.map((c) => c.name) }, blocks, lang);
}

export function editTagsModal(card: TableCard, meta: ModalMetadata, lang: Lang = 'en'): ModalView {
  const m = messagesFor(lang);
  return modal(
    VIEW.editTags,
    m('modal.tags.title'),
    meta,
    [...intro(card, m('modal.tags.intro')), textInput(INPUT.tags, m('modal.tags.label'), { initial: card.tags.join(', '), max: EDIT_LIMITS.listText, placeholder: 'latency, network, country', hint: m('modal.tags.hint', { max: EDIT_LIMITS.maxTags }), optional: true })],
    lang,
  );
}

export function editOwnersModal(card: TableCard, meta: ModalMetadata, lang: Lang = 'en'): ModalView {
  const m = messagesFor(lang);
  return modal(
    VIEW.editOwners,
    m('modal.owners.title'),
    meta,
    [...intro(card, m('modal.owners.intro')), textInput(INPUT.owners, m('modal.owners.label'), { initial: card.owners.map((o) => o.id).join(', '), max: EDIT_LIMITS.listText, placeholder: 'jiwoo.kim, minsu.lee', hint: m('modal.owners.hint') })],
    lang,
  );
}
