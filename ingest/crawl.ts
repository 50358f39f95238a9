import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { bulkPublishTableBatches, publishRecords, publishTableBatches, refreshSearch } from '../src/catalog/publish';
import type { Stores } from '../src/catalog/publish';
import type { GraphStore } from '../src/ports/graph-store';
import type { Dashboard, DashboardRecord, IsoTime, Table, TableRecord, User } from '../src/domain/model';
import type { Logger } from '../src/log/logger';
import { createConnector } from './connectors';
import type { CrawlStateStore, SourceCrawlState } from '../src/ports/crawl-state-store';
import type { CrawlStatusStore } from '../src/ports/crawl-status-store';
import { changedUsers, diffDashboards, diffSnapshot, fingerprint, removedChanges, type DashboardDiff, type DiffContext, type SnapshotDiff } from './diff';
import { SourceError } from './errors';
import { redactSecrets } from '../src/log/redact';
import { tableFilter } from './patterns';
import type { Connector, CrawlOptions, SourceConfig } from './source';
import type { ConnectorState, CrawlReport } from '../src/domain/crawl';
import { sourceName } from './source';

/** The largest share of a source's tables (and dashboards) a crawl removes without `force`. */
export const REMOVAL_THRESHOLD = 0.05;

export interface CrawlDeps {
  stores: Stores;
  logger: Logger;
  /** The crawl's clock (default: the system's). */
  now?: () => Date;
  /** The crawler's memory between crawls (write counters, crawl generation). */
  state: CrawlStateStore;
  /** Where the crawl reports how it went, when given (skipped in a dry run). */
  status?: CrawlStatusStore;
  /** Where connection URLs are looked up (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Builds the source's connector (default `createConnector`). */
  connect?: (source: SourceConfig) => Connector;
  /**
   * Names the graph this crawl publishes to (the backend: `embedded`, `neo4j-es`); the crawler's memory
   * (fingerprints, write counters, generation) is kept per scope, so every process publishing to the same graph
   * must use the same scope. Default: `stores.backend` when the stores carry one (`OpenStores` does), else
   * `default`.
   */
  stateScope?: string;
}

/** What one complete extract produced. */
interface Extracted {
  tables: TableRecord[];
  dashboards: DashboardRecord[];
  users: User[];
  counts: Record<string, number>;
  connectorState?: ConnectorState;
}

/**
 * Crawls one source: extract (completely) → normalize → diff against the source's last snapshot in the graph →
 * publish only what changed → record schema changes → mark what the source no longer has as removed.
 *
 * Guarantees: a failed extract writes nothing (removals are computed only from a complete extract); a crawl
 * that would remove more than 5% of the source's tables stops before writing and reports `refused`, unless
 * `force`; `dryRun` computes everything and writes nothing; a crawl that finds nothing new writes nothing;
 * schema changes carry ids stable across retries of the same crawl; human edits survive (the GraphStore
 * contract). Source errors are `PermanentSourceError` or `TransientSourceError`; store errors pass through.
 * A failure is logged and recorded in the status store once, here, unless the caller does that itself
 * (`reportFailure: false`: the worker, which knows whether the job will be retried).
 */
