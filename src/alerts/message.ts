import { severityCounts, severityRank, worstSeverity, type ClassifiedChange, type ChangeDetail, type Severity } from './classify';
import { unknownContext, type Person, type TableContext } from './context';
import { messagesFor, t, type Lang } from '../text/catalogue';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';

/** Slack's Block Kit limits that bound an alert. */
export const BLOCK_LIMITS = { messageBlocks: 50, modalBlocks: 100, sectionText: 3000, contextText: 3000, headerText: 150, buttonText: 75, buttonValue: 2000, viewBytes: 250 * 1024, modalTitle: 24 } as const;

/**
 * Action ids of the buttons alerts carry. Slack wants action ids unique inside a block (our fake Slack, stricter,
 * inside the message), so the second and later tables' buttons get a `:<n>` suffix: register listeners with the
 * `*Pattern` regexes. Button values: the table key (`openTableCard`, `muteTable`, `unmuteTable`), the change set id
 * (`showAllChanges`), a `ChangeListPage` JSON (`changeListPage`).
 */
export const ALERT_ACTIONS = {
  openTableCard: 'open_table_card',
  muteTable: 'mute_table',
  unmuteTable: 'unmute_table',
  showAllChanges: 'show_all_changes',
  changeListPage: 'show_all_changes_page',
  ownerDmOptOut: 'alerts_owner_dm_opt_out',
} as const;

export const ALERT_ACTION_PATTERNS = {
  openTableCard: /^open_table_card(:\d+)?$/,
  muteTable: /^mute_table(:\d+)?$/,
  unmuteTable: /^unmute_table(:\d+)?$/,
  showAllChanges: /^show_all_changes$/,
  changeListPage: /^show_all_changes_page(:\d+)?$/,
  ownerDmOptOut: /^alerts_owner_dm_opt_out$/,
} as const;

/** The callback id of the "all changes" modal. */
export const CHANGE_LIST_CALLBACK_ID = 'nansen_all_changes';

type Text = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
export interface Button {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value?: string;
  style?: 'primary' | 'danger';
}
export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; block_id?: string; text: Text; accessory?: Button }
  | { type: 'context'; elements: Text[] }
  | { type: 'actions'; block_id?: string; elements: Button[] }
  | { type: 'divider' };

/** A message ready for `chat.postMessage`: notification text and blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Who the message is for: a channel's live alert, its daily digest, or an owner's direct message. */
export type AlertVariant = { kind: 'live'; source: string; crawlId: string } | { kind: 'digest'; date: string } | { kind: 'owner_dm' };

export interface AlertMessageInput {
  variant: AlertVariant;
  /** The recipient's changes, classified. */
  changes: readonly ClassifiedChange[];
  /** Context of each changed table; a table without one is shown without owners and blast radius. */
  contexts: ReadonlyMap<string, TableContext>;
  /** Id of the change set behind the message: the value of the "show all changes" button. */
  changeSetId: string;
  /** Tables shown in full before the rest are listed a line each (default 10; fewer if blocks run out). */
  detailLimit?: number;
  /** The language of the message (the subscription's; default English). */
  lang?: Lang;
}

const SEVERITY_ICON: Record<Severity, string> = { breaking: ':red_circle:', additive: ':large_green_circle:', informational: ':large_blue_circle:' };

/** Inline code that survives backticks in the value. */
export function code(s: string): string {
  return `\`${escapeMrkdwn(s.replace(/`/g, 'ˋ').replace(/\n/g, ' '))}\``;
}

function quote(lang: Lang, s: string | undefined, max = 80): string {
  return s === undefined || s === '' ? t(lang, 'value.none') : `“${escapeMrkdwn(truncate(s.replace(/\s+/g, ' '), max))}”`;
}

