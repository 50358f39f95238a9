import type { CrawlReport } from '../domain/crawl';
import { effectiveOwners, effectiveTags, type SchemaChange } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import { classifyChanges } from './classify';
import { matchesPattern, parsePattern, type SubscriptionPattern } from './patterns';
import type { AlertStore, ChangeSet, ChannelSubscription, SubscriptionLanguage } from '../ports/alert-store';

/** Who receives a message: a channel, or a table owner in a direct message (by Slack user id). */
export type AlertTarget = { kind: 'channel'; channel: string } | { kind: 'owner_dm'; user: string };

/**
 * One message to deliver: the payload of a delivery job. It carries ids, not text; the worker renders the
 * message from the change set with fresh context (owners, lineage) when it sends.
 */
export interface AlertDelivery {
  /**
   * Idempotency key: the change set and the recipient (`crawl:<source>:<crawlId>|ch:<channel>`). A change set is
   * announced once per recipient whatever retries happen; the key deliberately leaves out the table set, so a
   * plan re-run after a subscription change cannot announce the same crawl to a channel twice.
   */
  key: string;
  target: AlertTarget;
  /** The change set the message announces (see `AlertStore.getChangeSet`). */
  changeSetId: string;
  /** The tables this recipient hears about. */
  tableKeys: string[];
  variant: { kind: 'live'; source: string; crawlId: string } | { kind: 'digest'; date: string } | { kind: 'owner_dm' };
  /** When the crawl finished (or the digest was sealed): alert latency is measured from here. */
  observedAt: string;
  /**
   * The language to write the message in: of the newest matching channel subscription that has one, else of a
   * matching personal table subscription that has one. Absent on an owner's DM (written in the owner's language,
   * looked up when it is sent: `DeliverDeps.recipientLanguage`); absent otherwise (subscriptions older than
   * languages, jobs queued before): `NANSEN_LANGUAGE`.
   */
  language?: SubscriptionLanguage;
}

/** What a crawl's changes turn into. */
export interface AlertPlan {
  changeSet: ChangeSet;
  /** Live messages to channels and DMs to owners, one per recipient. */
  deliveries: AlertDelivery[];
  /** Changes to add to digest channels' buffers. */
  digests: Array<{ channel: string; changes: SchemaChange[] }>;
  /** Owners of broken tables who could not be told (no Slack id known). */
  unreachableOwners: string[];
}

export interface PlanDeps {
  store: AlertStore;
  graph: GraphStore;
  /** Send direct messages to owners about breaking changes (default true). */
  ownerDms?: boolean;
  /**
   * Subscriptions kept elsewhere, e.g. people's own "subscribe to changes" on a table card (the Slack app's
   * `UserStateStore.subscribersOf`): each is one table delivered live to a channel (a DM channel for oneself), in
   * its language when it has one.
   */
  extraSubscribers?(tableKeys: string[]): Promise<Array<{ channel: string; tableKey: string; language?: SubscriptionLanguage }>>;
}

/** The parts of a crawl report planning reads; `CrawlReport` is one. */
export type CrawlChanges = Pick<CrawlReport, 'source' | 'crawlId' | 'finishedAt' | 'changes'> & { dryRun?: boolean; refused?: unknown };

/** Id of a crawl's change set. */
export function crawlChangeSetId(source: string, crawlId: string): string {
  return `crawl:${source}:${crawlId}`;
}

export function deliveryKey(changeSetId: string, target: AlertTarget): string {
  return `${changeSetId}|${target.kind === 'channel' ? `ch:${target.channel}` : `dm:${target.user}`}`;
}

/**
 * Turns a crawl's changes into deliveries: for every channel, the changed tables its subscriptions match (by key,
 * `schema.table` glob or tag) less the tables it muted; live channels get one message, digest channels get the
 * changes buffered (a channel with both kinds of subscription matching a table hears about it live). Owners of
 * tables with breaking changes get one direct message each, unless they turned those off. Channels whose
 * subscriptions are broken (Slack refused their alerts for good) get nothing until they are fixed. Reads only; a dry run
 * or a refused crawl plans nothing.
 */
