import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { publishRecords, refreshSearch } from '../src/catalog/publish';
import type { Stores } from '../src/catalog/publish';
import type { Dashboard, DashboardRecord, IsoTime, Table, TableRecord, User } from '../src/domain/model';
import type { Logger } from '../src/log/logger';
import { createConnector } from './connectors';
import type { CrawlStateStore, SourceCrawlState } from '../src/ports/crawl-state-store';
import type { CrawlStatusStore } from '../src/ports/crawl-status-store';
import { changedUsers, diffDashboards, diffSnapshot, fingerprint, removedChanges } from './diff';
import { scrubSecrets, SourceError } from './errors';
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

async function inBatches<T, R>(items: T[], size: number, fn: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
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
    const report = await runCrawl(source, deps, options, { started, crawlId, clock, log });
    const ms = performance.now() - t0;
    if (!dryRun) await deps.status?.recordFinish(source.id, report, ms);
    if (report.refused) log.warn({ removals: report.refused.removals, total: report.refused.total }, 'crawl refused: too many removals');
    else log.info({ tables: report.tables, added: report.added.length, changed: report.changed.length, removed: report.removed.length, changes: report.changes.length, loaded: report.loaded.length, dryRun, ms: Math.round(ms) }, 'crawl finished');
    return report;
  } catch (e) {
    const ms = performance.now() - t0;
    const code = e instanceof SourceError ? e.code : 'crawl_failed';
    const retryable = e instanceof SourceError ? e.retryable : true;
    const message = scrubSecrets(e instanceof Error ? e.message : String(e), []);
    log.error({ code, retryable, reason: message, ms: Math.round(ms) }, 'crawl failed');
    if (!dryRun) await deps.status?.recordFailure(source.id, crawlId, clock().toISOString(), { code, message, retryable }, ms).catch(() => undefined);
    throw e;
  }
}

