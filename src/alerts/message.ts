import { severityCounts, severityRank, worstSeverity, type ClassifiedChange, type ChangeDetail, type Severity } from './classify';
import { unknownContext, type Person, type TableContext } from './context';
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
}

const SEVERITY_ICON: Record<Severity, string> = { breaking: ':red_circle:', additive: ':large_green_circle:', informational: ':large_blue_circle:' };

/** Inline code that survives backticks in the value. */
export function code(s: string): string {
  return `\`${escapeMrkdwn(s.replace(/`/g, 'ˋ').replace(/\n/g, ' '))}\``;
}

function quote(s: string | undefined, max = 80): string {
  return s === undefined || s === '' ? '_(none)_' : `“${escapeMrkdwn(truncate(s.replace(/\s+/g, ' '), max))}”`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line of mrkdwn saying what changed. */
export function describeChange(d: ChangeDetail): string {
  switch (d.kind) {
    case 'table_added':
      return 'table added';
    case 'table_removed':
      return '*table removed*';
    case 'column_added':
      return `column ${code(d.column)} added${d.type ? ` (${code(d.type)})` : ''}`;
    case 'column_removed':
      return `*column ${code(d.column)} removed*${d.type ? ` (was ${code(d.type)})` : ''}`;
    case 'column_renamed':
      return `*column ${code(d.from)} renamed to ${code(d.to)}*${d.type ? ` (${code(d.type)})` : ''}`;
    case 'column_type_changed':
      return `column ${code(d.column)} type ${code(d.from)} → ${code(d.to)}${d.shift === 'same' ? '' : ` (${d.shift})`}`;
    case 'column_nullability_changed':
      return d.nullable === true ? `column ${code(d.column)} may now be null (was NOT NULL)` : d.nullable === false ? `column ${code(d.column)} is now NOT NULL` : `column ${code(d.column)} nullability ${escapeMrkdwn(d.from ?? '?')} → ${escapeMrkdwn(d.to ?? '?')}`;
    case 'description_changed':
      return `${d.column ? `column ${code(d.column)} description` : 'description'}: ${quote(d.from)} → ${quote(d.to)}`;
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

/** Joins as many items as fit in `max` characters, then "+N more". */
export function fitList(items: readonly string[], max: number, sep = ', '): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const more = items.length - i;
    const piece = (out ? sep : '') + items[i]!;
    const tail = more > 1 ? ` +${more - 1} more` : '';
    if (out.length + piece.length + tail.length > max) return `${out}${out ? ' ' : ''}+${more} more`;
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

function countsText(changes: readonly ClassifiedChange[]): string {
  const c = severityCounts(changes);
  const parts: string[] = [];
  if (c.breaking) parts.push(`*${c.breaking} breaking*`);
  if (c.additive) parts.push(`${c.additive} additive`);
  if (c.informational) parts.push(`${c.informational} informational`);
  return parts.join(' · ') || 'no changes';
}

function headerText(input: AlertMessageInput, worst: Severity): string {
  const v = input.variant;
  const icon = worst === 'breaking' ? ':rotating_light:' : ':card_index_dividers:';
  switch (v.kind) {
    case 'live':
      return truncate(`${icon} Schema changes in ${v.source}`, BLOCK_LIMITS.headerText);
    case 'digest':
      return truncate(`:newspaper: Daily digest of schema changes, ${v.date}`, BLOCK_LIMITS.headerText);
    case 'owner_dm':
      return truncate(':warning: Breaking changes to tables you own', BLOCK_LIMITS.headerText);
    default: {
      const never: never = v;
      return never;
    }
  }
}

function tableSection(g: TableGroup): { text: string; truncated: boolean } {
  const ctx = g.context;
  const title = `${SEVERITY_ICON[g.severity]} *${code(ctx.label)}*${ctx.label !== g.tableKey ? `  ${escapeMrkdwn(g.tableKey.replace(/\/[^/]*$/, ''))}` : ''}`;
  const lines = g.changes.map((c) => `• ${describeChange(c.detail)}`);
  const fitted = fitLines([title, ...lines], BLOCK_LIMITS.sectionText, (n) => `_…and ${plural(n, 'more change')}_`);
  return { text: fitted.text, truncated: fitted.shown < lines.length + 1 };
}

function contextLine(g: TableGroup): string[] {
  const ctx = g.context;
  const max = 700;
  const parts: string[] = [];
  parts.push(`*Owners:* ${ctx.owners.length ? fitList(ctx.owners.map(mention), max) : '_none recorded_'}`);
  const downstream = ctx.downstream.length ? `${plural(ctx.downstream.length, 'table')} (${fitList(ctx.downstream.map((d) => code(d.label)), max)})` : 'no tables';
  const dashboards = ctx.dashboards.length ? `${plural(ctx.dashboards.length, 'dashboard')} (${fitList(ctx.dashboards.map((d) => (d.url && /^https?:\/\//.test(d.url) ? `<${d.url.replace(/[|>]/g, '')}|${escapeMrkdwn(d.name)}>` : escapeMrkdwn(d.name))), max)})` : 'no dashboards';
  parts.push(`*Downstream:* ${downstream}, ${dashboards}`);
  if (ctx.frequentUsers.length) parts.push(`*Frequent users:* ${fitList(ctx.frequentUsers.map((u) => `${mention(u)} (${u.reads})`), max)}`);
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
  const groups = groupByTable(input.changes, input.contexts);
  const worst = worstSeverity(input.changes);
  const blocks: Block[] = [];
  blocks.push({ type: 'header', text: { type: 'plain_text', text: headerText(input, worst), emoji: true } });
  const v = input.variant;
  const summary = `${countsText(input.changes)} ${input.changes.length === 1 ? 'change' : 'changes'} in ${plural(groups.length, 'table')}.`;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: summary } });
  const where = v.kind === 'live' ? `${escapeMrkdwn(v.source)} · crawl ${code(v.crawlId)}` : v.kind === 'digest' ? `Changes buffered since the last digest` : `You get this because you own these tables.`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(where, BLOCK_LIMITS.contextText) }] });

  const perTable = 3;
  const footerBlocks = 2;
  const room = Math.floor((BLOCK_LIMITS.messageBlocks - blocks.length - footerBlocks) / perTable);
  const detailed = Math.min(groups.length, input.detailLimit ?? 10, room);
  let truncated = detailed < groups.length;
  groups.slice(0, detailed).forEach((g, i) => {
    const section = tableSection(g);
    truncated ||= section.truncated;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section.text } });
    blocks.push({ type: 'context', elements: contextLine(g).map((text) => ({ type: 'mrkdwn', text: truncate(text, BLOCK_LIMITS.contextText) })) });
    const buttons = [button(suffix(ALERT_ACTIONS.openTableCard, i), 'Open table card', g.tableKey)];
    if (v.kind !== 'owner_dm') buttons.push(button(suffix(ALERT_ACTIONS.muteTable, i), 'Mute in this channel', g.tableKey));
    blocks.push({ type: 'actions', elements: buttons });
  });

  const rest = groups.slice(detailed);
  if (rest.length) {
    const lines = rest.map((g) => {
      const c = severityCounts(g.changes);
      const bits = [c.breaking ? `${c.breaking} breaking` : '', c.additive ? `${c.additive} additive` : '', c.informational ? `${c.informational} informational` : ''].filter(Boolean).join(', ');
      return `${SEVERITY_ICON[g.severity]} ${code(g.context.label)} — ${bits}`;
    });
    const head = `*${plural(rest.length, 'more table')} changed:*`;
    const fitted = fitLines([head, ...lines], BLOCK_LIMITS.sectionText, (n) => `_…and ${plural(n, 'more table')}_`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitted.text } });
  }
  const footer: Button[] = [];
  if (truncated) footer.push(button(ALERT_ACTIONS.showAllChanges, `Show all ${input.changes.length} changes`, input.changeSetId, 'primary'));
  if (v.kind === 'owner_dm') footer.push(button(ALERT_ACTIONS.ownerDmOptOut, 'Stop these messages', 'off'));
  if (footer.length) blocks.push({ type: 'actions', elements: footer });

  return { text: fallbackText(input, groups), blocks };
}

