import { UserError } from '../domain/errors';
import { parseTableKey } from '../domain/keys';
import type { GraphStore } from '../ports/graph-store';
import { classifyChanges } from './classify';
import { loadTableContexts } from './context';
import { ALERT_ACTIONS, buildChangeListView, code, fitLines, type Block, type Button, type ChangeListPage, type ChangeListView } from './message';
import { isSingleTable, matchesPattern, parsePattern } from './patterns';
import type { AlertStore, BrokenChannel, DeliveryMode, Mute, ChannelSubscription } from '../ports/alert-store';
import { escapeMrkdwn } from '../text/mrkdwn';
import { messagesFor, t, type Lang } from '../text/catalogue';
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

function help(lang: Lang): string {
  const m = messagesFor(lang);
  return [m('subs.help.subscribe'), m('subs.help.digest'), m('subs.help.patterns'), m('subs.help.unsubscribe'), m('subs.help.mute'), m('subs.help.dms'), m('subs.help.language')].join('\n');
}

/** Parses the text after `/data` (with or without the `/data` itself); a problem is said in `lang`. Pure. */
export function parseSubscriptionCommand(text: string, lang: Lang = 'en'): SubscriptionCommand {
  const m = messagesFor(lang);
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
      if (value !== 'daily') return { kind: 'help', problem: m('subs.problem.digestValue', { value: code(value || m('subs.problem.nothing')) }) };
      mode = 'daily';
    } else if (lower === '--daily') mode = 'daily';
    else if (lower === '--live') mode = 'live';
    else if (lower.startsWith('--')) return { kind: 'help', problem: m('subs.problem.option', { option: code(w) }) };
    else args.push(w);
  }
  const arg = args[0];
  if (args.length > 1) return { kind: 'help', problem: m('subs.problem.onePattern') };
  switch (verb) {
    case 'subscribe':
      if (!arg) return { kind: 'help', problem: m('subs.problem.subscribeWhat') };
      if (/^(dms?|owner-?dms?)$/i.test(arg)) return { kind: 'owner_dms', enabled: true };
      return { kind: 'subscribe', pattern: arg, mode };
    case 'unsubscribe':
      if (!arg) return { kind: 'help', problem: m('subs.problem.unsubscribeWhat') };
      if (/^(dms?|owner-?dms?)$/i.test(arg)) return { kind: 'owner_dms', enabled: false };
      if (arg.toLowerCase() === 'all') return { kind: 'unsubscribe_all' };
      return { kind: 'unsubscribe', pattern: arg };
    case 'subscriptions':
      return { kind: 'list' };
    case 'mute':
      return arg ? { kind: 'mute', table: arg } : { kind: 'help', problem: m('subs.problem.muteWhich') };
    case 'unmute':
      return arg ? { kind: 'unmute', table: arg } : { kind: 'help', problem: m('subs.problem.unmuteWhich') };
    default:
      return { kind: 'help' };
  }
}

