import { Client } from 'pg';
import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import { PostgresConnector } from '../../ingest/connectors/postgres';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import { tableFilter } from '../../ingest/patterns';
import type { Connector, ExtractedItem, SourceConfig } from '../../ingest/source';
import type { TableRecord } from '../../src/domain/model';
import { silentLogger } from '../../src/log/logger';
import { closedPort, createPgDatabase, embeddedStores, uniqueName, withDatabase } from './support/servers';
import { TcpProxy } from './support/proxy';

const WEIRD_SCHEMA = 'odd "schema" ü';
const WEIRD_TABLE = `it's a "quoted" table / 名前 🚀`;

type Db = Awaited<ReturnType<typeof createPgDatabase>>;
type Env = Awaited<ReturnType<typeof embeddedStores>>;

async function extractAll(connector: Connector, now = new Date()): Promise<ExtractedItem[]> {
  const items: ExtractedItem[] = [];
  try {
    for await (const item of connector.extract({ now })) items.push(item);
  } finally {
    await connector.close();
  }
  return items;
}

const tablesOf = (items: ExtractedItem[]): Map<string, TableRecord> =>
  new Map(items.flatMap((i) => (i.kind === 'table' ? [[`${i.record.schema}.${i.record.name}`, i.record] as const] : [])));

