import { Redis } from 'ioredis';
import { crawlSource } from '../../ingest/crawl';
import type { CrawlOptions, SourceConfig } from '../../ingest/source';
import type { Stores } from '../../src/catalog/publish';
import { BackendUnavailableError } from '../../src/domain/errors';
import { silentLogger } from '../../src/log/logger';
import { analyze } from '../../src/text/analyze';
import { closeCrawlWorker, createCrawlWorker } from '../../workers/bullmq-runner';
import { createCrawlProcessor } from '../../workers/processors/crawl';
import { createCrawlQueue, enqueueCrawl } from '../../workers/queues';
import { RedisSourceLocks } from '../../src/adapters/redis/redis-source-locks';
import { embeddedStores } from '../ingest/support/servers';
import { FakeSource, pgTable } from '../ingest/support/fake-connector';
import { eventually } from './support/fakes';
import { deletePrefix, sharedRedisUrl, uniqueName } from './support/redis';

const url = sharedRedisUrl();
const logger = silentLogger();
const SOURCE: SourceConfig = { id: 'fake', type: 'postgres', urlEnv: 'UNUSED' };
const SOURCE_NAME = 'postgres:fake';

const GRAPH_WRITES = new Set(['upsertUsers', 'upsertTables', 'upsertDashboards', 'recordLoads', 'markRemoved', 'applyEdit', 'applyEdits', 'recordSchemaChanges']);
const SEARCH_WRITES = new Set(['upsert', 'remove', 'reindex']);

/** Stores whose Nth write (counted from `arm`) fails once, as a Neo4j or Elasticsearch outage would fail it. */
class FailingStores {
  writes: string[] = [];
  private failOn?: number;
  private count = 0;
  readonly stores: Stores;

  constructor(inner: Stores) {
    this.stores = { graph: this.wrap(inner.graph, GRAPH_WRITES, 'neo4j'), search: this.wrap(inner.search, SEARCH_WRITES, 'elasticsearch') };
  }

  arm(failOn: number | undefined): void {
    this.failOn = failOn;
    this.count = 0;
    this.writes = [];
  }

  private wrap<T extends object>(target: T, writes: Set<string>, backend: string): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof prop !== 'string' || typeof value !== 'function' || !writes.has(prop)) return typeof value === 'function' ? value.bind(t) : value;
        return async (...args: unknown[]) => {
          const n = ++this.count;
          this.writes.push(`${backend}.${prop}`);
          if (n === this.failOn) throw new BackendUnavailableError(backend, 'test', new Error(`connection refused during ${prop}`));
          return (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        };
      },
    });
  }
}

const initialTables = (): ReturnType<typeof pgTable>[] => Array.from({ length: 20 }, (_, i) => pgTable(`t${String(i).padStart(2, '0')}`, { description: 'zebra crossing facts' }));

/** The source after a change: t00 dropped, t01 gained a column, t20 created. */
function changedTables(): ReturnType<typeof pgTable>[] {
  const tables = initialTables().filter((t) => t.name !== 't00');
  const t01 = tables.find((t) => t.name === 't01')!;
  t01.columns = [...t01.columns, { name: 'added_col', type: 'int', position: 2, nullable: true }];
  tables.push(pgTable('t20', { description: 'zebra crossing facts' }));
  return tables;
}

async function visible(stores: Stores): Promise<{ graph: string[]; search: string[] }> {
  const graph = (await stores.graph.listTableKeys({ source: SOURCE_NAME })).sort();
  const hits = await stores.search.search({ clauses: analyze('zebra').map((term) => ({ term, boost: 1 })), limit: 1000 });
  return { graph, search: hits.map((h) => h.key).sort() };
}

const keysOf = (names: string[]): string[] => names.map((n) => `postgres://fake.public/${n}`).sort();

interface Outcome {
  what: string;
  state: string;
  attemptsMade: number;
  /** What the catalog showed while the job waited for its retry. */
  whileWaiting?: { graph: string[]; search: string[] };
  after: { graph: string[]; search: string[] };
  t01Columns: string[];
  t00Removed: boolean;
  status?: string;
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `t${String(from + i).padStart(2, '0')}`);

/**
 * Neo4j or Elasticsearch failing in the middle of a crawl's publish, at every write in turn (a stores wrapper
 * fails the Nth write once), with the crawl running as a BullMQ job that retries with backoff.
 */
