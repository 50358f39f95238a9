import { UserError } from '../domain/errors';
import { parseTableKey } from '../domain/keys';
import type { GraphStore } from '../ports/graph-store';
import { classifyChanges } from './classify';
import { loadTableContexts } from './context';
import { ALERT_ACTIONS, buildChangeListView, code, fitLines, type Block, type Button, type ChangeListPage, type ChangeListView } from './message';
import { isSingleTable, matchesPattern, parsePattern } from './patterns';
import type { AlertStore, BrokenChannel, DeliveryMode, Mute, ChannelSubscription } from '../ports/alert-store';
import { escapeMrkdwn } from '../text/mrkdwn';
import { isChannelGone, subscriptionHealthMessages as HEALTH } from './messages/subscription-health';

/** What the `/data` subscription commands ask for. */
export type SubscriptionCommand =
  | { kind: 'subscribe'; pattern: string; mode: DeliveryMode }
  | { kind: 'unsubscribe'; pattern: string }
  | { kind: 'unsubscribe_all' }
  | { kind: 'list' }
  | { kind: 'mute'; table: string }
  | { kind: 'unmute'; table: string }
  | { kind: 'owner_dms'; enabled: boolean }
  | { kind: 'help'; problem?: string };

const VERBS = new Set(['subscribe', 'unsubscribe', 'subscriptions', 'mute', 'unmute']);

/** Whether `/data` text is one of the subscription commands (`subscribe`, `unsubscribe`, `subscriptions`, `mute`, `unmute`). */
export function isSubscriptionCommand(text: string): boolean {
  return VERBS.has(firstWord(stripCommand(text)).toLowerCase());
}

function stripCommand(text: string): string {
  return text.trim().replace(/^\/data\s+/i, '');
}

function firstWord(text: string): string {
  return text.split(/\s+/, 1)[0] ?? '';
}

/** Slack may wrap link-like text: `<hive://gold.s/t>` or `<hive://gold.s/t|label>`. */
function unwrap(token: string): string {
  const m = /^<([^|>]+)(\|[^>]*)?>$/.exec(token);
  return m ? m[1]! : token;
}

const HELP = [
  '`/data subscribe <pattern>` tells this channel about schema changes of matching tables as they are found.',
  '`/data subscribe <pattern> --digest daily` sends one digest a day instead.',
  'Patterns: a table (`game_log.sessions` or `hive://gold.game_log/sessions`), a schema (`game_log.*`), a cluster (`hive://gold.*`), a tag (`tag:latency`).',
  '`/data unsubscribe <pattern>` (or `all`), `/data subscriptions` lists this channel’s.',
  '`/data mute <table>` / `/data unmute <table>` silences one table in this channel.',
  '`/data unsubscribe dms` stops direct messages about breaking changes to tables you own; `/data subscribe dms` turns them back on.',
].join('\n');

/** Parses the text after `/data` (with or without the `/data` itself). Pure. */
export function parseSubscriptionCommand(text: string): SubscriptionCommand {
  const words = stripCommand(text)
    .split(/\s+/)
    .filter(Boolean)
    .map(unwrap);
  const verb = (words.shift() ?? '').toLowerCase();
  let mode: DeliveryMode = 'live';
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const lower = w.toLowerCase();
    if (lower === '--digest' || lower.startsWith('--digest=')) {
      const value = lower.includes('=') ? lower.slice('--digest='.length) : (words[++i] ?? '').toLowerCase();
      if (value !== 'daily') return { kind: 'help', problem: `\`--digest\` takes \`daily\` (got \`${escapeMrkdwn(value || 'nothing')}\`).` };
      mode = 'daily';
    } else if (lower === '--daily') mode = 'daily';
    else if (lower === '--live') mode = 'live';
    else if (lower.startsWith('--')) return { kind: 'help', problem: `I don't know the option \`${escapeMrkdwn(w)}\`.` };
    else args.push(w);
  }
  const arg = args[0];
  if (args.length > 1) return { kind: 'help', problem: 'One pattern at a time, please.' };
  switch (verb) {
    case 'subscribe':
      if (!arg) return { kind: 'help', problem: 'Subscribe to what? Give a table, a schema, a cluster or a tag.' };
      if (/^(dms?|owner-?dms?)$/i.test(arg)) return { kind: 'owner_dms', enabled: true };
      return { kind: 'subscribe', pattern: arg, mode };
    case 'unsubscribe':
      if (!arg) return { kind: 'help', problem: 'Unsubscribe from what? Give the pattern as `/data subscriptions` lists it, or `all`.' };
      if (/^(dms?|owner-?dms?)$/i.test(arg)) return { kind: 'owner_dms', enabled: false };
      if (arg.toLowerCase() === 'all') return { kind: 'unsubscribe_all' };
      return { kind: 'unsubscribe', pattern: arg };
    case 'subscriptions':
      return { kind: 'list' };
    case 'mute':
      return arg ? { kind: 'mute', table: arg } : { kind: 'help', problem: 'Mute which table?' };
    case 'unmute':
      return arg ? { kind: 'unmute', table: arg } : { kind: 'help', problem: 'Unmute which table?' };
    default:
      return { kind: 'help' };
  }
}