export async function crawlSource(source: SourceConfig, deps: CrawlDeps, options: CrawlOptions = {}): Promise<CrawlReport> {
  const clock = deps.now ?? (() => new Date());
  const started = clock();
  const t0 = performance.now();
  const crawlId = options.crawlId ?? randomUUID();
  const dryRun = options.dryRun ?? false;
  const log = deps.logger.child({ source: source.id, crawlId });
  if (!dryRun) await deps.status?.recordStart(source.id, crawlId, started.toISOString());
  try {
    const report = await runCrawl(source, deps, options, { started, crawlId, clock });
    const ms = performance.now() - t0;
    if (!dryRun) await deps.status?.recordFinish(source.id, report, ms);
    if (report.refused) log.warn({ removals: report.refused.removals, total: report.refused.total }, 'crawl refused: too many removals');
    else log.info({ tables: report.tables, added: report.added.length, changed: report.changed.length, removed: report.removed.length, changes: report.changes.length, loaded: report.loaded.length, dryRun, ms: Math.round(ms) }, 'crawl finished');
    return report;
  } catch (e) {
    if (options.reportFailure === false) throw e;
    const ms = performance.now() - t0;
    const code = e instanceof SourceError ? e.code : 'crawl_failed';
    const retryable = e instanceof SourceError ? e.retryable : true;
    const message = redactSecrets(e instanceof Error ? e.message : String(e), []);
    log.error({ code, retryable, reason: message, ms: Math.round(ms) }, 'crawl failed');
    if (!dryRun) await deps.status?.recordFailure(source.id, crawlId, clock().toISOString(), { code, message, retryable }, ms).catch(() => undefined);
    throw e;
  }
}

/** Step 1, extract: the whole source into memory, or nothing (a failure part-way writes nothing). */
async function extract(source: SourceConfig, connector: Connector, state: SourceCrawlState, options: CrawlOptions, now: Date): Promise<Extracted> {
  const keep = tableFilter(source.include, source.exclude);
  const tables = new Map<string, TableRecord>();
  const dashboards = new Map<string, DashboardRecord>();
  const users = new Map<string, User>();
  const loads = new Map<string, IsoTime[]>();
  const counts: Record<string, number> = {};
  const count = (name: string, n = 1): void => {
    counts[name] = (counts[name] ?? 0) + n;
  };
  let connectorState: ConnectorState | undefined;
  let total: number | undefined;
  let done = 0;
  for await (const item of connector.extract({ now, ...(state.connector ? { state: state.connector } : {}), ...(options.signal ? { signal: options.signal } : {}) })) {
    switch (item.kind) {
      case 'table':
        if (!keep(item.record.schema, item.record.name)) {
          count('excluded_tables');
          break;
        }
        if (tables.has(item.record.key)) count('duplicate_keys');
        tables.set(item.record.key, item.record);
        done++;
        if (options.onProgress && (done % 100 === 0 || done === total)) options.onProgress({ phase: 'extract', done, ...(total !== undefined ? { total } : {}) });
        break;
      case 'dashboard':
        dashboards.set(item.record.key, item.record);
        break;
      case 'user':
        users.set(item.user.id, item.user);
        break;
      case 'load':
        loads.set(item.tableKey, [...(loads.get(item.tableKey) ?? []), item.at]);
        break;
      case 'total':
        total = item.tables;
        options.onProgress?.({ phase: 'extract', done, total });
        break;
      case 'count':
        count(item.name, item.n);
        break;
      case 'state':
        connectorState = item.state;
        break;
      default: {
        const never: never = item;
        throw new Error(`unknown extracted item ${JSON.stringify(never)}`);
      }
    }
  }
  if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
  options.onProgress?.({ phase: 'extract', done, total: done });
  for (const [key, at] of loads) {
    const record = tables.get(key);
    if (record) tables.set(key, { ...record, updates: [...(record.updates ?? []), ...at] });
    else count('loads_of_unknown_tables', at.length);
  }
  return { tables: [...tables.values()], dashboards: [...dashboards.values()], users: [...users.values()], counts, ...(connectorState ? { connectorState } : {}) };
}

/** What the graph held of the source when the crawl began: the one read of the graph a crawl makes. */
interface Snapshot {
  /** The source's tables in the graph (not removed). */
  keys: string[];
  /** Tables the source still has whose records match the fingerprints they were last published with. */
  unchanged: Set<string>;
  /** The extracted tables that are not `unchanged`: compared with the graph. */
  candidates: TableRecord[];
  /** The stored versions of the candidates the graph holds. */
  tables: Table[];
  /** Every key the graph holds among the source's tables and the candidates' upstream tables. */
  stored: Set<string>;
  dashboards: Dashboard[];
  /** The stored versions of the users the source named. */
  users: User[];
  /** Fingerprints on file, and the extracted tables' own. */
  fingerprints: Map<string, string>;
  prints: Map<string, string>;
}