export async function planAlerts(report: CrawlChanges, deps: PlanDeps): Promise<AlertPlan> {
  const changeSet: ChangeSet = { id: crawlChangeSetId(report.source, report.crawlId), kind: 'crawl', source: report.source, crawlId: report.crawlId, createdAt: report.finishedAt, changes: report.changes };
  const plan: AlertPlan = { changeSet, deliveries: [], digests: [], unreachableOwners: [] };
  if (report.dryRun || report.refused || !report.changes.length) return plan;

  const changedKeys = [...new Set(report.changes.map((c) => c.tableKey))];
  const [allSubs, mutes, tables, broken] = await Promise.all([deps.store.allSubscriptions(), deps.store.allMutes(), deps.graph.getTables(changedKeys), deps.store.brokenChannels()]);
  const brokenChannels = new Set(broken.map((b) => b.channel));
  const subscriptions = allSubs.filter((s) => !brokenChannels.has(s.channel));
  const tableByKey = new Map(tables.map((t) => [t.key, t]));
  const targets = changedKeys.map((key) => ({ key, tags: tableByKey.has(key) ? effectiveTags(tableByKey.get(key)!) : [] }));
  const muted = new Set(mutes.map((m) => `${m.channel}\u0000${m.tableKey}`));

  const live = new Map<string, Set<string>>();
  const daily = new Map<string, Set<string>>();
  // subscriptions come oldest first: the newest matching one with a language wins
  const liveLanguage = new Map<string, SubscriptionLanguage>();
  for (const sub of subscriptions) {
    const pattern = safeParse(sub);
    if (!pattern) continue;
    const into = sub.mode === 'daily' ? daily : live;
    for (const t of targets) {
      if (!matchesPattern(pattern, t) || muted.has(`${sub.channel}\u0000${t.key}`)) continue;
      let set = into.get(sub.channel);
      if (!set) into.set(sub.channel, (set = new Set()));
      set.add(t.key);
      if (sub.mode === 'live' && sub.language) liveLanguage.set(sub.channel, sub.language);
    }
  }

  if (deps.extraSubscribers) {
    const changed = new Set(changedKeys);
    const personalLanguage = new Map<string, SubscriptionLanguage>();
    for (const { channel, tableKey, language } of await deps.extraSubscribers(changedKeys)) {
      if (!changed.has(tableKey) || brokenChannels.has(channel) || muted.has(`${channel}\u0000${tableKey}`)) continue;
      let set = live.get(channel);
      if (!set) live.set(channel, (set = new Set()));
      set.add(tableKey);
      if (language) personalLanguage.set(channel, language);
    }
    // a channel subscription's language, when one matched, outranks a person's own
    for (const [channel, language] of personalLanguage) if (!liveLanguage.has(channel)) liveLanguage.set(channel, language);
  }

  const observedAt = report.finishedAt;
  const variant = { kind: 'live' as const, source: report.source, crawlId: report.crawlId };
  for (const [channel, keys] of [...live].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target: AlertTarget = { kind: 'channel', channel };
    const language = liveLanguage.get(channel);
    plan.deliveries.push({ key: deliveryKey(changeSet.id, target), target, changeSetId: changeSet.id, tableKeys: [...keys].sort(), variant, observedAt, ...(language ? { language } : {}) });
  }
  for (const [channel, keys] of [...daily].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const liveKeys = live.get(channel);
    const wanted = new Set([...keys].filter((k) => !liveKeys?.has(k)));
    const changes = report.changes.filter((c) => wanted.has(c.tableKey));
    if (changes.length) plan.digests.push({ channel, changes });
  }

  if (deps.ownerDms ?? true) {
    const broken = new Set(classifyChanges(report.changes).filter((c) => c.severity === 'breaking').map((c) => c.tableKey));
    const ownersOf = new Map<string, string[]>();
    for (const key of broken) {
      const t = tableByKey.get(key);
      if (t) ownersOf.set(key, effectiveOwners(t));
    }
    const ownerIds = [...new Set([...ownersOf.values()].flat())];
    if (ownerIds.length) {
      const users = new Map((await deps.graph.getUsers(ownerIds)).map((u) => [u.id, u]));
      const slackIds = ownerIds.map((id) => users.get(id)?.slackId).filter((s): s is string => !!s);
      const optedOut = await deps.store.ownerDmOptOuts(slackIds);
      const perUser = new Map<string, Set<string>>();
      for (const [key, owners] of ownersOf) {
        for (const owner of owners) {
          const slackId = users.get(owner)?.slackId;
          if (!slackId) {
            if (!plan.unreachableOwners.includes(owner)) plan.unreachableOwners.push(owner);
            continue;
          }
          if (optedOut.has(slackId)) continue;
          let set = perUser.get(slackId);
          if (!set) perUser.set(slackId, (set = new Set()));
          set.add(key);
        }
      }
      for (const [user, keys] of [...perUser].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const target: AlertTarget = { kind: 'owner_dm', user };
        plan.deliveries.push({ key: deliveryKey(changeSet.id, target), target, changeSetId: changeSet.id, tableKeys: [...keys].sort(), variant: { kind: 'owner_dm' }, observedAt });
      }
    }
  }
  return plan;
}