export interface SubscriptionDeps {
  store: AlertStore;
  graph: GraphStore;
  now?: () => Date;
}

/** What a subscription command or button did, ready to show (ephemeral) in the channel. */
export type SubscriptionResult =
  | { kind: 'subscribed'; subscription: ChannelSubscription; status: 'created' | 'updated' | 'unchanged'; matches?: number; text: string; blocks: Block[] }
  | { kind: 'unsubscribed'; pattern: string; removed: number; text: string; blocks: Block[] }
  | { kind: 'not_subscribed'; pattern: string; text: string; blocks: Block[] }
  | { kind: 'list'; subscriptions: ChannelSubscription[]; mutes: Mute[]; ownerDms: boolean; broken?: BrokenChannel; text: string; blocks: Block[] }
  | { kind: 'muted'; tableKey: string; changed: boolean; text: string; blocks: Block[] }
  | { kind: 'unmuted'; tableKey: string; changed: boolean; text: string; blocks: Block[] }
  | { kind: 'owner_dms'; enabled: boolean; text: string; blocks: Block[] }
  | { kind: 'help'; text: string; blocks: Block[] };

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

function result<K extends SubscriptionResult['kind']>(kind: K, text: string, extra: Omit<Extract<SubscriptionResult, { kind: K }>, 'kind' | 'text' | 'blocks'>, blocks: Block[] = [section(text)]): Extract<SubscriptionResult, { kind: K }> {
  return { kind, text, blocks, ...extra } as unknown as Extract<SubscriptionResult, { kind: K }>;
}

/**
 * Runs `/data subscribe <pattern> [--digest daily]`, `/data unsubscribe <pattern>|all|dms`, `/data subscriptions`,
 * `/data mute <table>`, `/data unmute <table>` and `/data subscribe dms` for a channel and a user (Slack ids).
 * Returns what to show; a pattern or table that cannot be understood is a `UserError` with a helpful message.
 */
export async function handleSubscriptionCommand(text: string, channel: string, user: string, deps: SubscriptionDeps): Promise<SubscriptionResult> {
  const cmd = parseSubscriptionCommand(text);
  const now = (deps.now ?? (() => new Date()))().toISOString();
  switch (cmd.kind) {
    case 'help':
      return result('help', cmd.problem ? `${cmd.problem}\n\n${HELP}` : HELP, {});
    case 'subscribe': {
      const pattern = parsePattern(cmd.pattern);
      const sub: ChannelSubscription = { channel, pattern: pattern.text, mode: cmd.mode, createdBy: user, createdAt: now };
      const outcome = await deps.store.subscribe(sub);
      // The Slack listener checked membership before calling: subscribing again is how a broken channel is fixed.
      await deps.store.clearChannelBroken(channel);
      const matches = pattern.kind === 'tag' ? undefined : (await deps.graph.listTableKeys()).filter((key) => matchesPattern(pattern, { key })).length;
      const how = cmd.mode === 'daily' ? 'in a daily digest' : 'as they are found';
      const verb = outcome.status === 'created' ? 'will now hear about' : outcome.status === 'updated' ? 'now hears about' : 'already hears about';
      let line = `This channel ${verb} schema changes of ${code(pattern.text)} ${how}.`;
      if (matches !== undefined) line += matches ? ` It matches ${matches === 1 ? '1 table' : `${matches} tables`} today.` : isSingleTable(pattern) ? ' No such table is in the catalog yet; you will hear when it appears.' : ' No table matches it yet.';
      return result('subscribed', line, { subscription: sub, status: outcome.status, ...(matches === undefined ? {} : { matches }) });
    }
    case 'unsubscribe': {
      const pattern = safePatternText(cmd.pattern);
      if (await deps.store.unsubscribe(channel, pattern)) return result('unsubscribed', `This channel no longer hears about ${code(pattern)}.`, { pattern, removed: 1 });
      const subs = await deps.store.listSubscriptions(channel);
      const list = subs.length ? ` Its subscriptions: ${subs.map((s) => code(s.pattern)).join(', ')}.` : ' It has none.';
      return result('not_subscribed', `This channel is not subscribed to ${code(pattern)}.${list}`.slice(0, 3000), { pattern });
    }
    case 'unsubscribe_all': {
      const subs = await deps.store.listSubscriptions(channel);
      for (const s of subs) await deps.store.unsubscribe(channel, s.pattern);
      return result('unsubscribed', subs.length ? `Removed all ${subs.length} subscriptions of this channel.` : 'This channel had no subscriptions.', { pattern: 'all', removed: subs.length });
    }
    case 'list':
      return listSubscriptions(channel, user, deps);
    case 'mute':
      return handleMuteAction({ channel, user, tableKey: await resolveTable(cmd.table, deps.graph) }, deps);
    case 'unmute':
      return handleUnmuteAction({ channel, user, tableKey: await resolveTable(cmd.table, deps.graph, deps.store, channel) }, deps);
    case 'owner_dms':
      await deps.store.setOwnerDmOptOut(user, !cmd.enabled);
      return result('owner_dms', cmd.enabled ? 'You will get a direct message when a table you own changes in a breaking way.' : 'You will no longer get direct messages about breaking changes to tables you own. `/data subscribe dms` turns them back on.', {
        enabled: cmd.enabled,
      });
    default: {
      const never: never = cmd;
      return never;
    }
  }
}