/** One line of mrkdwn saying what changed, in `lang` (default English). */
export function describeChange(d: ChangeDetail, lang: Lang = 'en'): string {
  const m = messagesFor(lang);
  const typed = (type: string | undefined): string => (type ? m('change.line.type', { type: code(type) }) : '');
  switch (d.kind) {
    case 'table_added':
      return m('change.line.tableAdded');
    case 'table_removed':
      return m('change.line.tableRemoved');
    case 'column_added':
      return m('change.line.columnAdded', { column: code(d.column) }) + typed(d.type);
    case 'column_removed':
      return m('change.line.columnRemoved', { column: code(d.column) }) + (d.type ? m('change.line.wasType', { type: code(d.type) }) : '');
    case 'column_renamed':
      return m('change.line.columnRenamed', { from: code(d.from), to: code(d.to) }) + typed(d.type);
    case 'column_type_changed':
      return m('change.line.columnType', { column: code(d.column), from: code(d.from), to: code(d.to) }) + (d.shift === 'same' ? '' : m('change.line.shift', { shift: m(`change.shift.${d.shift}`) }));
    case 'column_nullability_changed':
      return d.nullable === true
        ? m('change.line.nowNullable', { column: code(d.column) })
        : d.nullable === false
          ? m('change.line.nowNotNull', { column: code(d.column) })
          : m('change.line.nullability', { column: code(d.column), from: escapeMrkdwn(d.from ?? '?'), to: escapeMrkdwn(d.to ?? '?') });
    case 'description_changed':
      return d.column ? m('change.line.columnDescription', { column: code(d.column), from: quote(lang, d.from), to: quote(lang, d.to) }) : m('change.line.description', { from: quote(lang, d.from), to: quote(lang, d.to) });
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** A person as mrkdwn: a mention when their Slack id is known. */
export function mention(p: Person): string {
  return p.slackId ? `<@${p.slackId}>` : escapeMrkdwn(p.name);
}

/** Joins as many items as fit in `max` characters, then "+N more" (in `lang`, default English). */
export function fitList(items: readonly string[], max: number, sep = ', ', lang: Lang = 'en'): string {
  const plusMore = (n: number): string => t(lang, 'alert.plusMore', { n });
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const more = items.length - i;
    const piece = (out ? sep : '') + items[i]!;
    const tail = more > 1 ? ` ${plusMore(more - 1)}` : '';
    if (out.length + piece.length + tail.length > max) return `${out}${out ? ' ' : ''}${plusMore(more)}`;
    out += piece;
  }
  return out;
}

/** Lines joined with newlines, as many as fit in `max` characters, ending with a line saying how many were left out. */
export function fitLines(lines: readonly string[], max: number, moreLine: (n: number) => string): { text: string; shown: number } {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? moreLine(rest).length + 1 : 0;
    if (length + line.length + 1 + reserve > max) {
      const tail = moreLine(lines.length - i);
      return { text: [...out, tail].join('\n').slice(0, max), shown: i };
    }
    out.push(line);
    length += line.length + 1;
  }
  return { text: out.join('\n'), shown: lines.length };
}

/** A table's changes with its context, as the message orders them. */
export interface TableGroup {
  tableKey: string;
  severity: Severity;
  changes: ClassifiedChange[];
  context: TableContext;
}

/** Groups changes by table: tables with breaking changes first, then by how much reads from them, then by name. */
export function groupByTable(changes: readonly ClassifiedChange[], contexts: ReadonlyMap<string, TableContext>): TableGroup[] {
  const byTable = new Map<string, ClassifiedChange[]>();
  for (const c of changes) {
    const list = byTable.get(c.tableKey);
    if (list) list.push(c);
    else byTable.set(c.tableKey, [c]);
  }
  const groups: TableGroup[] = [...byTable].map(([tableKey, list]) => ({
    tableKey,
    severity: worstSeverity(list),
    changes: [...list].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)),
    context: contexts.get(tableKey) ?? unknownContext(tableKey),
  }));
  const reach = (g: TableGroup): number => g.context.downstream.length + g.context.dashboards.length;
  const breaking = (g: TableGroup): number => g.changes.filter((c) => c.severity === 'breaking').length;
  return groups.sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || breaking(b) - breaking(a) || reach(b) - reach(a) || (a.context.label < b.context.label ? -1 : a.context.label > b.context.label ? 1 : a.tableKey < b.tableKey ? -1 : 1),
  );
}

