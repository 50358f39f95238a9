import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import type { CrawlReport } from '../../src/domain/crawl';
import type { SourceConfig } from '../../ingest/source';
import { SqliteCrawlStore } from '../../src/adapters/embedded/sqlite-crawl-store';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { AlertStore } from '../../src/ports/alert-store';
import { handleSubscriptionCommand } from '../../src/alerts/subscriptions';
import { silentLogger } from '../../src/log/logger';
import { startWorkerApp, type WorkerApp } from '../../src/main/worker-app';
import { enqueueAlert } from '../../src/alerts/jobs/queues';
import { blockProblems } from '../../tools/fake-slack/limits';
import { FakeSlack, type RecordedCall } from '../../tools/fake-slack/server';
import { eventually, sleep } from './support/fakes';
import { deletePrefix, serviceUrl, sharedRedisUrl, uniqueName } from './support/redis';

const ORDERS = 'postgres://main.sales/orders';

function posts(fake: FakeSlack): RecordedCall[] {
  return fake.calls.filter((c) => c.method === 'chat.postMessage');
}

function accepted(fake: FakeSlack, channel?: string): RecordedCall[] {
  return posts(fake).filter((c) => c.status === 200 && c.response.ok === true && (channel === undefined || c.args.channel === channel));
}

/**
 * The worker app as `npm run worker` builds it, with schema-change alerts wired in: a real PostgreSQL source crawled
 * by the real pipeline through the app's crawl runner, its schema altered, crawled again; the crawl's alert reaches
 * the fake Slack API through the app's own alert delivery (BullMQ queues on Redis, or in-process without Redis).
 */