describe('a store down during publish', () => {
  const outcomes: Outcome[] = [];
  const src = new FakeSource(SOURCE_NAME);
  type Env = Awaited<ReturnType<typeof embeddedStores>>;
  const deps = (stores: Stores, env: Env) => ({ stores, logger, state: env.crawlStore, status: env.crawlStore, connect: () => src.connector() });

  beforeAll(async () => {
    // how many writes the second crawl makes
    const probe = await embeddedStores();
    const probeStores = new FailingStores(probe.stores);
    src.tables = initialTables();
    await crawlSource(SOURCE, deps(probeStores.stores, probe));
    src.tables = changedTables();
    probeStores.arm(undefined);
    await crawlSource(SOURCE, deps(probeStores.stores, probe));
    const writes = probeStores.writes;
    await probe.close();

    for (let failOn = 1; failOn <= writes.length; failOn++) {
      const what = `write ${failOn} of ${writes.length} (${writes[failOn - 1]}) failing`;
      const env = await embeddedStores();
      const failing = new FailingStores(env.stores);
      const prefix = uniqueName('publish');
      const queue = createCrawlQueue({ connection: { url }, prefix }, { attempts: 3, backoffMs: 300 });
      const redis = new Redis(url, { maxRetriesPerRequest: null });
      let whileWaiting: Outcome['whileWaiting'];
      const processor = createCrawlProcessor({
        crawl: async (s: SourceConfig, o: CrawlOptions) => {
          try {
            return await crawlSource(s, deps(failing.stores, env), o);
          } catch (err) {
            whileWaiting ??= await visible(env.stores);
            throw err;
          }
        },
        getSource: () => SOURCE,
        locks: new RedisSourceLocks(redis, { prefix }),
        logger,
      });
      const worker = createCrawlWorker({ location: { connection: { url }, prefix }, processor, logger });
      try {
        src.tables = initialTables();
        await crawlSource(SOURCE, deps(env.stores, env));
        src.tables = changedTables();
        failing.arm(failOn);
        void worker.run();
        const { jobId } = await enqueueCrawl(queue, { sourceId: 'fake' });
        await eventually(async () => ['completed', 'failed'].includes(await queue.getJobState(jobId)), 20_000, `the job, ${what}`);
        const job = (await queue.getJob(jobId))!;
        outcomes.push({
          what,
          state: await job.getState(),
          attemptsMade: job.attemptsMade,
          whileWaiting,
          after: await visible(env.stores),
          t01Columns: (await env.stores.graph.getTable('postgres://fake.public/t01'))!.columns.map((c) => c.name),
          t00Removed: !!(await env.stores.graph.getTable('postgres://fake.public/t00'))?.removedAt,
          status: (await env.crawlStore.getStatus('fake'))?.outcome,
        });
      } finally {
        await closeCrawlWorker(worker, { graceMs: 5000, logger });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        redis.disconnect();
        await deletePrefix(url, prefix);
        await env.close();
      }
    }
  }, 180_000);

  it('fails each write point once', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    expect(outcomes.map((o) => o.whileWaiting !== undefined)).toEqual(outcomes.map(() => true));
  });

  it('while the job waits for its retry, no table the source still has is shown as removed', () => {
    const stillThere = keysOf(range(1, 19));
    for (const o of outcomes) {
      expect({ what: o.what, missingFromGraph: stillThere.filter((k) => !o.whileWaiting!.graph.includes(k)) }).toEqual({ what: o.what, missingFromGraph: [] });
      expect({ what: o.what, missingFromSearch: stillThere.filter((k) => !o.whileWaiting!.search.includes(k)) }).toEqual({ what: o.what, missingFromSearch: [] });
    }
  });

  it('the crawl is retried with backoff and completes', () => {
    for (const o of outcomes) expect({ what: o.what, state: o.state, attemptsMade: o.attemptsMade, status: o.status }).toEqual({ what: o.what, state: 'completed', attemptsMade: 2, status: 'ok' });
  });

  it('after the retry, the graph and the search index both show the source as it is', () => {
    const expected = keysOf([...range(1, 19), 't20']);
    for (const o of outcomes) {
      expect({ what: o.what, t00Removed: o.t00Removed, t01HasNewColumn: o.t01Columns.includes('added_col') }).toEqual({ what: o.what, t00Removed: true, t01HasNewColumn: true });
      expect({ what: o.what, graph: o.after.graph }).toEqual({ what: o.what, graph: expected });
      expect({ what: o.what, search: o.after.search }).toEqual({ what: o.what, search: expected });
    }
  });
});