/** "2 breaking, 1 additive": the counts of each severity there is, in `lang`. */
function severityParts(changes: readonly ClassifiedChange[], lang: Lang): string[] {
  const c = severityCounts(changes);
  const m = messagesFor(lang);
  return [c.breaking ? m('alert.count.breaking', { n: c.breaking }) : '', c.additive ? m('alert.count.additive', { n: c.additive }) : '', c.informational ? m('alert.count.informational', { n: c.informational }) : ''].filter(Boolean);
}

function countsText(changes: readonly ClassifiedChange[], lang: Lang): string {
  const [first, ...rest] = severityParts(changes, lang);
  if (first === undefined) return t(lang, 'alert.count.none');
  // the breaking count, when there is one, is always first: it stands out
  return [severityCounts(changes).breaking ? `*${first}*` : first, ...rest].join(' · ');
}

function summaryText(changes: readonly ClassifiedChange[], tables: number, lang: Lang): string {
  return t(lang, 'alert.summary', { counts: countsText(changes, lang), n: changes.length, tables });
}

function headerText(input: AlertMessageInput, worst: Severity, lang: Lang): string {
  const v = input.variant;
  const icon = worst === 'breaking' ? ':rotating_light:' : ':card_index_dividers:';
  switch (v.kind) {
    case 'live':
      return truncate(t(lang, 'alert.header.live', { icon, source: v.source }), BLOCK_LIMITS.headerText);
    case 'digest':
      return truncate(t(lang, 'alert.header.digest', { date: v.date }), BLOCK_LIMITS.headerText);
    case 'owner_dm':
      return truncate(t(lang, 'alert.header.ownerDm'), BLOCK_LIMITS.headerText);
    default: {
      const never: never = v;
      return never;
    }
  }
}

function tableSection(g: TableGroup, lang: Lang): { text: string; truncated: boolean } {
  const ctx = g.context;
  const title = `${SEVERITY_ICON[g.severity]} *${code(ctx.label)}*${ctx.label !== g.tableKey ? `  ${escapeMrkdwn(g.tableKey.replace(/\/[^/]*$/, ''))}` : ''}`;
  const lines = g.changes.map((c) => `• ${describeChange(c.detail, lang)}`);
  const fitted = fitLines([title, ...lines], BLOCK_LIMITS.sectionText, (n) => t(lang, 'alert.moreChanges', { n }));
  return { text: fitted.text, truncated: fitted.shown < lines.length + 1 };
}

