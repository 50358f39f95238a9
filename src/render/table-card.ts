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
import { describeChange } from '../alerts/message';
import { messagesFor, t, type Lang } from '../text/catalogue';
import type { types } from '@slack/bolt';

export interface CardOptions {
  now: Date;
  timeZone: string;
  /** 0-based page of the column list. */
  columnPage?: number;
  shareable: boolean;
  /** The reader's language (default English). */
  lang?: Lang;
}

/** Columns listed per card page. */
export const COLUMNS_PER_PAGE = 15;
const COLUMN_DESCRIPTION_CHARS = 180;
const LINEAGE_SHOWN = 8;

export function columnPageCount(card: Pick<TableCard, 'columns'>): number {
  return Math.max(1, Math.ceil(card.columns.length / COLUMNS_PER_PAGE));
}

export function cadenceText(c: CadenceSummary | undefined, lang: Lang = 'en'): string {
  const m = messagesFor(lang);
  if (!c) return m('cadence.unknown');
  const label = m(`cadence.${c.label}`);
  const when =
    c.label === 'hourly' && c.typicalMinute !== undefined
      ? m('cadence.hourlyAt', { minute: String(c.typicalMinute).padStart(2, '0') })
      : c.typicalTime && c.label !== 'irregular'
        ? m('cadence.around', { cadence: label, time: c.typicalTime })
        : label;
  return c.late ? m('cadence.late', { when }) : when;
}

function lineageText(items: Array<{ title: string }>, lang: Lang): string {
  const m = messagesFor(lang);
  if (!items.length) return m('list.none');
  const shown = items.slice(0, LINEAGE_SHOWN).map((i) => `\`${escapeMrkdwn(i.title)}\``).join(', ');
  return items.length > LINEAGE_SHOWN ? m('list.andMore', { shown, n: items.length - LINEAGE_SHOWN }) : shown;
}

/** The name to write in SQL, keeping the cluster: `raw.game_log.client_events`. */
export function sqlName(card: Pick<TableCard, 'cluster' | 'schema' | 'name'>): string {
  return [card.cluster, card.schema, card.name].filter(Boolean).join('.');
}

/** Slack's limits of an overflow menu: 2–5 options, each value at most 150 characters. */
const OVERFLOW_VALUE_MAX = 150;

/** The edit actions and history as an overflow menu, or undefined when a value would not fit (very long keys). */
function cardMenu(card: TableCard, cp: number, lang: Lang): types.Overflow | undefined {
  const m = cardMessages[lang].menu;
  const options = (Object.keys(m) as Array<ValueOf<'cardMenu'>['a']>).map((a) => ({ text: { type: 'plain_text' as const, text: m[a] }, value: encodeValue('cardMenu', { a, key: card.key, v: card.version, cp }) }));
  if (options.some((o) => o.value.length > OVERFLOW_VALUE_MAX)) return undefined;
  return { type: 'overflow', action_id: ACTION.cardMenu, options };
}

