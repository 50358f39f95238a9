import { randomUUID } from 'node:crypto';
import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import type { SourceConfig } from '../../ingest/source';
import { ElasticsearchSearchIndex } from '../../src/adapters/elasticsearch/elasticsearch-search-index';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { serviceEnv } from '../../bench/service-env';
import { createPgDatabase, embeddedStores } from './support/servers';

/** The PostgreSQL connector publishing into Neo4j + Elasticsearch (a keyspace and index prefix of its own). */
describe('crawling into Neo4j and Elasticsearch', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let local: Awaited<ReturnType<typeof embeddedStores>>;
  let graph: Neo4jGraphStore;
  let search: ElasticsearchSearchIndex;
  let deps: CrawlDeps;
  let prefix: string;
  let esUrl: string;
  const source: SourceConfig = { id: 'wh', type: 'postgres', urlEnv: 'WH_URL', cluster: 'main' };

  beforeAll(async () => {
    const config = loadConfig({ ...serviceEnv(), ...process.env });
    db = await createPgDatabase();
    await db.query(`CREATE SCHEMA s`);
    for (let i = 0; i < 30; i++) await db.query(`CREATE TABLE s.t${i} (id bigint NOT NULL, v text, d date)`);
    await db.query(`COMMENT ON TABLE s.t0 IS 'the first table'`);
    await db.query(`COMMENT ON COLUMN s.t0.v IS 'a value'`);
    await db.query(`CREATE TABLE s."odd ""name"" 名前" (x int)`);
    local = await embeddedStores();
    prefix = `ingest-${randomUUID().slice(0, 8)}`;
    esUrl = config.ELASTICSEARCH_URL;
    graph = new Neo4jGraphStore({ url: config.NEO4J_URL, keyspace: `ingest-${randomUUID()}` });
    search = new ElasticsearchSearchIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: prefix });
    await graph.init();
    await search.init();
    deps = { stores: { graph, search }, logger: silentLogger(), state: local.crawlStore, env: { WH_URL: db.url }, stateScope: 'neo4j-es' };
  });

  afterAll(async () => {
    await graph?.clear().catch(() => undefined);
    await graph?.close();
    await search?.close();
    const res = await fetch(`${esUrl}/_cat/indices/${prefix}-*?format=json&h=index`).catch(() => undefined);
    const names = res ? ((await res.json()) as Array<{ index: string }>).map((i) => i.index) : [];
    if (names.length) await fetch(`${esUrl}/${names.join(',')}`, { method: 'DELETE' });
    await local?.close();
    await db?.drop();
  });

  it('publishes, then finds nothing changed when comparing every table with what Neo4j holds', async () => {
    // Five batches: the search writes go through the bulk writer, and all are visible once the crawl resolves.
    const first = await crawlSource(source, deps, { batchSize: 7 });
    expect(first.added).toHaveLength(31);
    expect(await search.count()).toBe(31);
    const settings = (await (await fetch(`${esUrl}/${prefix}-*/_settings`)).json()) as Record<string, { settings: { index: { refresh_interval?: string } } }>;
    expect(Object.values(settings).map((s) => s.settings.index.refresh_interval ?? 'default')).toEqual(['default', 'default']);
    const t0 = await graph.getTable('postgres://main.s/t0');
    expect(t0).toMatchObject({ sourceDescription: 'the first table', kind: 'table' });
    expect(t0!.columns.map((c) => [c.name, c.type, c.nullable, c.sourceDescription])).toEqual([
      ['id', 'bigint', false, undefined],
      ['v', 'text', true, 'a value'],
      ['d', 'date', true, undefined],
    ]);
    // no fingerprints: every table read back from Neo4j and compared
    const full = await crawlSource(source, deps, { full: true });
    expect(full).toMatchObject({ changed: [], added: [], removed: [], wrote: false });
  });

  it('keeps a human edit, records a schema change, and marks a dropped table removed', async () => {
    await graph.applyEdit({ tableKey: 'postgres://main.s/t0', field: { kind: 'description' }, value: 'people words', actor: 'jiwoo.kim' });
    await db.query(`ALTER TABLE s.t0 ADD COLUMN w int`);
    await db.query(`COMMENT ON TABLE s.t0 IS 'the source changed its words'`);
    await db.query(`DROP TABLE s.t29`);
    const r = await crawlSource(source, deps);
    expect(r.changed).toEqual(['postgres://main.s/t0']);
    expect(r.removed).toEqual(['postgres://main.s/t29']);
    expect(r.changes.map((c) => `${c.kind}:${c.column ?? ''}`).sort()).toEqual(['column_added:w', 'description_changed:', 'table_removed:']);
    const t0 = await graph.getTable('postgres://main.s/t0');
    expect(t0).toMatchObject({ humanDescription: 'people words', sourceDescription: 'the source changed its words' });
    expect((await graph.getTable('postgres://main.s/t29'))?.removedAt).toBeDefined();
    expect(await graph.listTableKeys({ source: 'postgres:wh' })).toHaveLength(30);
    expect(await search.count()).toBe(30);
    expect((await graph.recentSchemaChanges({ tableKey: 'postgres://main.s/t0', limit: 10 })).map((c) => c.kind).sort()).toEqual(['column_added', 'description_changed']);
    expect((await crawlSource(source, deps, { full: true })).wrote).toBe(false);
  });
});
