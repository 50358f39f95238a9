import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import type { SourceConfig } from '../../ingest/source';
import { silentLogger } from '../../src/log/logger';
import { createHiveMetastore } from './support/hive-metastore';
import { embeddedStores } from './support/servers';

const T0 = Date.parse('2026-11-20T00:00:00Z') / 1000;
const iso = (s: number): string => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

describe('Hive metastore connector (official schema in MariaDB)', () => {
  let hive: Awaited<ReturnType<typeof createHiveMetastore>>;
  let env: Awaited<ReturnType<typeof embeddedStores>>;
  let source: SourceConfig;
  let deps: CrawlDeps;

  beforeAll(async () => {
    hive = await createHiveMetastore();
    const w = hive.writer;
    await w.createDatabase('game_log', { desc: 'Game server logs', owner: 'data-platform' });
    await w.createTable({
      db: 'game_log',
      name: 'session_latency_hourly',
      owner: 'jiwoo.kim',
      createTime: T0,
      columns: [
        { name: 'country_code', type: 'string', comment: 'ISO 3166-1 alpha-2' },
        { name: 'avg_rtt_ms', type: 'double', comment: 'mean round trip time' },
        { name: 'samples', type: 'bigint' },
      ],
      partitionKeys: [
        { name: 'dt', type: 'string', comment: 'partition date' },
        { name: 'hr', type: 'string' },
      ],
      params: { comment: 'Hourly p50/p95 network latency per country', numRows: '123456', totalSize: '98765432' },
    });
    for (let h = 0; h < 60; h++) {
      const at = T0 + 86400 * 4 + h * 3600 + 300; // hourly partitions landing five minutes past the hour
      const d = new Date(at * 1000);
      await w.addPartition('game_log', 'session_latency_hourly', [d.toISOString().slice(0, 10), String(d.getUTCHours()).padStart(2, '0')], at);
    }
    await w.createTable({
      db: 'game_log',
      name: 'ping_events',
      type: 'EXTERNAL_TABLE',
      createTime: T0,
      columns: [
        { name: 'user_id', type: 'bigint' },
        { name: 'rtt_ms', type: 'int' },
        { name: 'payload', type: 'map<string,array<struct<k:string,v:double>>>' },
      ],
      params: { comment: 'Raw ping events', owner: 'minsu.lee', transient_lastDdlTime: String(T0 + 7200) },
    });
    await w.createTable({ db: 'default', name: 'latency_view', type: 'VIRTUAL_VIEW', createTime: T0, columns: [{ name: 'country_code', type: 'string' }], viewText: 'SELECT country_code FROM game_log.session_latency_hourly' });
    env = await embeddedStores();
    source = { id: 'game-hive', type: 'hive-metastore', urlEnv: 'TEST_HIVE_URL', cluster: 'gold' };
    deps = { stores: env.stores, logger: silentLogger(), state: env.crawlStore, env: { TEST_HIVE_URL: hive.url } };
  }, 120_000);

  afterAll(async () => {
    await env?.close();
    await hive?.drop();
  });

  it('crawls databases, tables, columns, partition keys, table params and partitions', async () => {
    const r = await crawlSource(source, deps);
    expect(r.tables).toBe(3);
    const t = await env.stores.graph.getTable('hive://gold.game_log/session_latency_hourly');
    expect(t).toMatchObject({
      database: 'hive',
      cluster: 'gold',
      schema: 'game_log',
      kind: 'table',
      sourceDescription: 'Hourly p50/p95 network latency per country',
      sourceOwners: ['jiwoo.kim'],
      rowCount: 123456,
      sizeBytes: 98765432,
      source: 'hive-metastore:game-hive',
    });
    expect(t!.columns.map((c) => [c.name, c.type, c.sourceDescription])).toEqual([
      ['country_code', 'string', 'ISO 3166-1 alpha-2'],
      ['avg_rtt_ms', 'double', 'mean round trip time'],
      ['samples', 'bigint', undefined],
      ['dt', 'string', 'partition date'],
      ['hr', 'string', undefined],
    ]);
    // the newest partitions' creation times are the loads; the last partition is the last update
    const last = T0 + 86400 * 4 + 59 * 3600 + 300;
    expect(t!.updates).toHaveLength(48);
    expect(t!.updates[t!.updates.length - 1]).toBe(iso(last));
    expect(r.counts.partitions_read).toBe(48);

    const ping = await env.stores.graph.getTable('hive://gold.game_log/ping_events');
    expect(ping).toMatchObject({ sourceOwners: ['minsu.lee'], sourceTags: ['external'], updates: [iso(T0 + 7200)] });
    expect(ping!.columns[2]!.type).toBe('map<string,array<struct<k:string,v:double>>>');
    expect(await env.stores.graph.getTable('hive://gold.default/latency_view')).toMatchObject({ kind: 'view' });
  });

  it('a new partition is a load, a new column a schema change, and an unchanged metastore writes nothing', async () => {
    expect((await crawlSource(source, deps)).wrote).toBe(false);
    const at = T0 + 86400 * 7;
    await hive.writer.addPartition('game_log', 'session_latency_hourly', ['2026-11-27', '00'], at);
    await hive.writer.addColumn('game_log', 'ping_events', { name: 'region', type: 'string', comment: 'server region' });
    await hive.writer.setTableParam('game_log', 'ping_events', 'comment', 'Raw ping events from clients');
    const r = await crawlSource(source, deps);
    expect(r.loaded).toEqual(['hive://gold.game_log/session_latency_hourly']);
    expect(r.changed).toEqual(['hive://gold.game_log/ping_events']);
    expect(r.changes.map((c) => `${c.kind}:${c.column ?? ''}`).sort()).toEqual(['column_added:region', 'description_changed:']);
    const t = await env.stores.graph.getTable('hive://gold.game_log/session_latency_hourly');
    expect(t!.updates[t!.updates.length - 1]).toBe(iso(at));
  });

  it('include/exclude patterns apply to database.table', async () => {
    const only = await crawlSource({ ...source, id: 'hive-only', include: ['game_log.*'], exclude: ['*.ping_*'] }, { ...deps }, { dryRun: true });
    expect(only.added).toEqual(['hive://gold.game_log/session_latency_hourly']);
  });
});