export interface SubscriptionDeps {
  store: AlertStore;
  graph: GraphStore;
  now?: () => Date;
  /**
   * The language of the person running the command (see src/slack/language): replies are written in it, and a
   * subscription made keeps it for its alerts. Default English, and then a new subscription keeps none.
   */
  lang?: Lang;
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
  const lang = deps.lang ?? 'en';
  const m = messagesFor(lang);
  const cmd = parseSubscriptionCommand(text, lang);
  const now = (deps.now ?? (() => new Date()))().toISOString();
  switch (cmd.kind) {
    case 'help':
      return result('help', cmd.problem ? `${cmd.problem}\n\n${help(lang)}` : help(lang), {});
    case 'subscribe': {
      const pattern = parsePattern(cmd.pattern, lang);
      const sub: ChannelSubscription = { channel, pattern: pattern.text, mode: cmd.mode, createdBy: user, createdAt: now, ...(deps.lang ? { language: deps.lang } : {}) };
      const outcome = await deps.store.subscribe(sub);
      // The Slack listener checked membership before calling: subscribing again is how a broken channel is fixed.
      await deps.store.clearChannelBroken(channel);
      const matches = pattern.kind === 'tag' ? undefined : (await deps.graph.listTableKeys()).filter((key) => matchesPattern(pattern, { key })).length;
      const how = m(cmd.mode === 'daily' ? 'subs.how.daily' : 'subs.how.live');
      // a language-only change is no news to the channel: it still hears about the pattern as before
      const status = outcome.status === 'updated' && outcome.previous.mode === sub.mode ? 'unchanged' : outcome.status;
      let line = m(`subs.subscribed.${status}`, { pattern: code(pattern.text), how });
      if (matches !== undefined) line += matches ? m('subs.matches', { n: matches }) : isSingleTable(pattern) ? m('subs.noSuchTable') : m('subs.noMatch');
      return result('subscribed', line, { subscription: sub, status: outcome.status, ...(matches === undefined ? {} : { matches }) });
    }
    case 'unsubscribe': {
      const pattern = safePatternText(cmd.pattern);
      if (await deps.store.unsubscribe(channel, pattern)) return result('unsubscribed', m('subs.unsubscribed', { pattern: code(pattern) }), { pattern, removed: 1 });
      const subs = await deps.store.listSubscriptions(channel);
      const list = subs.length ? m('subs.itsSubscriptions', { patterns: subs.map((s) => code(s.pattern)).join(', ') }) : m('subs.itHasNone');
      return result('not_subscribed', `${m('subs.notSubscribed', { pattern: code(pattern) })}${list}`.slice(0, 3000), { pattern });
    }
    case 'unsubscribe_all': {
      const subs = await deps.store.listSubscriptions(channel);
      for (const s of subs) await deps.store.unsubscribe(channel, s.pattern);
      return result('unsubscribed', subs.length ? m('subs.removedAll', { n: subs.length }) : m('subs.hadNone'), { pattern: 'all', removed: subs.length });
    }
    case 'list':
      return listSubscriptions(channel, user, deps);
    case 'mute':
      return handleMuteAction({ channel, user, tableKey: await resolveTable(cmd.table, lang, deps.graph) }, deps);
    case 'unmute':
      return handleUnmuteAction({ channel, user, tableKey: await resolveTable(cmd.table, lang, deps.graph, deps.store, channel) }, deps);
    case 'owner_dms':
      await deps.store.setOwnerDmOptOut(user, !cmd.enabled);
      return result('owner_dms', m(cmd.enabled ? 'subs.ownerDms.on' : 'subs.ownerDms.off'), {
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
  const lang = deps.lang ?? 'en';
  const m = messagesFor(lang);
  const ownerDms = !optedOut.has(user);
  const broken = brokenChannels.find((b) => b.channel === channel);
  const blocks: Block[] = [];
  if (broken) {
    const reason = isChannelGone(broken.code) ? HEALTH[lang].reason[broken.code] : escapeMrkdwn(broken.code);
    blocks.push(section(`${HEALTH[lang].brokenList(reason, broken.since.slice(0, 16).replace('T', ' ') + ' UTC')}\n${HEALTH[lang].fix}`));
  }
  const mark = broken ? HEALTH[lang].brokenMark : '';
  const subLines = subscriptions.map((s) => `• ${code(s.pattern)}${s.mode === 'daily' ? m('subs.list.daily') : ''}${s.createdBy ? m('subs.list.by', { user: `<@${s.createdBy}>` }) : ''}${mark}`);
  const head = subscriptions.length ? m('subs.list.head', { n: subscriptions.length }) : m('subs.list.none');
  blocks.push(section(fitLines([head, ...subLines], 3000, (n) => m('subs.list.more', { n })).text));
  if (mutes.length) {
    const shown = mutes.slice(0, 20);
    blocks.push(section(m('subs.list.muted', { n: mutes.length })));
    shown.forEach((mute, i) => {
      const unmute: Button = { type: 'button', action_id: i === 0 ? ALERT_ACTIONS.unmuteTable : `${ALERT_ACTIONS.unmuteTable}:${i}`, text: { type: 'plain_text', text: m('subs.unmute') }, value: mute.tableKey };
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `• ${code(mute.tableKey)}` }, accessory: unmute });
    });
    if (mutes.length > shown.length) blocks.push(section(m('subs.list.moreMutes', { n: mutes.length - shown.length })));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: m(ownerDms ? 'subs.list.dmsOn' : 'subs.list.dmsOff') }] });
  const text = (broken ? m('subs.list.brokenText') : '') + (subscriptions.length ? m('subs.list.text', { patterns: subscriptions.map((s) => s.pattern).join(', ') }).slice(0, 3000) : m('subs.list.noneText'));
  return result('list', text, { subscriptions, mutes, ownerDms, ...(broken ? { broken } : {}) }, blocks);
}

