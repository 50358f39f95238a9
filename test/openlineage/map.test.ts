import { datasetKey, parseNamespaceMapping } from '../../ingest/openlineage/map';

describe('OpenLineage datasets → table keys', () => {
  const mapping = parseNamespaceMapping('postgres://db.internal:5432=postgres://warehouse, hive://metastore:9083/=hive://gold');

  it.each([
    ['postgres://db.internal:5432', 'analytics.public.orders', 'postgres://warehouse.public/orders'],
    ['postgres://db.internal:5432/', 'public.orders', 'postgres://warehouse.public/orders'],
    ['hive://metastore:9083', 'game_log.sessions', 'hive://gold.game_log/sessions'],
    ['postgres://other:5432', 'analytics.public.orders', 'postgres://analytics.public/orders'],
    ['mysql://shop-db.internal:3306', 'shop.orders', 'mysql://shop-db_internal.shop/orders'],
    ['bigquery', 'project.dataset.table', undefined],
    ['s3://bucket', 'exports/orders.csv', undefined],
    ['postgres://other:5432', 'orders', undefined],
  ])('%s + %s → %s', (ns, name, key) => {
    const m = datasetKey(ns, name, mapping);
    if (key) expect(m).toMatchObject({ kind: 'table', key });
    else expect(m).toMatchObject({ kind: 'skipped', reason: expect.any(String) });
  });

  it('refuses a mapping entry it cannot read, naming it', () => {
    expect(() => parseNamespaceMapping('postgres://x:5432=warehouse')).toThrow(/postgres:\/\/x:5432=warehouse/);
    expect(() => parseNamespaceMapping('postgres://x:5432=postgres://a.b')).toThrow();
    expect(parseNamespaceMapping(' ').size).toBe(0);
  });
});