function fallbackText(input: AlertMessageInput, groups: TableGroup[]): string {
  const c = severityCounts(input.changes);
  const v = input.variant;
  const what = v.kind === 'live' ? `Schema changes in ${v.source}` : v.kind === 'digest' ? `Daily digest of schema changes (${v.date})` : 'Breaking changes to tables you own';
  const counts = [c.breaking ? `${c.breaking} breaking` : '', c.additive ? `${c.additive} additive` : '', c.informational ? `${c.informational} informational` : ''].filter(Boolean).join(', ');
  const names = fitList(
    groups.map((g) => g.context.label),
    300,
  );
  return escapeMrkdwn(`${what}: ${counts} in ${plural(groups.length, 'table')} (${names})`);
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
export function buildChangeListView(input: { changeSetId: string; changes: readonly ClassifiedChange[]; contexts?: ReadonlyMap<string, TableContext>; page?: number; title?: string }): ChangeListView {
  const groups = groupByTable(input.changes, input.contexts ?? new Map());
  const sections: string[] = [];
  for (const g of groups) {
    const title = `${SEVERITY_ICON[g.severity]} *${code(g.context.label)}*  ${escapeMrkdwn(g.tableKey)}`;
    let current = title;
    for (const c of g.changes) {
      const line = `• ${describeChange(c.detail)}`;
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
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${countsText(input.changes)} ${input.changes.length === 1 ? 'change' : 'changes'} in ${plural(groups.length, 'table')}.${pages.length > 1 ? ` Page ${page + 1} of ${pages.length}.` : ''}` } }];
  for (const s of pages[page]!) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: s } });
  const nav: Button[] = [];
  if (page > 0) nav.push(button(`${ALERT_ACTIONS.changeListPage}:0`, '← Previous', JSON.stringify({ set: input.changeSetId, page: page - 1 } satisfies ChangeListPage)));
  if (page < pages.length - 1) nav.push(button(`${ALERT_ACTIONS.changeListPage}:1`, 'Next →', JSON.stringify({ set: input.changeSetId, page: page + 1 } satisfies ChangeListPage)));
  if (nav.length) blocks.push({ type: 'actions', elements: nav });
  return {
    type: 'modal',
    callback_id: CHANGE_LIST_CALLBACK_ID,
    title: { type: 'plain_text', text: truncate(input.title ?? 'Schema changes', BLOCK_LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    private_metadata: JSON.stringify({ set: input.changeSetId, page } satisfies ChangeListPage).slice(0, 3000),
    blocks,
  };
}
