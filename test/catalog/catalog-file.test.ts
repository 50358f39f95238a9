import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { parseCatalog } from '../../src/catalog/catalog-file';
import { importCatalog, readCatalogFile } from '../../src/catalog/import';
import type { Stores } from '../../src/catalog/publish';

const good = {
  format: 'catalog-v1',
  now: '2026-11-24T09:00:00Z',
  users: [{ id: 'jiwoo.kim', name: 'Jiwoo Kim', slackId: 'U1' }],
  tables: [
    {
      key: 'hive://gold.game_log/sessions',
      database: 'hive',
      cluster: 'gold',
      schema: 'game_log',
      name: 'sessions',
      description: 'One row per game session.',
      owners: ['jiwoo.kim'],
      columns: [{ name: 'session_id', type: 'bigint' }],
      updates: ['2026-11-24T08:00:00Z'],
      readers: [{ user: 'jiwoo.kim', count: 3 }],
    },
  ],
  dashboards: [{ key: 'tableau://bi/sessions', name: 'Sessions', tables: ['hive://gold.game_log/sessions'] }],
};

function variant(mutate: (c: typeof good & Record<string, unknown>) => void): string {
  const c = JSON.parse(JSON.stringify(good));
  mutate(c);
  return JSON.stringify(c);
}

describe('parseCatalog', () => {
  it('accepts a valid catalog and numbers columns', () => {
    const c = parseCatalog(JSON.stringify(good), 'good.json');
    expect(c.now).toBe('2026-11-24T09:00:00Z');
    expect(c.tables[0]!.columns[0]).toMatchObject({ name: 'session_id', position: 0 });
    expect(c.tables[0]!.source).toBe('catalog:good.json');
  });

  it.each([
    ['bad JSON', '{"format": "catalog-v1", ', /bad\.json: \(top level\): not valid JSON/],
    ['wrong format', variant((c) => (c.format = 'v2')), /bad\.json: format: /],
    ['wrong type', variant((c) => ((c.tables[0] as Record<string, unknown>).columns = 'x')), /bad\.json: tables\[0\]\.columns: /],
    ['unknown field', variant((c) => ((c.tables[0] as Record<string, unknown>).colour = 'red')), /bad\.json: tables\[0\]: .*colour/],
    ['bad time', variant((c) => (c.tables[0]!.updates = ['yesterday'])), /tables\[0\]\.updates\[0\]: must be an ISO-8601 time/],
    ['unknown owner', variant((c) => (c.tables[0]!.owners = ['ghost'])), /tables\[0\]\.owners\[0\]: unknown user "ghost"/],
    ['unknown reader', variant((c) => (c.tables[0]!.readers = [{ user: 'ghost', count: 1 }])), /tables\[0\]\.readers\[0\]\.user: unknown user "ghost"/],
    ['duplicate table', variant((c) => c.tables.push(c.tables[0]!)), /tables\[1\]\.key: duplicate table key/],
    ['duplicate user', variant((c) => c.users.push(c.users[0]!)), /users\[1\]\.id: duplicate user id/],
    ['duplicate column', variant((c) => c.tables[0]!.columns.push(c.tables[0]!.columns[0]!)), /tables\[0\]\.columns\[1\]\.name: duplicate column/],
    ['key disagrees', variant((c) => (c.tables[0]!.schema = 'other')), /tables\[0\]\.schema: "other" disagrees with the key/],
    ['bad key', variant((c) => (c.tables[0]!.key = 'sessions')), /tables\[0\]\.key: must be database:\/\/cluster\.schema\/table/],
  ])('rejects %s with the file, the path and the reason', (_name, json, message) => {
    expect(() => parseCatalog(json, 'bad.json')).toThrow(message);
  });
});

describe('importCatalog', () => {
  let dir: string;
  let stores: Stores & { close(): Promise<void> };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-import-'));
    const graph = new SqliteGraphStore({ path: join(dir, 'g.sqlite') });
    const search = new SqliteSearchIndex({ path: join(dir, 's.sqlite') });
    await graph.init();
    await search.init();
    stores = { graph, search, close: async () => { await graph.close(); await search.close(); } };
  });

  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the dev catalog idempotently', async () => {
    const file = join(__dirname, '../../../shared/eval/dev.catalog.json');
    const catalog = await readCatalogFile(file);
    const progress: number[] = [];
    const result = await importCatalog(catalog, stores, { onProgress: (done) => progress.push(done) });
    expect(result.tables).toBe(catalog.tables.length);
    expect(progress[progress.length - 1]).toBe(catalog.tables.length + catalog.dashboards.length);
    const statsOnce = await stores.graph.stats();
    const sample = await stores.graph.getTable(catalog.tables[0]!.key);
    await importCatalog(catalog, stores);
    expect(await stores.graph.stats()).toEqual(statsOnce);
    expect(await stores.graph.getTable(catalog.tables[0]!.key)).toEqual(sample);
    expect(await stores.search.count()).toBe(catalog.tables.length + catalog.dashboards.length);
  });

  it('writes nothing from an invalid file', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, variant((c) => c.tables.push({ ...c.tables[0]!, key: 'hive://gold.game_log/x', name: 'x', owners: ['ghost'] })));
    await expect(readCatalogFile(file)).rejects.toThrow(/broken\.json: tables\[1\]\.owners\[0\]: unknown user "ghost"/);
    expect((await stores.graph.stats()).tables).toBe(0);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
  });

  it('names a file it cannot read', async () => {
    await expect(readCatalogFile(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: cannot be read \(ENOENT\)/);
  });
});
