import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import type { CrawlReport } from '../../src/domain/crawl';
import type { SourceConfig } from '../../ingest/source';
import { SqliteCrawlStore } from '../../src/adapters/embedded/sqlite-crawl-store';
import { ALERT_ACTIONS } from '../../src/alerts/message';
import { handleSubscriptionCommand } from '../../src/alerts/subscriptions';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { silentLogger } from '../../src/log/logger';
import { DELIVERY_JOB } from '../../src/alerts/jobs/queues';
import { blockProblems } from '../../tools/fake-slack/limits';
import { accepted, alertHarness, deliveryKeyOf, type AlertHarness } from './harness';
import { pgUrl, uniqueName, waitFor } from './support';

/**
 * A real PostgreSQL source crawled by the real pipeline, its schema altered, crawled again; the crawl's alert job
 * goes through the real alert workers on Redis to the fake Slack API.
 */
describe('schema-change alerts end to end (PostgreSQL → crawl → BullMQ → fake Slack)', () => {
  const dbName = uniqueName('nansen_alerts');
  const adminUrl = pgUrl();
  const dbUrl = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  let db: Client;
  let dir: string;
  let graph: SqliteGraphStore;
  let search: SqliteSearchIndex;
  let crawlStore: SqliteCrawlStore;
  let deps: CrawlDeps;
  let h: AlertHarness;
  const source: SourceConfig = { id: 'warehouse', type: 'postgres', urlEnv: 'ALERTS_TEST_PG_URL', cluster: 'main' };
  const ORDERS = `postgres://main.sales/orders`;
  const CUSTOMERS = `postgres://main.sales/customers`;

  const crawl = (): Promise<CrawlReport> => crawlSource(source, deps);
  const alert = (r: CrawlReport): Promise<void> => h.alertCrawl({ source: r.source, crawlId: r.crawlId, changeIds: r.changes.map((c) => c.id), observedAt: r.finishedAt });
  const cmd = (text: string, channel: string): Promise<unknown> => handleSubscriptionCommand(text, channel, 'U0ADMIN001', { store: h.store, graph });
  /** Waits until the queues have nothing left to do. */
  const drained = async (): Promise<void> => {
    await waitFor(
      async () => {
        const [a, d] = await Promise.all([h.workers.alertQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), h.workers.deliveryQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')]);
        return Object.values(a).every((n) => n === 0) && Object.values(d).every((n) => n === 0);
      },
      30_000,
      'queues to drain',
    );
  };

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    db = new Client({ connectionString: dbUrl });
    await db.connect();
    await db.query(`CREATE SCHEMA sales`);
    await db.query(`CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(12,2), note text)`);
    await db.query(`CREATE TABLE sales.customers (id integer PRIMARY KEY, name varchar(80))`);
    await db.query(`CREATE TABLE sales.untouched (id integer)`);
    await db.query(`CREATE SCHEMA bulk`);
    await db.query(Array.from({ length: 200 }, (_, i) => `CREATE TABLE bulk.t${String(i).padStart(3, '0')} (id integer, payload text);`).join('\n'));

    dir = mkdtempSync(join(tmpdir(), 'nansen-alerts-e2e-'));
    graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    crawlStore = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
    await graph.init();
    await search.init();
    await crawlStore.init();
    deps = { stores: { graph, search }, logger: silentLogger(), state: crawlStore, status: crawlStore, env: { ALERTS_TEST_PG_URL: dbUrl } };
    h = await alertHarness(graph);
  });

  afterAll(async () => {
    await h?.close();
    await graph?.close();
    await search?.close();
    await crawlStore?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await db?.end().catch(() => undefined);
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('announces each crawl once per subscribed channel, with its blast radius, and nowhere else', async () => {
    const first = await crawl();
    expect(first.refused).toBeUndefined();
    // people and lineage the source does not know: an owner with a Slack id, a downstream table, a dashboard
    await graph.upsertUsers([{ id: 'jiwoo.kim', name: 'Jiwoo Kim', slackId: 'U01JIWOO01' }]);
    await graph.applyEdit({ tableKey: ORDERS, field: { kind: 'owners' }, value: ['jiwoo.kim'], actor: 'admin' });
    await graph.upsertTables([{ key: 'hive://gold.mart/order_facts', database: 'hive', cluster: 'gold', schema: 'mart', name: 'order_facts', columns: [{ name: 'id', type: 'bigint', position: 0 }], upstream: [ORDERS], source: 'test' }]);
    await graph.upsertDashboards([{ key: 'tableau://bi/orders', name: 'Orders Overview', tables: ['hive://gold.mart/order_facts'], url: 'https://tableau.example.com/orders' }]);

    await cmd('subscribe sales.*', 'C_SALES');
    await cmd('subscribe sales.orders', 'C_ORDERS');
    await cmd(`subscribe ${CUSTOMERS}`, 'C_CUSTOMERS');
    await cmd('subscribe postgres://main.*', 'C_MUTED');
    await cmd('mute sales.orders', 'C_MUTED');
    await cmd('mute sales.customers', 'C_MUTED');
    await cmd('subscribe other.*', 'C_OTHER');
    await cmd('subscribe sales.* --digest daily', 'C_DIGEST');

    await db.query(`ALTER TABLE sales.orders DROP COLUMN note`);
    await db.query(`ALTER TABLE sales.orders ADD COLUMN currency char(3)`);
    await db.query(`ALTER TABLE sales.orders ALTER COLUMN customer_id TYPE bigint`);
    await db.query(`ALTER TABLE sales.orders ALTER COLUMN amount TYPE text`);
    await db.query(`ALTER TABLE sales.customers ADD COLUMN email varchar(200)`);
    const second = await crawl();
    expect(second.changes.map((c) => `${c.tableKey} ${c.kind} ${c.column ?? ''}`).sort()).toEqual(
      [`${CUSTOMERS} column_added email`, `${ORDERS} column_added currency`, `${ORDERS} column_removed note`, `${ORDERS} column_type_changed amount`, `${ORDERS} column_type_changed customer_id`].sort(),
    );
    await alert(second);
    await waitFor(() => accepted(h.fake).length >= 4, 15_000, 'four messages');
    await drained();

    const posts = accepted(h.fake);
    expect(posts.map((p) => p.args.channel).sort()).toEqual(['C_CUSTOMERS', 'C_ORDERS', 'C_SALES', 'U01JIWOO01']);
    for (const p of posts) expect(blockProblems(p.args.blocks, 50, '/blocks')).toEqual([]);

    const orders = JSON.stringify(accepted(h.fake, 'C_ORDERS')[0]!.args.blocks);
    expect(orders).toContain('*column `note` removed* (was `text`)');
    expect(orders).toContain('column `amount` type `numeric(12,2)` → `text` (changed)');
    expect(orders).toContain('column `customer_id` type `integer` → `bigint` (widened)');
    expect(orders).toContain('column `currency` added (`character(3)`)');
    expect(orders).toContain('<@U01JIWOO01>');
    expect(orders).toContain('`mart.order_facts`');
    expect(orders).toContain('Orders Overview');
    expect(orders).not.toContain('sales.customers');
    expect(orders).toContain(`"value":"${ORDERS}"`);

    const sales = accepted(h.fake, 'C_SALES')[0]!;
    const salesText = JSON.stringify(sales.args.blocks);
    expect(salesText.indexOf('sales.orders')).toBeLessThan(salesText.indexOf('sales.customers'));
    expect(String(sales.args.text)).toContain('2 breaking');

    const customers = JSON.stringify(accepted(h.fake, 'C_CUSTOMERS')[0]!.args.blocks);
    expect(customers).toContain('column `email` added (`character varying(200)`)');
    expect(customers).not.toContain('sales.orders');

    const dm = JSON.stringify(accepted(h.fake, 'U01JIWOO01')[0]!.args.blocks);
    expect(dm).toContain('Breaking changes to tables you own');
    expect(dm).toContain(ALERT_ACTIONS.ownerDmOptOut);

    // a retried crawl job and retried delivery jobs send nothing more
    const before = accepted(h.fake).length;
    await h.workers.alertQueue.add('schema-changes', { kind: 'schema_changes', source: second.source, crawlId: second.crawlId, changeIds: second.changes.map((c) => c.id), observedAt: second.finishedAt }, { jobId: 'retried-crawl-job' });
    await alert(second);
    const done = await h.workers.deliveryQueue.getJobs(['completed']);
    expect(done.length).toBe(4);
    for (const job of done) await job.retry('completed');
    await waitFor(async () => (await h.workers.alertQueue.getJob('retried-crawl-job'))?.finishedOn !== undefined, 10_000, 'retried plan job');
    await drained();
    expect(accepted(h.fake).length).toBe(before);
    expect(new Set(accepted(h.fake).map(deliveryKeyOf)).size).toBe(before);

    // the digest channel hears about it once, in the daily digest
    await h.workers.deliveryQueue.add(DELIVERY_JOB.digest, { kind: 'digest' });
    await waitFor(() => accepted(h.fake, 'C_DIGEST').length === 1, 10_000, 'the digest');
    await h.workers.deliveryQueue.add(DELIVERY_JOB.digest, { kind: 'digest' });
    await drained();
    const digest = accepted(h.fake, 'C_DIGEST');
    expect(digest).toHaveLength(1);
    expect(String(digest[0]!.args.text)).toContain('Daily digest');
    expect(JSON.stringify(digest[0]!.args.blocks)).toContain('column `note` removed');
    expect(accepted(h.fake, 'C_OTHER')).toEqual([]);
    expect(accepted(h.fake, 'C_MUTED')).toEqual([]);
  });

  it('summarises 200 changed tables in one well-formed message with the full list one click away', async () => {
    await cmd('subscribe bulk.*', 'C_BULK');
    await db.query(Array.from({ length: 200 }, (_, i) => `ALTER TABLE bulk.t${String(i).padStart(3, '0')} DROP COLUMN payload, ADD COLUMN extra_${i} bigint;`).join('\n'));
    const report = await crawl();
    expect(new Set(report.changes.map((c) => c.tableKey)).size).toBe(200);
    await alert(report);
    await waitFor(() => accepted(h.fake, 'C_BULK').length === 1, 20_000, 'the bulk message');
    await drained();
    const calls = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C_BULK');
    expect(calls.filter((c) => c.status !== 429).every((c) => c.response.ok === true)).toBe(true);
    const msg = accepted(h.fake, 'C_BULK');
    expect(msg).toHaveLength(1);
    const blocks = msg[0]!.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockProblems(blocks, 50, '/blocks')).toEqual([]);
    const show = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ALERT_ACTIONS.showAllChanges);
    expect(show?.value).toBe(`crawl:${report.source}:${report.crawlId}`);
    expect(String(msg[0]!.args.text)).toContain('in 200 tables');
    const set = await h.store.getChangeSet(show!.value);
    expect(new Set(set!.changes.map((c) => c.tableKey)).size).toBe(200);
  });
});