/** What a crawl found changed: the pure diff of the extract against the snapshot. */
interface CrawlDiff {
  tables: SnapshotDiff;
  dashboards: DashboardDiff;
  users: User[];
}

const GRAPH_BATCH = 1000;

async function getInBatches<R>(keys: string[], read: (batch: string[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += GRAPH_BATCH) out.push(...(await read(keys.slice(i, i + GRAPH_BATCH))));
  return out;
}

/**
 * Step 2, snapshot: the source's tables in the graph. A table whose record matches the fingerprint it was last
 * published with is unchanged without reading it back; the others, and the upstream tables they name, are read
 * in one batched pass.
 */
async function readSnapshot(graph: GraphStore, name: string, extracted: Extracted, fingerprints: Map<string, string>): Promise<Snapshot> {
  const keys = await graph.listTableKeys({ source: name });
  const listed = new Set(keys);
  const prints = new Map(extracted.tables.map((t) => [t.key, fingerprint(t)]));
  const unchanged = new Set(extracted.tables.filter((t) => listed.has(t.key) && fingerprints.get(t.key) === prints.get(t.key)).map((t) => t.key));
  const candidates = extracted.tables.filter((t) => !unchanged.has(t.key));
  const comparedKeys = candidates.filter((t) => listed.has(t.key)).map((t) => t.key);
  const upstreamKeys = [...new Set(candidates.flatMap((t) => t.upstream ?? []))].filter((k) => !listed.has(k));
  const read: Table[] = await getInBatches([...new Set([...comparedKeys, ...upstreamKeys])], (batch) => graph.getTables(batch));
  const compared = new Set(comparedKeys);
  const stored = new Set([...keys, ...read.map((t) => t.key)]);
  const dashboardKeys = await graph.listDashboardKeys({ source: name });
  const [dashboards, users] = await Promise.all([
    dashboardKeys.length ? getInBatches(dashboardKeys, (batch) => graph.getDashboards(batch)) : Promise.resolve([] as Dashboard[]),
    extracted.users.length ? graph.getUsers(extracted.users.map((u) => u.id)) : Promise.resolve([] as User[]),
  ]);
  return { keys, unchanged, candidates, tables: read.filter((t) => compared.has(t.key)), stored, dashboards, users, fingerprints, prints };
}

/** Step 3, diff (pure): what changed between the snapshot and the extract, with the schema changes it makes. */
function diffCrawl(snapshot: Snapshot, extracted: Extracted, context: DiffContext): CrawlDiff {
  const tables = diffSnapshot(snapshot.tables, snapshot.candidates, context);
  const seen = new Set(extracted.tables.map((t) => t.key));
  const removedKeys = snapshot.keys.filter((k) => !seen.has(k));
  tables.removed.push(...removedKeys);
  tables.changes.push(...removedChanges(removedKeys, context));
  tables.unchanged.push(...snapshot.unchanged);
  return { tables, dashboards: diffDashboards(snapshot.dashboards, extracted.dashboards), users: changedUsers(snapshot.users, extracted.users) };
}

/** Step 4, guard (pure): a crawl that would remove more than `REMOVAL_THRESHOLD` of the source stops before writing. */
function guardRemovals(snapshot: Snapshot, diff: CrawlDiff, force: boolean): CrawlReport['refused'] {
  const entities = snapshot.keys.length + snapshot.dashboards.length;
  const removals = diff.tables.removed.length + diff.dashboards.removed.length;
  if (force || removals === 0 || entities === 0 || removals <= REMOVAL_THRESHOLD * entities) return undefined;
  return { reason: 'too_many_removals', removals, total: entities, threshold: REMOVAL_THRESHOLD };
}

/** Whether publishing the diff writes anything at all. */
function writesAnything(diff: CrawlDiff): boolean {
  const d = diff.tables;
  return d.changes.length + diff.users.length + d.added.length + d.changed.length + d.loads.length + d.removed.length + diff.dashboards.added.length + diff.dashboards.changed.length + diff.dashboards.removed.length > 0;
}

/**
 * Step 5, publish, in this order: schema changes (idempotent by id) → users → changed tables (in batches) → new
 * load times → dashboards → removals. Removals come last, so a store failing mid-publish never leaves a half-done
 * removal.
 */
async function publish(diff: CrawlDiff, stores: Stores, at: IsoTime, options: CrawlOptions): Promise<void> {
  const { graph } = stores;
  const batchSize = options.batchSize ?? 500;
  const d = diff.tables;
  const tables = [...d.added, ...d.changed];
  const dashboards = [...diff.dashboards.added, ...diff.dashboards.changed];
  const loadedKeys = [...new Set(d.loads.map((l) => l.tableKey))];
  const removed = [...d.removed, ...diff.dashboards.removed];
  const total = tables.length + dashboards.length + loadedKeys.length + removed.length;
  let published = 0;
  const progress = (n: number): void => {
    published += n;
    options.onProgress?.({ phase: 'publish', done: published, total });
  };
  if (d.changes.length) await graph.recordSchemaChanges(d.changes);
  if (diff.users.length) await graph.upsertUsers(diff.users);
  const tableBatches: TableRecord[][] = [];
  for (let i = 0; i < tables.length; i += batchSize) tableBatches.push(tables.slice(i, i + batchSize));
  // More than one batch (a first crawl, a large addition): search writes visible together at the end, faster.
  await (tableBatches.length > 1 ? bulkPublishTableBatches : publishTableBatches)(tableBatches, stores, progress);
  if (d.loads.length) {
    await graph.recordLoads(d.loads);
    for (let i = 0; i < loadedKeys.length; i += batchSize) {
      const batch = loadedKeys.slice(i, i + batchSize);
      await refreshSearch({ tables: batch }, stores);
      progress(batch.length);
    }
  }
  if (dashboards.length) {
    await publishRecords({ dashboards }, stores);
    progress(dashboards.length);
  }
  if (removed.length) {
    await graph.markRemoved(removed, at);
    await refreshSearch({ tables: d.removed, dashboards: diff.dashboards.removed }, stores);
    progress(removed.length);
  }
}

/** The keys a publish is about to write to the search index: saved first, so an interrupted publish is caught up. */
function pendingSearchOf(diff: CrawlDiff): NonNullable<SourceCrawlState['pendingSearch']> {
  const d = diff.tables;
  return {
    tables: [...d.added.map((t) => t.key), ...d.changed.map((t) => t.key), ...new Set(d.loads.map((l) => l.tableKey)), ...d.removed],
    dashboards: [...diff.dashboards.added.map((x) => x.key), ...diff.dashboards.changed.map((x) => x.key), ...diff.dashboards.removed],
  };
}

/** Step 6, remember: the crawler's memory after a successful publish (generation, connector state, fingerprints). */
async function remember(store: CrawlStateStore, stateKey: string, state: SourceCrawlState, wrote: boolean, snapshot: Snapshot, diff: CrawlDiff, extracted: Extracted): Promise<void> {
  const connector = extracted.connectorState ?? state.connector;
  const next: SourceCrawlState = { generation: state.generation + (wrote ? 1 : 0), ...(connector ? { connector } : {}) };
  if (wrote || JSON.stringify(next) !== JSON.stringify(state)) await store.putState(stateKey, next);
  const prints: Array<[string, string | null]> = [
    ...snapshot.candidates.filter((t) => snapshot.fingerprints.get(t.key) !== snapshot.prints.get(t.key)).map((t): [string, string] => [t.key, snapshot.prints.get(t.key)!]),
    ...diff.tables.removed.filter((k) => snapshot.fingerprints.has(k)).map((k): [string, null] => [k, null]),
  ];
  if (prints.length) await store.putFingerprints(stateKey, prints);
}

function reportOf(name: string, ctx: { crawlId: string; started: Date }, options: CrawlOptions, extracted: Extracted, diff: CrawlDiff): CrawlReport {
  const at = ctx.started.toISOString();
  const d = diff.tables;
  return {
    source: name,
    crawlId: ctx.crawlId,
    startedAt: at,
    finishedAt: at,
    dryRun: options.dryRun ?? false,
    tables: extracted.tables.length,
    added: d.added.map((t) => t.key),
    changed: d.changed.map((t) => t.key),
    removed: d.removed,
    unchanged: d.unchanged.length,
    loaded: [...new Set(d.loads.map((l) => l.tableKey))],
    dashboards: { added: diff.dashboards.added.map((x) => x.key), changed: diff.dashboards.changed.map((x) => x.key), removed: diff.dashboards.removed, unchanged: diff.dashboards.unchanged.length },
    changes: d.changes,
    counts: extracted.counts,
    wrote: false,
  };
}

/** The key of the crawler's memory of a source: per graph published to, so two backends keep two memories. */
function stateKeyOf(source: SourceConfig, deps: CrawlDeps): string {
  const storesBackend = (deps.stores as Stores & { backend?: unknown }).backend;
  return `${deps.stateScope ?? (typeof storesBackend === 'string' ? storesBackend : 'default')}/${sourceName(source)}`;
}

/** extract → snapshot → diff → guard → publish → remember. */
async function runCrawl(source: SourceConfig, deps: CrawlDeps, options: CrawlOptions, ctx: { started: Date; crawlId: string; clock: () => Date }): Promise<CrawlReport> {
  const name = sourceName(source);
  const stateKey = stateKeyOf(source, deps);
  const state: SourceCrawlState = (await deps.state.getState(stateKey)) ?? { generation: 0 };
  if (state.pendingSearch && !options.dryRun) await catchUpSearch(state.pendingSearch, deps.stores, options.batchSize ?? 500);

  const connector = (deps.connect ?? ((s: SourceConfig) => createConnector(s, { logger: deps.logger, ...(deps.env ? { env: deps.env } : {}) })))(source);
  let extracted: Extracted;
  try {
    extracted = await extract(source, connector, state, options, ctx.started);
  } finally {
    await connector.close().catch(() => undefined);
  }

  const snapshot = await readSnapshot(deps.stores.graph, name, extracted, options.full ? new Map() : await deps.state.getFingerprints(stateKey));
  const at = ctx.started.toISOString();
  const diff = diffCrawl(snapshot, extracted, {
    source: name,
    crawlId: ctx.crawlId,
    at,
    snapshot: String(state.generation),
    announceAdded: snapshot.keys.length > 0 || state.generation > 0,
    stored: (k) => snapshot.stored.has(k),
  });
  const report = reportOf(name, ctx, options, extracted, diff);
  const finish = (wrote = false): CrawlReport => ({ ...report, finishedAt: ctx.clock().toISOString(), wrote });

  const refused = guardRemovals(snapshot, diff, options.force ?? false);
  if (refused) return { ...finish(), refused };
  if (options.dryRun) return finish();

  const wrote = writesAnything(diff);
  if (wrote) {
    await deps.state.putState(stateKey, { ...state, pendingSearch: pendingSearchOf(diff) });
    await publish(diff, deps.stores, at, options);
  }
  await remember(deps.state, stateKey, state, wrote, snapshot, diff, extracted);
  return finish(wrote);
}

/** Brings the search index up to the graph for the keys an interrupted crawl was publishing. */
async function catchUpSearch(pending: NonNullable<SourceCrawlState['pendingSearch']>, stores: Stores, batchSize: number): Promise<void> {
  for (let i = 0; i < pending.tables.length; i += batchSize) await refreshSearch({ tables: pending.tables.slice(i, i + batchSize) }, stores);
  for (let i = 0; i < pending.dashboards.length; i += batchSize) await refreshSearch({ dashboards: pending.dashboards.slice(i, i + batchSize) }, stores);
}