function safePatternText(raw: string): string {
  try {
    return parsePattern(raw).text;
  } catch {
    return raw.trim();
  }
}

async function listSubscriptions(channel: string, user: string, deps: SubscriptionDeps): Promise<SubscriptionResult> {
  const [subscriptions, mutes, optedOut, brokenChannels] = await Promise.all([deps.store.listSubscriptions(channel), deps.store.listMutes(channel), deps.store.ownerDmOptOuts([user]), deps.store.brokenChannels()]);
  const ownerDms = !optedOut.has(user);
  const broken = brokenChannels.find((b) => b.channel === channel);
  const blocks: Block[] = [];
  if (broken) {
    const reason = isChannelGone(broken.code) ? HEALTH.en.reason[broken.code] : escapeMrkdwn(broken.code);
    blocks.push(section(`${HEALTH.en.brokenList(reason, broken.since.slice(0, 16).replace('T', ' ') + ' UTC')}\n${HEALTH.en.fix}`));
  }
  const mark = broken ? HEALTH.en.brokenMark : '';
  const subLines = subscriptions.map((s) => `• ${code(s.pattern)}${s.mode === 'daily' ? ' — daily digest' : ''}${s.createdBy ? ` (by <@${s.createdBy}>)` : ''}${mark}`);
  const head = subscriptions.length ? `*This channel’s subscriptions (${subscriptions.length}):*` : 'This channel has no subscriptions. Try `/data subscribe game_log.*`.';
  blocks.push(section(fitLines([head, ...subLines], 3000, (n) => `_…and ${n} more_`).text));
  if (mutes.length) {
    const shown = mutes.slice(0, 20);
    blocks.push(section(`*Muted tables (${mutes.length}):*`));
    shown.forEach((m, i) => {
      const unmute: Button = { type: 'button', action_id: i === 0 ? ALERT_ACTIONS.unmuteTable : `${ALERT_ACTIONS.unmuteTable}:${i}`, text: { type: 'plain_text', text: 'Unmute' }, value: m.tableKey };
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `• ${code(m.tableKey)}` }, accessory: unmute });
    });
    if (mutes.length > shown.length) blocks.push(section(`_…and ${mutes.length - shown.length} more; \`/data unmute <table>\` unmutes one._`));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ownerDms ? 'You get direct messages about breaking changes to tables you own (`/data unsubscribe dms` stops them).' : 'You turned off direct messages about tables you own (`/data subscribe dms` turns them back on).' }] });
  const text = (broken ? 'Alerts to this channel are broken. ' : '') + (subscriptions.length ? `This channel subscribes to ${subscriptions.map((s) => s.pattern).join(', ')}`.slice(0, 3000) : 'This channel has no subscriptions.');
  return result('list', text, { subscriptions, mutes, ownerDms, ...(broken ? { broken } : {}) }, blocks);
}

