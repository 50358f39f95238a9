/**
 * The table card in Block Kit: description (a person's over the source's), columns (paged), last update and
 * cadence, owners and frequent users (Slack mentions when their ids are known), tags, badges, lineage, dashboards,
 * and the buttons to edit, bookmark, subscribe and see the history. Always within a message's 50 blocks.
 */
import type { CadenceSummary } from '../core/cadence';
import type { TableCard } from '../core/table-card';
import { ACTION, CARD_VIEW, encodeValue, type ValueOf } from './blocks-actions';
import type { Block, Button, ModalView, Rendered } from './blocks-common';
import { actions, badgeText, BLOCK_LIMITS, button, context, divider, fields, fitView, header, packLines, people, person, section, slackTime, timeAgo } from './blocks-common';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { answerMessages } from './messages/answers';
import { cardMessages } from './messages/card';
import type { types } from '@slack/bolt';

export interface CardOptions {
  now: Date;
  timeZone: string;
  /** 0-based page of the column list. */
  columnPage?: number;
  shareable: boolean;
}

/** Columns listed per card page. */
export const COLUMNS_PER_PAGE = 15;
const COLUMN_DESCRIPTION_CHARS = 180;
const LINEAGE_SHOWN = 8;

export function columnPageCount(card: Pick<TableCard, 'columns'>): number {
  return Math.max(1, Math.ceil(card.columns.length / COLUMNS_PER_PAGE));
}

export function cadenceText(c: CadenceSummary | undefined): string {
  if (!c) return '_not enough loads to tell_';
  const when =
    c.label === 'hourly' && c.typicalMinute !== undefined
      ? `hourly, around :${String(c.typicalMinute).padStart(2, '0')}`
      : c.typicalTime && c.label !== 'irregular'
        ? `${c.label}, around ${c.typicalTime}`
        : c.label;
  return c.late ? `${when} · :warning: *late*` : when;
}

function lineageText(items: Array<{ title: string }>): string {
  if (!items.length) return '_none_';
  const shown = items.slice(0, LINEAGE_SHOWN).map((i) => `\`${escapeMrkdwn(i.title)}\``).join(', ');
  return items.length > LINEAGE_SHOWN ? `${shown} and ${items.length - LINEAGE_SHOWN} more` : shown;
}

/** The name to write in SQL, keeping the cluster: `raw.game_log.client_events`. */
export function sqlName(card: Pick<TableCard, 'cluster' | 'schema' | 'name'>): string {
  return [card.cluster, card.schema, card.name].filter(Boolean).join('.');
}

/** Slack's limits of an overflow menu: 2–5 options, each value at most 150 characters. */
const OVERFLOW_VALUE_MAX = 150;

/** The edit actions and history as an overflow menu, or undefined when a value would not fit (very long keys). */
function cardMenu(card: TableCard, cp: number): types.Overflow | undefined {
  const m = cardMessages.en.menu;
  const options = (Object.keys(m) as Array<ValueOf<'cardMenu'>['a']>).map((a) => ({ text: { type: 'plain_text' as const, text: m[a] }, value: encodeValue('cardMenu', { a, key: card.key, v: card.version, cp }) }));
  if (options.some((o) => o.value.length > OVERFLOW_VALUE_MAX)) return undefined;
  return { type: 'overflow', action_id: ACTION.cardMenu, options };
}