function safeParse(sub: ChannelSubscription): SubscriptionPattern | undefined {
  try {
    return parsePattern(sub.pattern);
  } catch {
    return undefined;
  }
}

/** Where deliveries go: a queue (BullMQ in the worker) or a direct call in tests and in-process runs. */
export interface DeliverySink {
  enqueue(deliveries: AlertDelivery[]): Promise<void>;
}

/**
 * Writes a plan: the change set (first version wins), the digest buffers (idempotent by change id), then the
 * deliveries (the sink must add each once, e.g. a stable job id). Safe to run again after a crash at any point.
 */
export async function commitPlan(plan: AlertPlan, deps: { store: AlertStore; sink: DeliverySink }): Promise<void> {
  if (!plan.deliveries.length && !plan.digests.length) return;
  await deps.store.putChangeSet(plan.changeSet);
  for (const d of plan.digests) await deps.store.bufferDigest(d.channel, d.changes);
  if (plan.deliveries.length) await deps.sink.enqueue(plan.deliveries);
}

/** How long a change set's claim on its changes holds before another may take them over (default 10 min). */
export const CHANGE_CLAIM_LEASE_MS = 10 * 60_000;

/**
 * Plans a crawl's alerts and commits the plan, announcing each schema change once whatever path brought it here:
 * the change set first claims its changes in the store's change ledger (keyed on the change itself), plans only
 * those it holds (another crawl's change set may hold the rest), commits, then marks them announced. A retry of
 * the same change set holds the same changes. A claim that lapsed (its process died before the mark) is finished
 * under its first owner when that owner's change set was written (its deliveries may be out: planned again,
 * they get the same keys, which the sink adds once), and else taken over: nothing of it reached the sink.
 */
export async function dispatchAlerts(report: CrawlChanges, deps: PlanDeps & { sink: DeliverySink; claimLeaseMs?: number }): Promise<AlertPlan> {
  if (report.dryRun || report.refused || !report.changes.length) return planAlerts(report, deps);
  const lease = deps.claimLeaseMs ?? CHANGE_CLAIM_LEASE_MS;
  const owner = crawlChangeSetId(report.source, report.crawlId);
  const unique = [...new Map(report.changes.map((c) => [c.id, c])).values()];
  const claims = await deps.store.claimChanges(owner, unique.map((c) => c.id), lease);
  const held = new Set(claims.held);
  for (const lapsed of claims.lapsed) {
    const earlier = await deps.store.getChangeSet(lapsed.owner);
    if (earlier?.crawlId && earlier.source) {
      await dispatchAlerts({ source: earlier.source, crawlId: earlier.crawlId, finishedAt: earlier.createdAt, changes: earlier.changes }, deps);
    } else {
      for (const id of await deps.store.takeOverChanges(owner, lapsed.owner, lapsed.ids, lease)) held.add(id);
    }
  }
  const plan = await planAlerts({ ...report, changes: unique.filter((c) => held.has(c.id)) }, deps);
  await commitPlan(plan, deps);
  if (held.size) await deps.store.announceChanges(owner, [...held]);
  return plan;
}

/**
 * The schema changes with these ids, read from the graph (the alert queue's job carries ids). The graph lists
 * changes newest first, so this reads a growing window until it has them all or the history ends.
 */
export async function loadChangesByIds(graph: GraphStore, ids: readonly string[], options: { maxScan?: number } = {}): Promise<SchemaChange[]> {
  const wanted = new Set(ids);
  if (!wanted.size) return [];
  const maxScan = options.maxScan ?? 1_000_000;
  let limit = Math.max(wanted.size * 2, 1000);
  for (;;) {
    const recent = await graph.recentSchemaChanges({ limit });
    const found = recent.filter((c) => wanted.has(c.id));
    if (found.length >= wanted.size || recent.length < limit || limit >= maxScan) {
      const order = new Map(ids.map((id, i) => [id, i]));
      return found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    }
    limit = Math.min(limit * 4, maxScan);
  }
}
