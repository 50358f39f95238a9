import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { answer } from '../../src/answering/answer';
import type { Answer, AnsweringDeps } from '../../src/answering/types';
import { importCatalog, readCatalogFile } from '../../src/catalog/import';
import { SHOP_CATALOG, shop } from './helpers';

/** The keys an answer offers: its results when it found some, its suggestions when it did not. */
function offered(a: Answer): string[] {
  if (a.kind === 'find') return a.results.map((r) => r.key);
  return 'suggestions' in a && Array.isArray(a.suggestions) ? (a.suggestions as string[]) : [];
}

describe('candidates kept between answers (read once per catalog change)', () => {
  let dir: string;
  let graph: SqliteGraphStore;
  let search: SqliteSearchIndex;
  let deps: AnsweringDeps;
  const question = 'where are orders with gmv and discount?';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-candidate-cache-'));
    graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    await graph.init();
    await search.init();
    const catalog = await readCatalogFile(SHOP_CATALOG);
    await importCatalog(catalog, { graph, search });
    const now = new Date(catalog.now ?? '2027-03-18T03:00:00Z');
    deps = { graph, search, now: () => now };
  });

  afterEach(async () => {
    await graph.close();
    await search.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the same question the same way twice', async () => {
    const first = await answer({ text: question }, deps);
    expect(offered(first)).toContain(shop('fct_orders'));
    expect(await answer({ text: question }, deps)).toEqual(first);
  });

  it("sees this process's own write at the next answer", async () => {
    expect(offered(await answer({ text: question }, deps))).toContain(shop('fct_orders'));
    await graph.markRemoved([shop('fct_orders')], '2027-03-18T02:00:00Z');
    expect(offered(await answer({ text: question }, deps))).not.toContain(shop('fct_orders'));
  });

  it("sees another process's write to the same file at the next answer", async () => {
    expect(offered(await answer({ text: question }, deps))).toContain(shop('fct_orders'));
    const worker = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    await worker.init();
    try {
      await worker.markRemoved([shop('fct_orders')], '2027-03-18T02:00:00Z');
    } finally {
      await worker.close();
    }
    expect(offered(await answer({ text: question }, deps))).not.toContain(shop('fct_orders'));
  });
});

describe('SqliteGraphStore.changeToken', () => {
  let dir: string;
  let graph: SqliteGraphStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-change-token-'));
    graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    await graph.init();
    const search = new SqliteSearchIndex({ path: ':memory:' });
    await search.init();
    await importCatalog(await readCatalogFile(SHOP_CATALOG), { graph, search });
    await search.close();
  });

  afterEach(async () => {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays the same across reads', async () => {
    const before = await graph.changeToken();
    await graph.getTables([shop('fct_orders'), shop('refunds')]);
    await graph.listTableKeys();
    expect(await graph.changeToken()).toBe(before);
  });

  it('changes with a load recorded here or a table removed by another connection', async () => {
    const start = await graph.changeToken();
    await graph.recordLoads([{ tableKey: shop('refunds'), at: '2027-03-18T01:00:00Z' }]);
    const afterLoad = await graph.changeToken();
    expect(afterLoad).not.toBe(start);
    const other = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    await other.init();
    await other.markRemoved([shop('refunds')], '2027-03-18T02:00:00Z');
    await other.close();
    expect(await graph.changeToken()).not.toBe(afterLoad);
  });
});