function contextLine(g: TableGroup, lang: Lang): string[] {
  const ctx = g.context;
  const m = messagesFor(lang);
  const max = 700;
  const list = (items: string[]): string => fitList(items, max, ', ', lang);
  const parts: string[] = [];
  parts.push(m('alert.owners', { owners: ctx.owners.length ? list(ctx.owners.map(mention)) : m('alert.noOwners') }));
  const tables = ctx.downstream.length ? m('alert.downstreamTables', { n: ctx.downstream.length, list: list(ctx.downstream.map((d) => code(d.label))) }) : m('alert.noDownstreamTables');
  const dashboards = ctx.dashboards.length
    ? m('alert.downstreamDashboards', { n: ctx.dashboards.length, list: list(ctx.dashboards.map((d) => (d.url && /^https?:\/\//.test(d.url) ? `<${d.url.replace(/[|>]/g, '')}|${escapeMrkdwn(d.name)}>` : escapeMrkdwn(d.name)))) })
    : m('alert.noDownstreamDashboards');
  parts.push(m('alert.downstream', { tables, dashboards }));
  if (ctx.frequentUsers.length) parts.push(m('alert.frequentUsers', { users: list(ctx.frequentUsers.map((u) => `${mention(u)} (${u.reads})`)) }));
  return parts;
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text: truncate(text, BLOCK_LIMITS.buttonText), emoji: true }, value: value.slice(0, BLOCK_LIMITS.buttonValue), ...(style ? { style } : {}) };
}

const suffix = (id: string, i: number): string => (i === 0 ? id : `${id}:${i}`);

/**
 * Builds the one message of a change set for one recipient: a header, a summary, then each table (breaking
 * first) with what changed (old → new), owners, blast radius (downstream tables and dashboards) and frequent
 * users, and buttons to open the table card and to mute the table in the channel. Past `detailLimit` tables,
 * or when blocks would run out, the remaining tables get a line each and a "show all changes" button opens the
 * full list. Always within Block Kit's limits (≤ 50 blocks, ≤ 3000 characters a section). Pure.
 */
export function buildAlertMessage(input: AlertMessageInput): SlackMessage {
  const lang = input.lang ?? 'en';
  const m = messagesFor(lang);
  const groups = groupByTable(input.changes, input.contexts);
  const worst = worstSeverity(input.changes);
  const blocks: Block[] = [];
  blocks.push({ type: 'header', text: { type: 'plain_text', text: headerText(input, worst, lang), emoji: true } });
  const v = input.variant;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: summaryText(input.changes, groups.length, lang) } });
  const where = v.kind === 'live' ? m('alert.where.live', { source: escapeMrkdwn(v.source), crawl: code(v.crawlId) }) : v.kind === 'digest' ? m('alert.where.digest') : m('alert.where.ownerDm');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(where, BLOCK_LIMITS.contextText) }] });

  const perTable = 3;
  const footerBlocks = 2;
  const room = Math.floor((BLOCK_LIMITS.messageBlocks - blocks.length - footerBlocks) / perTable);
  const detailed = Math.min(groups.length, input.detailLimit ?? 10, room);
  let truncated = detailed < groups.length;
  groups.slice(0, detailed).forEach((g, i) => {
    const section = tableSection(g, lang);
    truncated ||= section.truncated;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section.text } });
    blocks.push({ type: 'context', elements: contextLine(g, lang).map((text) => ({ type: 'mrkdwn', text: truncate(text, BLOCK_LIMITS.contextText) })) });
    const buttons = [button(suffix(ALERT_ACTIONS.openTableCard, i), m('alert.openCard'), g.tableKey)];
    if (v.kind !== 'owner_dm') buttons.push(button(suffix(ALERT_ACTIONS.muteTable, i), m('alert.mute'), g.tableKey));
    blocks.push({ type: 'actions', elements: buttons });
  });

  const rest = groups.slice(detailed);
  if (rest.length) {
    const lines = rest.map((g) => `${SEVERITY_ICON[g.severity]} ${code(g.context.label)} — ${severityParts(g.changes, lang).join(', ')}`);
    const head = m('alert.moreTablesHead', { n: rest.length });
    const fitted = fitLines([head, ...lines], BLOCK_LIMITS.sectionText, (n) => m('alert.moreTables', { n }));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitted.text } });
  }
  const footer: Button[] = [];
  if (truncated) footer.push(button(ALERT_ACTIONS.showAllChanges, m('alert.showAll', { n: input.changes.length }), input.changeSetId, 'primary'));
  if (v.kind === 'owner_dm') footer.push(button(ALERT_ACTIONS.ownerDmOptOut, m('alert.stopDms'), 'off'));
  if (footer.length) blocks.push({ type: 'actions', elements: footer });

  return { text: fallbackText(input, groups, lang), blocks };
}

