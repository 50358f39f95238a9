import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbtConnector } from '../../ingest/connectors/dbt';
import { crawlSource } from '../../ingest/crawl';
import { PermanentSourceError } from '../../ingest/errors';
import { tableFilter } from '../../ingest/patterns';
import type { ExtractedItem, SourceConfig } from '../../ingest/source';
import type { TableRecord } from '../../src/domain/model';
import { silentLogger } from '../../src/log/logger';
import { embeddedStores } from './support/servers';

/** Artifacts made by real dbt 1.9 against PostgreSQL: see fixtures/dbt/README.md. */
const FIXTURE = join(__dirname, 'fixtures', 'dbt');
const K = (schema: string, name: string): string => `dbt://nansen_dbt_fixture.${schema}/${name}`;

async function extract(path: string, options: { cluster?: string } = {}): Promise<Map<string, TableRecord>> {
  const c = new DbtConnector({ sourceId: 'shop-dbt', sourceName: 'dbt:shop-dbt', path, filter: tableFilter(undefined, undefined), ...options });
  const items: ExtractedItem[] = [];
  for await (const item of c.extract({ now: new Date('2026-11-25T00:00:00Z') })) items.push(item);
  return new Map(items.flatMap((i) => (i.kind === 'table' ? [[i.record.key, i.record] as const] : [])));
}

describe('dbt connector (real dbt artifacts)', () => {
  it('reads models, seeds and sources with descriptions, warehouse column types, tags and owners', async () => {
    const tables = await extract(FIXTURE);
    expect([...tables.keys()].sort()).toEqual(
      [K('raw', 'customers'), K('raw', 'orders'), K('shop', 'raw_payments'), K('shop_marts', 'orders'), K('shop_staging', 'stg_customers'), K('shop_staging', 'stg_orders')].sort(),
    );
    const orders = tables.get(K('shop_marts', 'orders'))!;
    expect(orders).toMatchObject({
      database: 'dbt',
      cluster: 'nansen_dbt_fixture',
      schema: 'shop_marts',
      name: 'orders',
      kind: 'table',
      description: 'One row per order with its paid amount — the table finance reports on.',
      tags: ['finance', 'certified'],
      owners: ['hana.cho'],
      source: 'dbt:shop-dbt',
    });
    expect(orders.columns).toEqual([
      { name: 'order_id', type: 'integer', position: 0, description: 'Order id.' },
      { name: 'customer_id', type: 'integer', position: 1 },
      { name: 'country_code', type: 'character(2)', position: 2, description: 'ISO 3166-1 alpha-2 country of the customer.' },
      { name: 'status', type: 'text', position: 3 },
      { name: 'ordered_at', type: 'timestamp with time zone', position: 4 },
      { name: 'amount', type: 'bigint', position: 5, description: 'Paid amount in KRW.' },
    ]);
    expect(tables.get(K('shop_staging', 'stg_orders'))).toMatchObject({ kind: 'view', tags: ['staging'], description: 'Orders, renamed and typed.' });
    expect(tables.get(K('raw', 'orders'))).toMatchObject({ owners: ['minsu.lee'], description: 'One row per order, as the backend wrote it.' });
    expect(tables.get(K('raw', 'orders'))!.columns.find((c) => c.name === 'customer_id')).toMatchObject({ type: 'integer', description: 'Who ordered.' });
  });

  it('takes lineage from depends_on and loads from the build run_results', async () => {
    const tables = await extract(FIXTURE);
    expect(tables.get(K('shop_marts', 'orders'))!.upstream).toEqual([K('shop', 'raw_payments'), K('shop_staging', 'stg_customers'), K('shop_staging', 'stg_orders')]);
    expect(tables.get(K('shop_staging', 'stg_orders'))!.upstream).toEqual([K('raw', 'orders')]);
    expect(tables.get(K('raw', 'orders'))!.upstream).toBeUndefined();
    const results = JSON.parse(readFileSync(join(FIXTURE, 'run_results.json'), 'utf8')) as { results: Array<{ unique_id: string; timing: Array<{ name: string; completed_at: string }> }> };
    const done = results.results.find((r) => r.unique_id === 'model.nansen_shop.orders')!.timing.find((t) => t.name === 'execute')!.completed_at;
    expect(tables.get(K('shop_marts', 'orders'))!.updates).toEqual([new Date(done).toISOString()]);
    expect(tables.get(K('raw', 'orders'))!.updates).toBeUndefined();
  });

  it('crawls into the stores with lineage resolved, and a second crawl writes nothing', async () => {
    const env = await embeddedStores();
    try {
      const source: SourceConfig = { id: 'shop-dbt', type: 'dbt', path: FIXTURE, cluster: 'shop' };
      const deps = { stores: env.stores, logger: silentLogger(), state: env.crawlStore };
      const r = await crawlSource(source, deps);
      expect(r.added).toHaveLength(6);
      expect(await env.stores.graph.lineage('dbt://shop.shop_marts/orders', 'upstream', 3)).toEqual([
        'dbt://shop.shop/raw_payments',
        'dbt://shop.shop_staging/stg_customers',
        'dbt://shop.shop_staging/stg_orders',
        'dbt://shop.raw/customers',
        'dbt://shop.raw/orders',
      ]);
      expect((await crawlSource(source, deps)).wrote).toBe(false);
    } finally {
      await env.close();
    }
  });

  it('accepts the manifest path itself, works without catalog.json, and rejects what is not a manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-dbt-'));
    try {
      cpSync(join(FIXTURE, 'manifest.json'), join(dir, 'manifest.json'));
      const tables = await extract(join(dir, 'manifest.json'));
      expect(tables.get(K('shop_marts', 'orders'))!.columns.map((c) => [c.name, c.type])).toEqual([
        ['order_id', 'unknown'],
        ['amount', 'unknown'],
        ['country_code', 'unknown'],
      ]);
      writeFileSync(join(dir, 'manifest.json'), '{"hello": 1}');
      await expect(extract(dir)).rejects.toBeInstanceOf(PermanentSourceError);
      await expect(extract(join(dir, 'missing'))).rejects.toThrow(/cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