export function tableCardBlocks(card: TableCard, options: CardOptions): Rendered {
  const pages = columnPageCount(card);
  const cp = Math.min(Math.max(0, options.columnPage ?? 0), pages - 1);
  const fqn = sqlName(card);
  const lang = options.lang ?? 'en';
  const m = messagesFor(lang);
  const ago = (iso: string): string => timeAgo(iso, options.now, lang);
  const blocks: Block[] = [header(fqn), section(`*${m('card.sqlName')}*\n\`\`\`${escapeMrkdwn(fqn).replace(/`/g, "'")}\`\`\``)];
  const badges = badgeText(card.badges, card.deprecated);
  blocks.push(context([`\`${escapeMrkdwn(card.key)}\``, card.kind, ...(badges ? [badges] : []), ...(card.removedAt ? [m('card.removed', { when: ago(card.removedAt) })] : [])]));
  const descNote = card.descriptionFrom === 'human' ? m('card.byPeople') : card.descriptionFrom === 'source' ? m('card.fromSource') : '';
  blocks.push(section(card.description ? `${escapeMrkdwn(truncate(card.description, 2900))}${descNote}` : m('card.noDescription')));
  const freshness = card.lastUpdated ? `${slackTime(card.lastUpdated, options.timeZone)} (${ago(card.lastUpdated)})` : m('card.noLoads');
  const none = m('list.none');
  blocks.push(
    fields([
      `*${m('card.lastUpdated')}*\n${freshness}`,
      `*${m('card.cadence')}*\n${cadenceText(card.cadence, lang)}`,
      `*${m('card.owners')}*\n${people(card.owners, 8, lang)}`,
      `*${m('card.frequentUsers')}*\n${card.frequentUsers.length ? card.frequentUsers.map((u) => `${person(u)} (${u.count})`).join(', ') : none}`,
      `*${m('card.tags')}*\n${card.tags.length ? card.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ') : none}`,
      `*${m('card.badges')}*\n${badges || none}`,
    ]),
  );
  blocks.push(fields([`*${m('card.upstream')}*\n${lineageText(card.upstream, lang)}`, `*${m('card.downstream')}*\n${lineageText(card.downstream, lang)}`]));
  if (card.dashboards.length) {
    const shown = card.dashboards.slice(0, 10).map((d) => (d.url ? `<${d.url}|${escapeMrkdwn(d.name)}>` : escapeMrkdwn(d.name)));
    const list = shown.join(' · ');
    blocks.push(section(`*${m('card.dashboards')}* ${card.dashboards.length > 10 ? m('list.andMore', { shown: list, n: card.dashboards.length - 10 }) : list}`));
  }
  if (card.recentChanges.length) {
    const mark = { breaking: ':rotating_light:', additive: ':heavy_plus_sign:', informational: ':memo:' } as const;
    const lines = card.recentChanges.map((c) => `${mark[c.severity]} ${ago(c.at)}: ${truncate(describeChange(c.detail, lang), 500)}`);
    blocks.push(section(`*${m('card.recentChanges')}*\n${lines.join('\n')}`));
  }
  blocks.push(divider());
  const cols = card.columns.slice(cp * COLUMNS_PER_PAGE, (cp + 1) * COLUMNS_PER_PAGE);
  const from = cp * COLUMNS_PER_PAGE + 1;
  blocks.push(section(card.columns.length ? m('card.columns', { from, to: from + cols.length - 1, total: card.columns.length }) : m('card.noColumns')));
  blocks.push(...packLines(cols.map((c) => `• \`${escapeMrkdwn(c.name)}\` _${escapeMrkdwn(c.type)}_${c.description ? ` — ${escapeMrkdwn(truncate(c.description, COLUMN_DESCRIPTION_CHARS))}` : ''}`)));
  if (pages > 1) {
    const nav: Button[] = [];
    if (cp > 0) nav.push(button(m('card.previousColumns'), `${ACTION.columnsPage}:0`, encodeValue('columnsPage', { key: card.key, cp: cp - 1 })));
    if (cp < pages - 1) nav.push(button(m('card.moreColumns'), `${ACTION.columnsPage}:1`, encodeValue('columnsPage', { key: card.key, cp: cp + 1 })));
    blocks.push(...actions(nav, 'nansen.card.columns'));
  }
  const table = encodeValue('table', { key: card.key });
  const more: Button[] = [button(m('card.bookmark'), ACTION.bookmark, table), button(m('card.subscribe'), ACTION.subscribe, table)];
  if (card.upstream.length || card.downstream.length || card.dashboards.length) more.push(button(m('card.lineagePicture'), ACTION.lineagePicture, table));
  if (options.shareable) more.push(button(m('card.share'), ACTION.share, encodeValue('share', { k: 'card', key: card.key, cp })));
  const menu = cardMenu(card, cp, lang);
  if (menu) {
    blocks.push({ type: 'actions', block_id: 'nansen.card.more', elements: [...more, menu] });
  } else {
    const edit = (k: string, v: number): string => encodeValue('edit', { key: k, v, cp });
    blocks.push(
      ...actions(
        [
          button(m('card.menu.description'), ACTION.editDescription, edit(card.key, card.version)),
          button(m('card.menu.columns'), ACTION.editColumns, edit(card.key, card.version)),
          button(m('card.menu.tags'), ACTION.editTags, edit(card.key, card.version)),
          button(m('card.menu.owners'), ACTION.editOwners, edit(card.key, card.version)),
        ],
        'nansen.card.edit',
      ),
    );
    blocks.push(...actions([...more, button(m('card.menu.history'), ACTION.history, table)], 'nansen.card.more'));
  }
  const text = escapeMrkdwn(m('card.fallback', { name: fqn, description: card.description ? truncate(card.description, 200) : m('card.fallbackNoDescription') }));
  return { text, blocks };
}

/**
 * The table card in a modal (a card opened from App Home, where there is no message to reply under): the same
 * blocks within a view's 100 blocks and 250 kB, titled with the table's name when it fits Slack's 24 characters.
 */
export function tableCardModal(card: TableCard, options: Omit<CardOptions, 'shareable'> & { note?: string }): ModalView {
  const r = tableCardBlocks(card, { ...options, shareable: false });
  const blocks = options.note ? [context([options.note]), ...r.blocks] : r.blocks;
  const lang = options.lang ?? 'en';
  const title = card.name.length <= BLOCK_LIMITS.viewTitle && card.name.trim() ? card.name : answerMessages[lang].cardModalTitle;
  return {
    type: 'modal',
    callback_id: CARD_VIEW,
    title: { type: 'plain_text', text: title, emoji: true },
    close: { type: 'plain_text', text: t(lang, 'modal.close'), emoji: true },
    blocks: fitView(blocks, BLOCK_LIMITS.viewBlocks),
  };
}