function fallbackText(input: AlertMessageInput, groups: TableGroup[], lang: Lang): string {
  const v = input.variant;
  const m = messagesFor(lang);
  const what = v.kind === 'live' ? m('alert.fallback.live', { source: v.source }) : v.kind === 'digest' ? m('alert.fallback.digest', { date: v.date }) : m('alert.fallback.ownerDm');
  const names = fitList(
    groups.map((g) => g.context.label),
    300,
    ', ',
    lang,
  );
  return escapeMrkdwn(m('alert.fallback', { what, counts: severityParts(input.changes, lang).join(', '), tables: groups.length, names }));
}

/** Which page of the full change list a button asks for. */
export interface ChangeListPage {
  set: string;
  page: number;
}

export interface ChangeListView {
  type: 'modal';
  callback_id: string;
  title: { type: 'plain_text'; text: string };
  close: { type: 'plain_text'; text: string };
  private_metadata: string;
  blocks: Block[];
}

/**
 * The full list of a change set as a modal (`views.open` / `views.update` from the `show_all_changes` button):
 * every table with every change, paged so each page stays within 100 blocks, 3000 characters a section and
 * 250 kB. Pure.
 */
export function buildChangeListView(input: { changeSetId: string; changes: readonly ClassifiedChange[]; contexts?: ReadonlyMap<string, TableContext>; page?: number; title?: string; lang?: Lang }): ChangeListView {
  const lang = input.lang ?? 'en';
  const m = messagesFor(lang);
  const groups = groupByTable(input.changes, input.contexts ?? new Map());
  const sections: string[] = [];
  for (const g of groups) {
    const title = `${SEVERITY_ICON[g.severity]} *${code(g.context.label)}*  ${escapeMrkdwn(g.tableKey)}`;
    let current = title;
    for (const c of g.changes) {
      const line = `• ${describeChange(c.detail, lang)}`;
      if (current.length + 1 + line.length > BLOCK_LIMITS.sectionText) {
        sections.push(current);
        current = truncate(line, BLOCK_LIMITS.sectionText);
      } else current += `\n${line}`;
    }
    sections.push(current);
  }
  const pageBlocks = 90;
  const pageBytes = 200 * 1024;
  const pages: string[][] = [[]];
  let bytes = 0;
  for (const s of sections) {
    const last = pages[pages.length - 1]!;
    const size = Buffer.byteLength(s) + 60;
    if (last.length >= pageBlocks || (last.length && bytes + size > pageBytes)) {
      pages.push([s]);
      bytes = size;
    } else {
      last.push(s);
      bytes += size;
    }
  }
  const page = Math.min(Math.max(0, input.page ?? 0), pages.length - 1);
  const summary = summaryText(input.changes, groups.length, lang) + (pages.length > 1 ? m('alert.list.page', { page: page + 1, pages: pages.length }) : '');
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: summary } }];
  for (const s of pages[page]!) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: s } });
  const nav: Button[] = [];
  if (page > 0) nav.push(button(`${ALERT_ACTIONS.changeListPage}:0`, m('alert.list.previous'), JSON.stringify({ set: input.changeSetId, page: page - 1 } satisfies ChangeListPage)));
  if (page < pages.length - 1) nav.push(button(`${ALERT_ACTIONS.changeListPage}:1`, m('alert.list.next'), JSON.stringify({ set: input.changeSetId, page: page + 1 } satisfies ChangeListPage)));
  if (nav.length) blocks.push({ type: 'actions', elements: nav });
  return {
    type: 'modal',
    callback_id: CHANGE_LIST_CALLBACK_ID,
    title: { type: 'plain_text', text: truncate(input.title ?? m('alert.list.title'), BLOCK_LIMITS.modalTitle) },
    close: { type: 'plain_text', text: m('alert.list.close') },
    private_metadata: JSON.stringify({ set: input.changeSetId, page } satisfies ChangeListPage).slice(0, 3000),
    blocks,
  };
}