async function extractAll(source: SourceConfig, connector: Connector, state: SourceCrawlState, options: CrawlOptions, now: Date): Promise<Extracted> {
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

async function runCrawl(
  source: SourceConfig,
  deps: CrawlDeps,
  options: CrawlOptions,
  ctx: { started: Date; crawlId: string; clock: () => Date; log: Logger },
): Promise<CrawlReport> {
  const { graph } = deps.stores;
  const name = sourceName(source);
  const batchSize = options.batchSize ?? 500;
  const storesBackend = (deps.stores as Stores & { backend?: unknown }).backend;
  const stateKey = `${deps.stateScope ?? (typeof storesBackend === 'string' ? storesBackend : 'default')}/${name}`;
  const state: SourceCrawlState = (await deps.state.getState(stateKey)) ?? { generation: 0 };
  if (state.pendingSearch && !options.dryRun) await catchUpSearch(state.pendingSearch, deps.stores, batchSize);

  const connector = (deps.connect ?? ((s: SourceConfig) => createConnector(s, { logger: deps.logger, ...(deps.env ? { env: deps.env } : {}) })))(source);
  let extracted: Extracted;
  try {
    extracted = await extractAll(source, connector, state, options, ctx.started);
  } finally {
    await connector.close().catch(() => undefined);
  }

  // The snapshot: the source's tables in the graph. A table whose record matches the fingerprint it was last
  // published with is unchanged without reading it back; the others are compared with what the graph holds.
  const previousKeys = await graph.listTableKeys({ source: name });
  const previousSet = new Set(previousKeys);
  const fingerprints = options.full ? new Map<string, string>() : await deps.state.getFingerprints(stateKey);
  const prints = new Map(extracted.tables.map((t) => [t.key, fingerprint(t)]));
  const same = new Set(extracted.tables.filter((t) => previousSet.has(t.key) && fingerprints.get(t.key) === prints.get(t.key)).map((t) => t.key));
  const candidates = extracted.tables.filter((t) => !same.has(t.key));
  const previous: Table[] = await inBatches(
    candidates.filter((t) => previousSet.has(t.key)).map((t) => t.key),
    1000,
    (keys) => graph.getTables(keys),
  );
  const storedKeys = new Set(previousKeys);
  const otherUpstream = [...new Set(candidates.flatMap((t) => t.upstream ?? []))].filter((k) => !storedKeys.has(k));
  if (otherUpstream.length) for (const t of await inBatches(otherUpstream, 1000, (keys) => graph.getTables(keys))) storedKeys.add(t.key);

  const at = ctx.started.toISOString();
  const diffContext = {
    source: name,
    crawlId: ctx.crawlId,
    at,
    snapshot: String(state.generation),
    announceAdded: previousKeys.length > 0 || state.generation > 0,
    stored: (k: string) => storedKeys.has(k),
  };
  const diff = diffSnapshot(previous, candidates, diffContext);
  const seen = new Set(extracted.tables.map((t) => t.key));
  const removedKeys = previousKeys.filter((k) => !seen.has(k));
  diff.removed.push(...removedKeys);
  diff.changes.push(...removedChanges(removedKeys, diffContext));
  diff.unchanged.push(...same);

  const previousDashboardKeys = await graph.listDashboardKeys({ source: name });
  const previousDashboards: Dashboard[] = previousDashboardKeys.length ? await inBatches(previousDashboardKeys, 1000, (keys) => graph.getDashboards(keys)) : [];
  const dashboards = diffDashboards(previousDashboards, extracted.dashboards);
  const users = extracted.users.length ? changedUsers(await graph.getUsers(extracted.users.map((u) => u.id)), extracted.users) : [];

  const entities = previousKeys.length + previousDashboards.length;
  const removals = diff.removed.length + dashboards.removed.length;
  const report: CrawlReport = {
    source: name,
    crawlId: ctx.crawlId,
    startedAt: at,
    finishedAt: at,
    dryRun: options.dryRun ?? false,
    tables: extracted.tables.length,
    added: diff.added.map((t) => t.key),
    changed: diff.changed.map((t) => t.key),
    removed: diff.removed,
    unchanged: diff.unchanged.length,
    loaded: [...new Set(diff.loads.map((l) => l.tableKey))],
    dashboards: { added: dashboards.added.map((d) => d.key), changed: dashboards.changed.map((d) => d.key), removed: dashboards.removed, unchanged: dashboards.unchanged.length },
    changes: diff.changes,
    counts: extracted.counts,
    wrote: false,
  };
  const finish = (): CrawlReport => ({ ...report, finishedAt: ctx.clock().toISOString() });

  if (removals > 0 && entities > 0 && removals > REMOVAL_THRESHOLD * entities && !options.force) {
    return { ...finish(), refused: { reason: 'too_many_removals', removals, total: entities, threshold: REMOVAL_THRESHOLD } };
  }
  if (options.dryRun) return finish();

  const toPublish = [...diff.added, ...diff.changed];
  const dashboardsToPublish = [...dashboards.added, ...dashboards.changed];
  const loadedKeys = report.loaded;
  const wrote = diff.changes.length + users.length + toPublish.length + dashboardsToPublish.length + diff.loads.length + removals > 0;

  if (wrote) {
    const pendingSearch = { tables: [...toPublish.map((t) => t.key), ...loadedKeys, ...diff.removed], dashboards: [...dashboardsToPublish.map((d) => d.key), ...dashboards.removed] };
    await deps.state.putState(stateKey, { ...state, pendingSearch });
  }
  if (diff.changes.length) await graph.recordSchemaChanges(diff.changes);
  if (users.length) await graph.upsertUsers(users);
  const publishTotal = toPublish.length + dashboardsToPublish.length + loadedKeys.length + removals;
  let published = 0;
  const progress = (n: number): void => {
    published += n;
    options.onProgress?.({ phase: 'publish', done: published, total: publishTotal });
  };
  for (let i = 0; i < toPublish.length; i += batchSize) {
    const batch = toPublish.slice(i, i + batchSize);
    await publishRecords({ tables: batch }, deps.stores);
    progress(batch.length);
  }
  if (diff.loads.length) {
    await graph.recordLoads(diff.loads);
    for (let i = 0; i < loadedKeys.length; i += batchSize) {
      const batch = loadedKeys.slice(i, i + batchSize);
      await refreshSearch({ tables: batch }, deps.stores);
      progress(batch.length);
    }
  }
  if (dashboardsToPublish.length) {
    await publishRecords({ dashboards: dashboardsToPublish }, deps.stores);
    progress(dashboardsToPublish.length);
  }
  if (removals) {
    await graph.markRemoved([...diff.removed, ...dashboards.removed], at);
    await refreshSearch({ tables: diff.removed, dashboards: dashboards.removed }, deps.stores);
    progress(removals);
  }

  const nextState: SourceCrawlState = {
    generation: state.generation + (wrote ? 1 : 0),
    ...((extracted.connectorState ?? state.connector) ? { connector: extracted.connectorState ?? state.connector } : {}),
  };
  if (wrote || JSON.stringify(nextState) !== JSON.stringify(state)) await deps.state.putState(stateKey, nextState);
  const printsToSave: Array<[string, string | null]> = [
    ...candidates.filter((t) => fingerprints.get(t.key) !== prints.get(t.key)).map((t): [string, string] => [t.key, prints.get(t.key)!]),
    ...diff.removed.filter((k) => fingerprints.has(k)).map((k): [string, null] => [k, null]),
  ];
  if (printsToSave.length) await deps.state.putFingerprints(stateKey, printsToSave);
  return { ...finish(), wrote };
}

/** Brings the search index up to the graph for the keys an interrupted crawl was publishing. */
async function catchUpSearch(pending: NonNullable<SourceCrawlState['pendingSearch']>, stores: Stores, batchSize: number): Promise<void> {
  for (let i = 0; i < pending.tables.length; i += batchSize) await refreshSearch({ tables: pending.tables.slice(i, i + batchSize) }, stores);
  for (let i = 0; i < pending.dashboards.length; i += batchSize) await refreshSearch({ dashboards: pending.dashboards.slice(i, i + batchSize) }, stores);
}