/** Finds the one table a person means by a key or `schema.table`; a `UserError` when none or several match. */
async function resolveTable(raw: string, lang: Lang, graph: GraphStore, store?: AlertStore, channel?: string): Promise<string> {
  const text = raw.trim().replace(/^`+|`+$/g, '');
  if (parseTableKey(text)) return text;
  let pattern;
  try {
    pattern = parsePattern(text, lang);
  } catch {
    throw new UserError('bad_table', t(lang, 'subs.error.notATable', { text }));
  }
  if (pattern.kind !== 'name' || pattern.glob) throw new UserError('bad_table', t(lang, 'subs.error.oneTable', { pattern: pattern.text }));
  const candidates = store && channel ? (await store.listMutes(channel)).map((m) => m.tableKey) : [];
  const keys = [...new Set([...candidates, ...(await graph.listTableKeys({ includeRemoved: true }))])].filter((key) => matchesPattern(pattern, { key }));
  if (keys.length === 1) return keys[0]!;
  if (!keys.length) throw new UserError('unknown_table', t(lang, 'subs.error.unknownTable', { text }));
  throw new UserError('ambiguous_table', t(lang, 'subs.error.ambiguous', { text, keys: keys.slice(0, 10).join(', ') }), { candidates: keys.slice(0, 10) });
}

/** The `mute_table` button (value: the table key) or `/data mute`: silences a table in the channel. */
export async function handleMuteAction(input: { channel: string; user: string; tableKey: string }, deps: SubscriptionDeps): Promise<Extract<SubscriptionResult, { kind: 'muted' }>> {
  const m = messagesFor(deps.lang ?? 'en');
  if (!parseTableKey(input.tableKey)) throw new UserError('bad_table', m('subs.error.notATableKey', { key: input.tableKey }));
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const changed = await deps.store.mute({ channel: input.channel, tableKey: input.tableKey, mutedBy: input.user, at });
  const text = m(changed ? 'subs.muted' : 'subs.alreadyMuted', { table: code(input.tableKey) });
  const undo: Button = { type: 'button', action_id: ALERT_ACTIONS.unmuteTable, text: { type: 'plain_text', text: m('subs.undo') }, value: input.tableKey };
  return result('muted', text, { tableKey: input.tableKey, changed }, [section(text), { type: 'actions', elements: [undo] }]);
}

/** The `unmute_table` button or `/data unmute`. */
export async function handleUnmuteAction(input: { channel: string; user: string; tableKey: string }, deps: SubscriptionDeps): Promise<Extract<SubscriptionResult, { kind: 'unmuted' }>> {
  const changed = await deps.store.unmute(input.channel, input.tableKey);
  return result('unmuted', t(deps.lang ?? 'en', changed ? 'subs.unmuted' : 'subs.notMuted', { table: code(input.tableKey) }), { tableKey: input.tableKey, changed });
}

/** The "subscribe to changes" button of a table card (value: the table key): subscribes the channel to that table. */
export async function handleSubscribeTableAction(input: { channel: string; user: string; tableKey: string; mode?: DeliveryMode }, deps: SubscriptionDeps): Promise<SubscriptionResult> {
  if (!parseTableKey(input.tableKey)) throw new UserError('bad_table', t(deps.lang ?? 'en', 'subs.error.notATableKey', { key: input.tableKey }));
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
export async function loadChangeListView(value: string, deps: Pick<SubscriptionDeps, 'store' | 'lang'> & { graph?: GraphStore; withContext?: boolean }): Promise<ChangeListView> {
  const lang = deps.lang ?? 'en';
  let ref: ChangeListPage = { set: value, page: 0 };
  if (value.startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as Partial<ChangeListPage>;
      ref = { set: String(parsed.set ?? ''), page: Number(parsed.page ?? 0) || 0 };
    } catch {
      throw new UserError('bad_request', t(lang, 'subs.error.brokenButton'));
    }
  }
  const set = await deps.store.getChangeSet(ref.set);
  if (!set) throw new UserError('expired', t(lang, 'subs.error.expired'));
  const changes = classifyChanges(set.changes);
  const contexts = deps.withContext && deps.graph ? await loadTableContexts([...new Set(changes.map((c) => c.tableKey))], deps.graph, { depth: 1 }) : undefined;
  return buildChangeListView({ changeSetId: set.id, changes, ...(contexts ? { contexts } : {}), page: ref.page, title: t(lang, set.kind === 'digest' ? 'alert.list.titleDigest' : 'alert.list.title'), lang });
}