describe('PostgreSQL connector (real server)', () => {
  let db: Db;
  let env: Env;
  let role: string;
  let source: SourceConfig;
  let deps: CrawlDeps;

  beforeAll(async () => {
    db = await createPgDatabase();
    role = uniqueName('nansen_reader');
    const q = (sql: string): Promise<unknown[]> => db.query(sql);
    await q('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await q('CREATE SCHEMA sales');
    await q(`CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2), note text, placed_at timestamptz)`);
    await q(`COMMENT ON TABLE sales.orders IS 'One row per order.'`);
    await q(`COMMENT ON COLUMN sales.orders.amount IS 'Paid amount, KRW'`);
    await q(`CREATE TABLE sales.customers (id int PRIMARY KEY, name varchar(80) NOT NULL, country char(2))`);
    await q(`CREATE VIEW sales.big_orders AS SELECT o.id, c.name FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id WHERE o.amount > 1000`);
    await q(`COMMENT ON VIEW sales.big_orders IS 'Orders above 1000.'`);
    await q(`CREATE MATERIALIZED VIEW sales.order_counts AS SELECT customer_id, count(*) AS n FROM sales.orders GROUP BY 1`);
    await q(`CREATE SCHEMA "${WEIRD_SCHEMA.replace(/"/g, '""')}"`);
    await q(`CREATE TABLE "${WEIRD_SCHEMA.replace(/"/g, '""')}"."${WEIRD_TABLE.replace(/"/g, '""')}" ("col with space" int, "ë" text NOT NULL)`);
    await q(`COMMENT ON TABLE "${WEIRD_SCHEMA.replace(/"/g, '""')}"."${WEIRD_TABLE.replace(/"/g, '""')}" IS '따옴표와 공백'`);
    await q(`CREATE TABLE sales.wide (${Array.from({ length: 1000 }, (_, i) => `c${String(i).padStart(4, '0')} int`).join(', ')})`);
    await q(`INSERT INTO sales.customers VALUES (1, 'Ada', 'KR'), (2, 'Bo', 'JP')`);
    await q(`INSERT INTO sales.orders VALUES (1, 1, 1500, 'x', now()), (2, 2, 10, NULL, now())`);
    await q(`ANALYZE`);
    // reads by a role of its own, recorded by pg_stat_statements
    await q(`CREATE ROLE ${role} NOLOGIN`);
    await q(`GRANT USAGE ON SCHEMA sales TO ${role}`);
    await q(`GRANT SELECT ON ALL TABLES IN SCHEMA sales TO ${role}`);
    await q(`SET ROLE ${role}`);
    for (let i = 0; i < 3; i++) await q(`SELECT o.id, c.name FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id WHERE o.id = ${i}`);
    await q(`WITH recent AS (SELECT * FROM sales.orders WHERE id > 0) SELECT count(*) FROM recent`);
    // pg_stat_statements stores this as `interval $1`, which node-sql-parser cannot parse: skipped and counted
    await q(`SELECT count(*) FROM sales.orders WHERE placed_at > now() - interval '1 day'`);
    await q(`SELECT count(*) FROM sales.customers`);
    await q(`RESET ROLE`);
    env = await embeddedStores();
    source = { id: 'warehouse', type: 'postgres', urlEnv: 'TEST_WAREHOUSE_URL', cluster: 'main' };
    deps = { stores: env.stores, logger: silentLogger(), state: env.crawlStore, status: env.crawlStore, env: { TEST_WAREHOUSE_URL: db.url } };
  });

  afterAll(async () => {
    await env?.close();
    if (db) {
      await db.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await db.drop();
      const c = new Client({ connectionString: withDatabase(db.url, 'postgres') });
      await c.connect();
      await c.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await c.end();
    }
  });

  it('reads schemas, tables, views, columns, comments, sizes and frequent users', async () => {
    const items = await extractAll(new PostgresConnector({ sourceId: 'warehouse', sourceName: 'postgres:warehouse', url: db.url, cluster: 'main', filter: tableFilter(undefined, undefined), logger: silentLogger() }));
    const tables = tablesOf(items);
    expect([...tables.keys()].sort()).toEqual(['sales.big_orders', 'sales.customers', 'sales.order_counts', 'sales.orders', 'sales.wide', `${WEIRD_SCHEMA}.${WEIRD_TABLE}`].sort());
    const orders = tables.get('sales.orders')!;
    expect(orders).toMatchObject({ key: 'postgres://main.sales/orders', database: 'postgres', cluster: 'main', kind: 'table', description: 'One row per order.', rowCount: 2, source: 'postgres:warehouse' });
    expect(orders.sizeBytes).toBeGreaterThan(0);
    expect(orders.columns).toEqual([
      { name: 'id', type: 'bigint', position: 0, nullable: false },
      { name: 'customer_id', type: 'integer', position: 1, nullable: false },
      { name: 'amount', type: 'numeric(12,2)', position: 2, nullable: true, description: 'Paid amount, KRW' },
      { name: 'note', type: 'text', position: 3, nullable: true },
      { name: 'placed_at', type: 'timestamp with time zone', position: 4, nullable: true },
    ]);
    expect(tables.get('sales.big_orders')).toMatchObject({ kind: 'view', description: 'Orders above 1000.' });
    expect(tables.get('sales.order_counts')).toMatchObject({ kind: 'view' });
    // frequent users: 3 joins + 1 CTE read of orders, 3 joins + 1 count of customers; the CTE name is no table
    expect(orders.readers).toEqual([{ user: role, count: 4 }]);
    expect(tables.get('sales.customers')!.readers).toEqual([{ user: role, count: 4 }]);
    const counts = Object.fromEntries(items.flatMap((i) => (i.kind === 'count' ? [[i.name, i.n]] : [])));
    expect(counts.parsed_queries).toBeGreaterThanOrEqual(3);
    expect(counts.skipped_queries).toBeGreaterThanOrEqual(1);
    expect(items.some((i) => i.kind === 'state')).toBe(true);
  });

  it('crawls a table name with quotes, spaces and unicode, and a table with 1000 columns', async () => {
    const r = await crawlSource(source, deps);
    expect(r.tables).toBe(6);
    const weird = await env.stores.graph.getTable(`postgres://main.${WEIRD_SCHEMA}/${WEIRD_TABLE}`);
    expect(weird).toMatchObject({ schema: WEIRD_SCHEMA, name: WEIRD_TABLE, sourceDescription: '따옴표와 공백' });
    expect(weird!.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['col with space', 'integer', true],
      ['ë', 'text', false],
    ]);
    const wide = await env.stores.graph.getTable('postgres://main.sales/wide');
    expect(wide!.columns).toHaveLength(1000);
    expect(wide!.columns[999]).toMatchObject({ name: 'c0999', type: 'integer', position: 999 });
    const hits = await env.stores.search.search({ clauses: [{ term: '名前', boost: 1 }], limit: 5 });
    expect(Array.isArray(hits)).toBe(true);
  });

  it('observes loads from write counters between crawls, the first crawl recording none', async () => {
    const key = 'postgres://main.sales/customers';
    expect((await env.stores.graph.getTable(key))!.updates).toEqual([]);
    const before = Number(((await db.query(`SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'customers'`))[0] as { n_tup_ins: string }).n_tup_ins);
    const writer = new Client({ connectionString: db.url });
    await writer.connect();
    await writer.query(`INSERT INTO sales.customers VALUES (3, 'Cy', 'US')`);
    await writer.end(); // a backend flushes its statistics when it exits
    for (let i = 0; i < 50; i++) {
      const now = Number(((await db.query(`SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'customers'`))[0] as { n_tup_ins: string }).n_tup_ins);
      if (now > before) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const at = new Date('2026-11-24T09:00:00Z');
    const r = await crawlSource(source, { ...deps, now: () => at });
    expect(r.loaded).toContain(key);
    expect(r.loaded).not.toContain('postgres://main.sales/orders');
    expect((await env.stores.graph.getTable(key))!.updates).toEqual(['2026-11-24T09:00:00Z']);
    expect((await env.stores.graph.getTable('postgres://main.sales/orders'))!.updates).toEqual([]);
  });

  it('records schema changes made at the source', async () => {
    await crawlSource(source, deps); // settle readers and estimates
    await db.query(`ALTER TABLE sales.orders ADD COLUMN channel text`);
    await db.query(`ALTER TABLE sales.orders ALTER COLUMN customer_id DROP NOT NULL`);
    await db.query(`ALTER TABLE sales.orders ALTER COLUMN note TYPE varchar(200)`);
    await db.query(`COMMENT ON TABLE sales.orders IS 'One row per order, all channels.'`);
    const r = await crawlSource(source, deps);
    const kinds = r.changes.filter((c) => c.tableKey === 'postgres://main.sales/orders').map((c) => `${c.kind}:${c.column ?? ''}`).sort();
    expect(kinds).toEqual(['column_added:channel', 'column_nullability_changed:customer_id', 'column_type_changed:note', 'description_changed:'].sort());
    expect(r.changed).toContain('postgres://main.sales/orders');
  });

  it('a second crawl with no change writes nothing', async () => {
    await crawlSource(source, deps);
    const r = await crawlSource(source, deps);
    expect(r).toMatchObject({ added: [], changed: [], removed: [], loaded: [], wrote: false });
  });

  it('the server going away mid-extract fails transiently and removes nothing', async () => {
    const u = new URL(db.url);
    const proxy = await new TcpProxy({ host: u.hostname, port: Number(u.port) }).start();
    const keysBefore = await env.stores.graph.listTableKeys({ source: 'postgres:warehouse' });
    let seen = 0;
    const connect = (): Connector => {
      const inner = new PostgresConnector({ sourceId: 'warehouse', sourceName: 'postgres:warehouse', url: proxy.url(db.url), cluster: 'main', filter: tableFilter(undefined, undefined), logger: silentLogger(), batchSize: 1 });
      return {
        async *extract(ctx) {
          for await (const item of inner.extract(ctx)) {
            yield item;
            if (item.kind === 'table' && ++seen === 2) await proxy.kill();
          }
        },
        close: () => inner.close(),
      };
    };
    const err = await crawlSource(source, { ...deps, connect }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientSourceError);
    expect((err as Error).message).not.toContain(':nansen@');
    expect(await env.stores.graph.listTableKeys({ source: 'postgres:warehouse' })).toEqual(keysBefore);
    expect(await env.crawlStore.getStatus('warehouse')).toMatchObject({ outcome: 'failed', lastError: { retryable: true } });
  });

  it('a closed port is a transient error that names the redacted target, never the password', async () => {
    const port = await closedPort();
    const url = `postgres://nansen:S3cret-Pw-42@127.0.0.1:${port}/${db.name}`;
    const err = await crawlSource(source, { ...deps, env: { TEST_WAREHOUSE_URL: url } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientSourceError);
    expect((err as TransientSourceError).code).toBe('unreachable');
    expect((err as Error).message).toContain(`127.0.0.1:${port}`);
    expect((err as Error).message).not.toContain('S3cret-Pw-42');
    const status = await env.crawlStore.getStatus('warehouse');
    expect(JSON.stringify(status)).not.toContain('S3cret-Pw-42');
  });

  it('an unknown database or role is a permanent error', async () => {
    const unknownDb = await crawlSource(source, { ...deps, env: { TEST_WAREHOUSE_URL: withDatabase(db.url, `${db.name}_missing`) } }).catch((e: unknown) => e);
    expect(unknownDb).toBeInstanceOf(PermanentSourceError);
    expect((unknownDb as PermanentSourceError).code).toBe('unknown_database');
    const u = new URL(db.url);
    u.username = 'nobody_here';
    u.password = 'S3cret-Pw-42';
    const unknownRole = await crawlSource(source, { ...deps, env: { TEST_WAREHOUSE_URL: u.toString() } }).catch((e: unknown) => e);
    expect(unknownRole).toBeInstanceOf(PermanentSourceError);
    expect((unknownRole as PermanentSourceError).code).toBe('bad_credentials');
    expect((unknownRole as Error).message).not.toContain('S3cret-Pw-42');
  });

  it('a wrong password is a permanent error without the password (when the server checks passwords)', async () => {
    const u = new URL(db.url);
    u.password = 'Wr0ng-Pw-77';
    const probe = new Client({ connectionString: u.toString() });
    const accepted = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (accepted) {
      // scripts/services.sh configures `trust` authentication on loopback: the server never checks passwords
      console.warn('PostgreSQL accepts any password here (trust auth); wrong-password path covered on MariaDB');
      return;
    }
    const err = await crawlSource(source, { ...deps, env: { TEST_WAREHOUSE_URL: u.toString() } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSourceError);
    expect((err as PermanentSourceError).code).toBe('bad_credentials');
    expect((err as Error).message).not.toContain('Wr0ng-Pw-77');
  });
});