export function tableCardBlocks(card: TableCard, options: CardOptions): Rendered {
  const pages = columnPageCount(card);
  const cp = Math.min(Math.max(0, options.columnPage ?? 0), pages - 1);
  const fqn = sqlName(card);
  const blocks: Block[] = [header(fqn), section(`*${cardMessages.en.sqlName}*\n\`\`\`${escapeMrkdwn(fqn).replace(/`/g, "'")}\`\`\``)];
  const badges = badgeText(card.badges, card.deprecated);
  blocks.push(context([`\`${escapeMrkdwn(card.key)}\``, card.kind, ...(badges ? [badges] : []), ...(card.removedAt ? [`:no_entry: removed from its source ${timeAgo(card.removedAt, options.now)}`] : [])]));
  const descNote = card.descriptionFrom === 'human' ? ' _(written by people)_' : card.descriptionFrom === 'source' ? ' _(from the source)_' : '';
  blocks.push(section(card.description ? `${escapeMrkdwn(truncate(card.description, 2900))}${descNote}` : '_No description yet._ Add one with *Edit description*.'));
  const freshness = card.lastUpdated ? `${slackTime(card.lastUpdated, options.timeZone)} (${timeAgo(card.lastUpdated, options.now)})` : '_no loads observed_';
  blocks.push(
    fields([
      `*Last updated*\n${freshness}`,
      `*Cadence*\n${cadenceText(card.cadence)}`,
      `*Owners*\n${people(card.owners)}`,
      `*Frequent users*\n${card.frequentUsers.length ? card.frequentUsers.map((u) => `${person(u)} (${u.count})`).join(', ') : '_none_'}`,
      `*Tags*\n${card.tags.length ? card.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ') : '_none_'}`,
      `*Badges*\n${badges || '_none_'}`,
    ]),
  );
  blocks.push(fields([`*Upstream*\n${lineageText(card.upstream)}`, `*Downstream*\n${lineageText(card.downstream)}`]));
  if (card.dashboards.length) {
    const shown = card.dashboards.slice(0, 10).map((d) => (d.url ? `<${d.url}|${escapeMrkdwn(d.name)}>` : escapeMrkdwn(d.name)));
    blocks.push(section(`*Dashboards* ${shown.join(' · ')}${card.dashboards.length > 10 ? ` and ${card.dashboards.length - 10} more` : ''}`));
  }
  if (card.recentChanges.length) {
    const mark = { breaking: ':rotating_light:', additive: ':heavy_plus_sign:', informational: ':memo:' } as const;
    const lines = card.recentChanges.map((c) => `${mark[c.severity]} ${timeAgo(c.at, options.now)}: ${truncate(c.text, 500)}`);
    blocks.push(section(`*Recent schema changes*\n${lines.join('\n')}`));
  }
  blocks.push(divider());
  const cols = card.columns.slice(cp * COLUMNS_PER_PAGE, (cp + 1) * COLUMNS_PER_PAGE);
  const from = cp * COLUMNS_PER_PAGE + 1;
  blocks.push(section(card.columns.length ? `*Columns* ${from}–${from + cols.length - 1} of ${card.columns.length}` : '*Columns* _none known_'));
  blocks.push(...packLines(cols.map((c) => `• \`${escapeMrkdwn(c.name)}\` _${escapeMrkdwn(c.type)}_${c.description ? ` — ${escapeMrkdwn(truncate(c.description, COLUMN_DESCRIPTION_CHARS))}` : ''}`)));
  if (pages > 1) {
    const nav: Button[] = [];
    if (cp > 0) nav.push(button('◀ Previous columns', `${ACTION.columnsPage}:0`, encodeValue('columnsPage', { key: card.key, cp: cp - 1 })));
    if (cp < pages - 1) nav.push(button('More columns ▶', `${ACTION.columnsPage}:1`, encodeValue('columnsPage', { key: card.key, cp: cp + 1 })));
    blocks.push(...actions(nav, 'nansen.card.columns'));
  }
  const table = encodeValue('table', { key: card.key });
  const more: Button[] = [button(':bookmark: Bookmark', ACTION.bookmark, table), button(':bell: Subscribe to changes', ACTION.subscribe, table)];
  if (card.upstream.length || card.downstream.length || card.dashboards.length) more.push(button(':frame_with_picture: Lineage picture', ACTION.lineagePicture, table));
  if (options.shareable) more.push(button('Share in channel', ACTION.share, encodeValue('share', { k: 'card', key: card.key, cp })));
  const menu = cardMenu(card, cp);
  if (menu) {
    blocks.push({ type: 'actions', block_id: 'nansen.card.more', elements: [...more, menu] });
  } else {
    const edit = (k: string, v: number): string => encodeValue('edit', { key: k, v, cp });
    blocks.push(
      ...actions(
        [
          button('Edit description', ACTION.editDescription, edit(card.key, card.version)),
          button('Edit column descriptions', ACTION.editColumns, edit(card.key, card.version)),
          button('Edit tags', ACTION.editTags, edit(card.key, card.version)),
          button('Edit owners', ACTION.editOwners, edit(card.key, card.version)),
        ],
        'nansen.card.edit',
      ),
    );
    blocks.push(...actions([...more, button('History', ACTION.history, table)], 'nansen.card.more'));
  }
  const text = escapeMrkdwn(`${fqn}: ${card.description ? truncate(card.description, 200) : 'no description yet'}`);
  return { text, blocks };
}

/**
 * The table card in a modal (a card opened from App Home, where there is no message to reply under): the same
 * blocks within a view's 100 blocks and 250 kB, titled with the table's name when it fits Slack's 24 characters.
 */
export function tableCardModal(card: TableCard, options: Omit<CardOptions, 'shareable'> & { note?: string }): ModalView {
  const r = tableCardBlocks(card, { ...options, shareable: false });
  const blocks = options.note ? [context([options.note]), ...r.blocks] : r.blocks;
  const title = card.name.length <= BLOCK_LIMITS.viewTitle && card.name.trim() ? card.name : answerMessages.en.cardModalTitle;
  return {
    type: 'modal',
    callback_id: CARD_VIEW,
    title: { type: 'plain_text', text: title, emoji: true },
    close: { type: 'plain_text', text: 'Close', emoji: true },
    blocks: fitView(blocks, BLOCK_LIMITS.viewBlocks),
  };
}