/** Finds the one table a person means by a key or `schema.table`; a `UserError` when none or several match. */
async function resolveTable(raw: string, graph: GraphStore, store?: AlertStore, channel?: string): Promise<string> {
  const text = raw.trim().replace(/^`+|`+$/g, '');
  if (parseTableKey(text)) return text;
  let pattern;
  try {
    pattern = parsePattern(text);
  } catch {
    throw new UserError('bad_table', `"${text}" is not a table. Use \`schema.table\` or a table key.`);
  }
  if (pattern.kind !== 'name' || pattern.glob) throw new UserError('bad_table', `Mute one table at a time (\`schema.table\` or a table key), not ${pattern.text}.`);
  const candidates = store && channel ? (await store.listMutes(channel)).map((m) => m.tableKey) : [];
  const keys = [...new Set([...candidates, ...(await graph.listTableKeys({ includeRemoved: true }))])].filter((key) => matchesPattern(pattern, { key }));
  if (keys.length === 1) return keys[0]!;
  if (!keys.length) throw new UserError('unknown_table', `I don't know a table called ${text}.`);
  throw new UserError('ambiguous_table', `Several tables are called ${text}: ${keys.slice(0, 10).join(', ')}. Use the full key.`, { candidates: keys.slice(0, 10) });
}

/** The `mute_table` button (value: the table key) or `/data mute`: silences a table in the channel. */
export async function handleMuteAction(input: { channel: string; user: string; tableKey: string }, deps: SubscriptionDeps): Promise<Extract<SubscriptionResult, { kind: 'muted' }>> {
  if (!parseTableKey(input.tableKey)) throw new UserError('bad_table', `"${input.tableKey}" is not a table key.`);
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const changed = await deps.store.mute({ channel: input.channel, tableKey: input.tableKey, mutedBy: input.user, at });
  const text = changed ? `Muted ${code(input.tableKey)} in this channel: its schema changes will not be announced here.` : `${code(input.tableKey)} was already muted in this channel.`;
  const undo: Button = { type: 'button', action_id: ALERT_ACTIONS.unmuteTable, text: { type: 'plain_text', text: 'Undo' }, value: input.tableKey };
  return result('muted', text, { tableKey: input.tableKey, changed }, [section(text), { type: 'actions', elements: [undo] }]);
}

/** The `unmute_table` button or `/data unmute`. */
export async function handleUnmuteAction(input: { channel: string; user: string; tableKey: string }, deps: SubscriptionDeps): Promise<Extract<SubscriptionResult, { kind: 'unmuted' }>> {
  const changed = await deps.store.unmute(input.channel, input.tableKey);
  return result('unmuted', changed ? `Unmuted ${code(input.tableKey)} in this channel.` : `${code(input.tableKey)} was not muted in this channel.`, { tableKey: input.tableKey, changed });
}

/** The "subscribe to changes" button of a table card (value: the table key): subscribes the channel to that table. */
export async function handleSubscribeTableAction(input: { channel: string; user: string; tableKey: string; mode?: DeliveryMode }, deps: SubscriptionDeps): Promise<SubscriptionResult> {
  if (!parseTableKey(input.tableKey)) throw new UserError('bad_table', `"${input.tableKey}" is not a table key.`);
  return handleSubscriptionCommand(`subscribe ${input.tableKey}${input.mode === 'daily' ? ' --digest daily' : ''}`, input.channel, input.user, deps);
}

/** The "Stop these messages" button of an owner DM. */
export async function handleOwnerDmOptOutAction(input: { user: string }, deps: SubscriptionDeps): Promise<SubscriptionResult> {
  return handleSubscriptionCommand('unsubscribe dms', '', input.user, deps);
}

/**
 * The `show_all_changes` button (value: the change set id) and the modal's paging buttons (value: a
 * `ChangeListPage` JSON): the full list as a modal view to `views.open` / `views.update`. Reads no lineage, so it
 * is fast enough to open within the trigger's 3 s.
 */
export async function loadChangeListView(value: string, deps: Pick<SubscriptionDeps, 'store'> & { graph?: GraphStore; withContext?: boolean }): Promise<ChangeListView> {
  let ref: ChangeListPage = { set: value, page: 0 };
  if (value.startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as Partial<ChangeListPage>;
      ref = { set: String(parsed.set ?? ''), page: Number(parsed.page ?? 0) || 0 };
    } catch {
      throw new UserError('bad_request', 'That button is broken; please ask again.');
    }
  }
  const set = await deps.store.getChangeSet(ref.set);
  if (!set) throw new UserError('expired', 'Those changes are no longer kept. Recent changes are on the table cards and in App Home.');
  const changes = classifyChanges(set.changes);
  const contexts = deps.withContext && deps.graph ? await loadTableContexts([...new Set(changes.map((c) => c.tableKey))], deps.graph, { depth: 1 }) : undefined;
  return buildChangeListView({ changeSetId: set.id, changes, ...(contexts ? { contexts } : {}), page: ref.page, title: set.kind === 'digest' ? 'Daily digest' : 'Schema changes' });
}