describe.each([
  ['bullmq', true],
  ['in-process', false],
] as const)('crawl → schema-change alert through startWorkerApp (%s)', (mode, withRedis) => {
  const dbName = uniqueName('alerts').replace(/-/g, '_');
  const dbUrl = (() => {
    const u = new URL(serviceUrl('PG_URL'));
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const source: SourceConfig = { id: 'warehouse', type: 'postgres', urlEnv: 'WORKER_ALERTS_PG_URL', cluster: 'main' };
  const prefix = uniqueName('walerts');
  let db: Client;
  let dir: string;
  let graph: SqliteGraphStore;
  let search: SqliteSearchIndex;
  let crawlStore: SqliteCrawlStore;
  let store: AlertStore;
  let fake: FakeSlack;
  let app: WorkerApp | undefined;
  const reports: CrawlReport[] = [];

  const admin = async (sql: string): Promise<void> => {
    const c = new Client({ connectionString: serviceUrl('PG_URL') });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  /** Asks the app for a manual crawl and waits for its report. */
  const crawlViaWorker = async (): Promise<CrawlReport> => {
    const n = reports.length;
    await app!.requestCrawl({ sourceId: source.id, requestedBy: 'test' });
    await eventually(() => reports.length > n, 30_000, 'the crawl');
    return reports[n]!;
  };

  /** Waits until the app has no alert work left. */
  const alertsSettled = async (): Promise<void> => {
    if (app!.alertRunner) return app!.alertRunner.idle();
    const w = app!.alertWorkers!;
    await eventually(
      async () => {
        const [a, d] = await Promise.all([w.alertQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), w.deliveryQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')]);
        return Object.values(a).every((n) => n === 0) && Object.values(d).every((n) => n === 0);
      },
      30_000,
      'the alert queues to drain',
    );
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    db = new Client({ connectionString: dbUrl });
    await db.connect();
    await db.query(`CREATE SCHEMA sales`);
    await db.query(`CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(12,2), note text)`);
    await db.query(`CREATE TABLE sales.customers (id integer PRIMARY KEY, name varchar(80))`);

    dir = mkdtempSync(join(tmpdir(), `nansen-worker-alerts-${mode}-`));
    graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    crawlStore = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
    await Promise.all([graph.init(), search.init(), crawlStore.init()]);
    store = withRedis ? new RedisAlertStore({ url: sharedRedisUrl(), prefix: `${prefix}:alerts` }) : new SqliteAlertStore({ path: join(dir, 'alerts.sqlite') });
    await store.init();
    fake = await FakeSlack.start();

    const logger = silentLogger();
    const deps: CrawlDeps = { stores: { graph, search }, logger, state: crawlStore, status: crawlStore, env: { WORKER_ALERTS_PG_URL: dbUrl } };
    app = await startWorkerApp({
      logger,
      ...(withRedis ? { redisUrl: sharedRedisUrl() } : {}),
      loadSources: async () => [source],
      crawl: async (s, options) => {
        const report = await crawlSource(s, deps, options);
        reports.push(report);
        return report;
      },
      retry: { attempts: 3, backoffMs: 200 },
      shutdownGraceMs: 10_000,
      queue: { prefix },
      alerts: {
        store,
        graph,
        slack: new WebClientPoster({ token: fake.options.botToken, apiUrl: fake.apiUrl, timeoutMs: 5000 }),
        timeZone: 'Asia/Seoul',
        digestCron: false,
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await store?.close();
    await fake?.close();
    await Promise.allSettled([graph?.close(), search?.close(), crawlStore?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    await db?.end().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    if (withRedis) await deletePrefix(sharedRedisUrl(), prefix);
  });

  it('posts exactly one message, in the subscribed channel, for a crawl that dropped, added and retyped columns', async () => {
    expect(app!.mode).toBe(mode);
    expect(app!.alertMode).toBe(mode);

    const first = await crawlViaWorker();
    expect(first.changes).toEqual([]);

    const cmd = (text: string, channel: string): Promise<unknown> => handleSubscriptionCommand(text, channel, 'U0ADMIN001', { store, graph });
    await cmd('subscribe sales.orders', 'C_ORDERS');
    await cmd('subscribe other.*', 'C_OTHER');
    await cmd('subscribe sales.*', 'C_MUTED');
    await cmd('mute sales.orders', 'C_MUTED');

    await db.query(`ALTER TABLE sales.orders DROP COLUMN note`);
    await db.query(`ALTER TABLE sales.orders ADD COLUMN currency char(3)`);
    await db.query(`ALTER TABLE sales.orders ALTER COLUMN amount TYPE text`);
    const second = await crawlViaWorker();
    expect(second.changes.map((c) => `${c.tableKey} ${c.kind} ${c.column ?? ''}`).sort()).toEqual(
      [`${ORDERS} column_added currency`, `${ORDERS} column_removed note`, `${ORDERS} column_type_changed amount`].sort(),
    );

    await eventually(() => accepted(fake, 'C_ORDERS').length >= 1, 20_000, 'the alert in C_ORDERS');
    await alertsSettled();
    await sleep(500);
    expect(posts(fake).map((c) => c.args.channel)).toEqual(['C_ORDERS']);
    const [message] = accepted(fake, 'C_ORDERS');
    expect(blockProblems(message!.args.blocks, 50, '/blocks')).toEqual([]);
    const blocks = JSON.stringify(message!.args.blocks);
    expect(blocks).toContain('*column `note` removed* (was `text`)');
    expect(blocks).toContain('column `currency` added (`character(3)`)');
    expect(blocks).toContain('column `amount` type `numeric(12,2)` → `text` (changed)');
    expect(String(message!.args.text)).toContain('breaking');

    // the same alert handed over again (a retried crawl job), and a crawl that finds nothing new, post nothing more
    if (app!.alertQueue) {
      await enqueueAlert(app!.alertQueue, { kind: 'schema_changes', source: second.source, crawlId: second.crawlId, changeIds: second.changes.map((c) => c.id), observedAt: second.finishedAt });
    } else {
      await app!.alertRunner!.dispatch(second);
    }
    const third = await crawlViaWorker();
    expect(third.changes).toEqual([]);
    await alertsSettled();
    await sleep(500);
    expect(posts(fake)).toHaveLength(1);
  });
});
