/**
 * Crash scenarios of the crawl → alert path, on the embedded stores (SQLite files): a crawl that adds a column to
 * every table of a source dies ("kill -9": a `Crash` thrown out of the Nth durable write, after which nothing of
 * that process runs again) and a new process crawls the source again. Counts how many of the recorded changes
 * were announced, and how many twice. Used by `bench/faults.ts` and `test/hardening/alerts-exactly-once.test.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlSource } from '../ingest/crawl';
import type { Connector, SourceConfig } from '../ingest/source';
import { SqliteAlertStore } from '../src/adapters/embedded/sqlite-alert-store';
import { SqliteCrawlStore } from '../src/adapters/embedded/sqlite-crawl-store';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { createCrawlAlerter } from '../src/alerts/jobs/crawl-alerts';
import { CHANGE_CLAIM_LEASE_MS, dispatchAlerts, type AlertDelivery } from '../src/alerts/plan';
import type { TableRecord } from '../src/domain/model';
import { silentLogger } from '../src/log/logger';

/** The process died here. */
export class Crash extends Error {
  constructor(readonly at: string) {
    super(`crashed at ${at}`);
    this.name = 'Crash';
  }
}

const SOURCE: SourceConfig = { id: 'fault', type: 'postgres', urlEnv: 'UNUSED' };
const SOURCE_NAME = 'postgres:fault';

function table(i: number, extra: boolean): TableRecord {
  const name = `t${String(i).padStart(5, '0')}`;
  return {
    key: `postgres://fault.public/${name}`,
    database: 'postgres',
    cluster: 'fault',
    schema: 'public',
    name,
    kind: 'table',
    columns: [{ name: 'id', type: 'bigint', position: 0, nullable: false }, ...(extra ? [{ name: 'added_col', type: 'int', position: 1, nullable: true }] : [])],
    source: SOURCE_NAME,
  };
}

function connector(tables: TableRecord[]): Connector {
  return {
    async *extract() {
      yield { kind: 'total', tables: tables.length };
      for (const record of tables) yield { kind: 'table', record: structuredClone(record) };
    },
    close: async () => undefined,
  };
}

const WRITES: Record<string, Set<string>> = {
  graph: new Set(['upsertUsers', 'upsertTables', 'upsertDashboards', 'recordLoads', 'markRemoved', 'recordSchemaChanges']),
  search: new Set(['upsert', 'remove', 'reindex']),
  state: new Set(['putState', 'putFingerprints']),
  alerts: new Set(['claimChanges', 'putChangeSet', 'bufferDigest', 'announceChanges']),
};

/** Counts durable writes across every store and throws a `Crash` instead of the `crashAt`-th one (1-based). */
class Fuse {
  count = 0;
  readonly log: string[] = [];
  constructor(private readonly crashAt?: number) {}
  hit(what: string): void {
    this.count++;
    this.log.push(what);
    if (this.count === this.crashAt) throw new Crash(what);
  }
  wrap<T extends object>(target: T, kind: keyof typeof WRITES): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (typeof prop !== 'string' || !WRITES[kind]!.has(prop)) return (value as (...a: unknown[]) => unknown).bind(t);
        return async (...args: unknown[]) => {
          this.hit(`${kind}.${prop}`);
          return (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        };
      },
    });
  }
}

export interface AlertCrashOptions {
  tables: number;
  batchSize: number;
  /** The write (1-based, counted over every store and the delivery hand-over) that never happens; none: no crash. */
  crashAt?: number;
  /** The rerun keeps the crawl id (a BullMQ retry of the same job) instead of a new one (a new process, a new tick). */
  sameCrawlId?: boolean;
}

export interface AlertCrashOutcome {
  /** Schema changes the changed source holds (one added column per table). */
  expected: number;
  /** Distinct changes some delivery announced. */
  announced: number;
  /** Changes announced by more than one delivery. */
  duplicated: number;
  /** Durable writes a crash-free run of the changing crawl makes (the crash points there are). */
  writes: number;
  /** What the crash interrupted, when it did. */
  crashedAt?: string;
}

/**
 * Runs: a first crawl (the source as it was), a subscription to everything, then the crawl that adds a column to
 * every table, crashing at `crashAt`; then reruns (a fresh process: new wrappers, same files) until nothing is left
 * to announce, moving the alert store's clock past the claim lease between them.
 */
export async function runAlertCrash(options: AlertCrashOptions): Promise<AlertCrashOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-fault-'));
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const state = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
  const alerts = new SqliteAlertStore({ path: join(dir, 'alerts.sqlite'), now: () => clock });
  await Promise.all([graph.init(), search.init(), state.init(), alerts.init()]);
  const logger = silentLogger();
  /** Delivery key → delivery: a sink with stable ids, as BullMQ's job ids are. */
  const sink = new Map<string, AlertDelivery>();
  try {
    const crawl = async (tables: TableRecord[], crawlId: string, fuse: Fuse): Promise<void> => {
      const stores = { graph: fuse.wrap(graph, 'graph'), search: fuse.wrap(search, 'search') };
      const store = fuse.wrap(alerts, 'alerts');
      const deliveries = {
        enqueue: async (ds: AlertDelivery[]) => {
          for (const d of ds) {
            fuse.hit('sink.enqueue');
            if (!sink.has(d.key)) sink.set(d.key, d);
          }
        },
      };
      const alerter = createCrawlAlerter({ kind: 'in-process', runner: { dispatch: (report) => dispatchAlerts(report, { store, graph: stores.graph, sink: deliveries }) } }, { graph: stores.graph, logger, ledger: store });
      const report = await crawlSource(SOURCE, { stores, logger, state: fuse.wrap(state, 'state'), connect: () => connector(tables) }, { crawlId, batchSize: options.batchSize });
      await alerter(report, { rerun: true });
    };
    const before = Array.from({ length: options.tables }, (_, i) => table(i, false));
    const after = Array.from({ length: options.tables }, (_, i) => table(i, true));
    await crawl(before, 'initial', new Fuse());
    await alerts.subscribe({ channel: 'C0FAULT', pattern: 'postgres://*', mode: 'live', createdAt: new Date(clock).toISOString() });

    const first = new Fuse(options.crashAt);
    let crashedAt: string | undefined;
    try {
      await crawl(after, 'change-1', first);
    } catch (err) {
      if (!(err instanceof Crash)) throw err;
      crashedAt = err.at;
    }
    if (crashedAt) {
      // A new process: a rerun now, then (claims of the dead one lapse) another after the lease.
      await crawl(after, options.sameCrawlId ? 'change-1' : 'change-2', new Fuse());
      clock += CHANGE_CLAIM_LEASE_MS + 1000;
      await crawl(after, 'change-3', new Fuse());
    }

    const times = new Map<string, number>();
    for (const d of sink.values()) {
      const set = await alerts.getChangeSet(d.changeSetId);
      const keys = new Set(d.tableKeys);
      for (const c of set?.changes ?? []) if (keys.has(c.tableKey)) times.set(c.id, (times.get(c.id) ?? 0) + 1);
    }
    const expected = (await graph.recentSchemaChanges({ limit: options.tables * 10 })).filter((c) => c.source === SOURCE_NAME && c.kind === 'column_added');
    const expectedIds = new Set(expected.map((c) => c.id));
    return {
      expected: expectedIds.size,
      announced: [...expectedIds].filter((id) => times.has(id)).length,
      duplicated: [...times.values()].filter((n) => n > 1).length,
      writes: first.count,
      ...(crashedAt ? { crashedAt } : {}),
    };
  } finally {
    await Promise.allSettled([graph.close(), search.close(), state.close(), alerts.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
