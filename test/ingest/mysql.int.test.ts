import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import type { SourceConfig } from '../../ingest/source';
import { silentLogger } from '../../src/log/logger';
import { closedPort, createMysqlDatabase, embeddedStores } from './support/servers';

const WEIRD = `it's a "quoted" table 名前`;

describe('MySQL/MariaDB connector (real server)', () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let env: Awaited<ReturnType<typeof embeddedStores>>;
  let source: SourceConfig;
  let deps: CrawlDeps;
  const key = (t: string): string => `mysql://shop.${db.name}/${t}`;

  beforeAll(async () => {
    db = await createMysqlDatabase();
    await db.conn.query(`
      CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, customer_id INT NOT NULL COMMENT 'who ordered', amount DECIMAL(12,2) NULL COMMENT '결제 금액') ENGINE=InnoDB COMMENT='One row per order.';
      CREATE TABLE events (id INT NOT NULL, payload TEXT) ENGINE=Aria COMMENT='Raw events';
      CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 1000;
      CREATE TABLE \`${WEIRD.replace(/`/g, '``')}\` (\`col with space\` INT, \`ë\` VARCHAR(10) NOT NULL);
      CREATE TABLE wide (${Array.from({ length: 1000 }, (_, i) => `c${String(i).padStart(4, '0')} INT`).join(', ')}) ENGINE=InnoDB;
      INSERT INTO events VALUES (1, 'a'), (2, 'b');
    `);
    env = await embeddedStores();
    source = { id: 'shop', type: 'mysql', urlEnv: 'TEST_SHOP_URL', include: [`${db.name}.*`], exclude: [`${db.name}.skip_*`] };
    deps = { stores: env.stores, logger: silentLogger(), state: env.crawlStore, status: env.crawlStore, env: { TEST_SHOP_URL: db.url } };
  });

  afterAll(async () => {
    await env?.close();
    await db?.drop();
  });

  it('reads tables, views, columns, comments, quoted and unicode names, 1000 columns, and UPDATE_TIME', async () => {
    await db.conn.query('CREATE TABLE skip_me (id INT)');
    const r = await crawlSource(source, deps);
    expect(r.tables).toBe(5);
    expect(r.counts.excluded_tables ?? 0).toBe(0);
    const orders = await env.stores.graph.getTable(key('orders'));
    expect(orders).toMatchObject({ database: 'mysql', cluster: 'shop', schema: db.name, kind: 'table', sourceDescription: 'One row per order.', source: 'mysql:shop' });
    expect(orders!.columns.map((c) => [c.name, c.type, c.nullable, c.sourceDescription])).toEqual([
      ['id', 'bigint(20)', false, undefined],
      ['customer_id', 'int(11)', false, 'who ordered'],
      ['amount', 'decimal(12,2)', true, '결제 금액'],
    ]);
    const view = await env.stores.graph.getTable(key('big_orders'));
    expect(view).toMatchObject({ kind: 'view' });
    expect(view!.sourceDescription).toBeUndefined();
    const weird = await env.stores.graph.getTable(key(WEIRD));
    expect(weird!.columns.map((c) => [c.name, c.nullable])).toEqual([
      ['col with space', true],
      ['ë', false],
    ]);
    expect((await env.stores.graph.getTable(key('wide')))!.columns).toHaveLength(1000);
    const events = await env.stores.graph.getTable(key('events'));
    expect(events!.updates).toHaveLength(1);
    expect(Date.now() - Date.parse(events!.updates[0]!)).toBeLessThan(10 * 60_000);
    expect(await env.stores.graph.getTable(key('skip_me'))).toBeUndefined();
  });

  it('a no-change crawl writes nothing; a change at the source is recorded', async () => {
    const same = await crawlSource(source, deps);
    expect(same.wrote).toBe(false);
    await db.conn.query(`ALTER TABLE orders ADD COLUMN channel VARCHAR(20) NULL COMMENT 'web or app', MODIFY amount DECIMAL(14,2) NULL COMMENT '결제 금액'`);
    const r = await crawlSource(source, deps);
    const seen = r.changes.map((c) => `${c.tableKey.split('/').pop()} ${c.kind}:${c.column ?? ''}:${c.oldValue ?? ''}>${c.newValue ?? ''}`).sort();
    // the view over orders changes with it
    expect(seen).toEqual(['big_orders column_type_changed:amount:decimal(12,2)>decimal(14,2)', 'orders column_added:channel:>varchar(20)', 'orders column_type_changed:amount:decimal(12,2)>decimal(14,2)']);
  });

  it('a wrong password is a permanent error that never shows the password', async () => {
    const u = new URL(db.url);
    u.password = 'Wr0ng-Pw-77';
    const err = await crawlSource(source, { ...deps, env: { TEST_SHOP_URL: u.toString() } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSourceError);
    expect((err as PermanentSourceError).code).toBe('bad_credentials');
    expect((err as Error).message).not.toContain('Wr0ng-Pw-77');
    const status = await env.crawlStore.getStatus('shop');
    expect(status).toMatchObject({ outcome: 'failed', lastError: { code: 'bad_credentials', retryable: false } });
    expect(JSON.stringify(status)).not.toContain('Wr0ng-Pw-77');
    expect(await env.stores.graph.listTableKeys({ source: 'mysql:shop' })).toHaveLength(5);
  });

  it('an unknown database is permanent; a closed port is transient', async () => {
    const u = new URL(db.url);
    u.pathname = `/${db.name}_missing`;
    const unknown = await crawlSource(source, { ...deps, env: { TEST_SHOP_URL: u.toString() } }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PermanentSourceError);
    expect((unknown as PermanentSourceError).code).toBe('unknown_database');
    const port = await closedPort();
    const down = await crawlSource(source, { ...deps, env: { TEST_SHOP_URL: `mysql://nansen:S3cret-Pw-42@127.0.0.1:${port}/${db.name}` } }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(TransientSourceError);
    expect((down as Error).message).not.toContain('S3cret-Pw-42');
  });
});
