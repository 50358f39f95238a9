import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceEnv } from '../../bench/service-env';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { SqliteVectorIndex } from '../../src/adapters/embedded/sqlite-vector-index';
import { OpenAiEmbedder } from '../../src/adapters/http/openai-embedder';
import { answer } from '../../src/answering/answer';
import type { AnsweringDeps } from '../../src/answering/types';
import { EmbeddingCatchUp, embedPending } from '../../src/catalog/embed';
import { importCatalog, readCatalogFile } from '../../src/catalog/import';
import type { Catalog } from '../../src/catalog/catalog-file';
import { columnKey } from '../../src/domain/keys';
import { silentLogger, type Logger } from '../../src/log/logger';
import type { Embedder } from '../../src/ports/embedder';
import { passageHash, tablePassage } from '../../src/search/passages';
import { SHOP_CATALOG } from '../answering/helpers';

const URL = process.env.EMBEDDINGS_URL ?? serviceEnv().EMBEDDINGS_URL ?? 'http://127.0.0.1:8089';
const real = (model = 'multilingual-e5-small'): OpenAiEmbedder => new OpenAiEmbedder({ url: URL, model, sendInputType: true });

/** A logger that keeps what was warned, to count log lines. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log = silentLogger() as Logger & { warnings: string[] };
  log.warnings = warnings;
  log.warn = ((a: unknown, b?: unknown) => void warnings.push(String(typeof a === 'string' ? a : b))) as Logger['warn'];
  return log;
}

describe('the catalog embedded through a real model server, and a server that fails', () => {
  let catalog: Catalog;
  let graph: SqliteGraphStore;
  let search: SqliteSearchIndex;
  let vectors: SqliteVectorIndex;
  let garbage: Server;
  let garbageUrl: string;

  beforeAll(async () => {
    // the shop catalog's tables without their columns' own vectors: the model's work stays at seconds
    catalog = { ...(await readCatalogFile(SHOP_CATALOG)), dashboards: [] };
    garbage = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data": [{"index": 0, "embedding": "not a vector"}]}');
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    garbage.closeAllConnections();
    await new Promise<void>((resolve) => garbage.close(() => resolve()));
  });

  beforeEach(async () => {
    graph = new SqliteGraphStore({ path: ':memory:' });
    search = new SqliteSearchIndex({ path: ':memory:' });
    vectors = new SqliteVectorIndex({ path: ':memory:' });
    await Promise.all([graph.init(), search.init(), vectors.init()]);
  });
  afterEach(async () => {
    await Promise.all([graph.close(), search.close(), vectors.close()]);
  });

  const stores = () => ({ graph, search, vectors: { index: vectors, columns: false } });

  it('an import with the server down loses nothing: tables pending, answers lexical, caught up when it answers', async () => {
    await importCatalog(catalog, stores());
    expect(await vectors.pendingCount()).toBe(catalog.tables.length);
    const down = new OpenAiEmbedder({ url: 'http://127.0.0.1:9', model: 'multilingual-e5-small', attempts: 1 });
    const now = new Date(catalog.now!);
    const lexical: AnsweringDeps = { graph, search, now: () => now, meaning: { embedder: down, vectors, queryTimeoutMs: 500 } };
    const a = await answer({ text: 'which table has daily gmv?' }, lexical);
    expect(a.kind).toBe('find');

    const log = recordingLogger();
    const failing = new EmbeddingCatchUp({ graph, vectors, embedder: down, columns: false, log });
    await failing.runOnce();
    await failing.runOnce();
    await failing.stop();
    expect(log.warnings.filter((w) => /embeddings pending/.test(w))).toHaveLength(1);
    expect(await vectors.pendingCount()).toBe(catalog.tables.length);

    const catchUp = new EmbeddingCatchUp({ graph, vectors, embedder: real(), columns: false, log: silentLogger() });
    await catchUp.runOnce();
    await catchUp.stop();
    expect(await vectors.pendingCount()).toBe(0);
    expect((await vectors.count()).table).toBe(catalog.tables.length);
  });

  it('a server answering garbage leaves the tables pending, with a clear error', async () => {
    await importCatalog(catalog, stores());
    await expect(embedPending({ graph, vectors, embedder: new OpenAiEmbedder({ url: garbageUrl, model: 'm', attempts: 1 }), columns: false })).rejects.toThrow(/embedding/i);
    expect(await vectors.pendingCount()).toBe(catalog.tables.length);
  });

  it('embeds only changed text again, and a new model re-embeds everything', async () => {
    await importCatalog(catalog, stores());
    const first = await embedPending({ graph, vectors, embedder: real(), columns: false });
    expect(first.embedded).toBe(catalog.tables.length);

    // nothing changed: the import marks nothing, so no vector is rewritten
    await importCatalog(catalog, stores());
    expect(await vectors.pendingCount()).toBe(0);
    const again = await embedPending({ graph, vectors, embedder: real(), columns: false });
    expect(again).toMatchObject({ embedded: 0, unchanged: 0, reset: false, pending: 0 });

    const changed = { ...catalog, tables: catalog.tables.map((t, i) => (i === 0 ? { ...t, description: `${t.description ?? ''} Now also per seller.` } : t)) };
    await importCatalog(changed, stores());
    expect(await vectors.pendingCount()).toBe(1);
    expect(await embedPending({ graph, vectors, embedder: real(), columns: false })).toMatchObject({ embedded: 1, unchanged: 0 });

    // a new model is seen though nothing is pending
    await importCatalog(changed, stores());
    expect(await vectors.pendingCount()).toBe(0);
    const other = await embedPending({ graph, vectors, embedder: real('another-model-name'), columns: false });
    expect(other.reset).toBe(true);
    expect(other.embedded).toBe(catalog.tables.length);
  });

  it('marks only what changed: a column described, a column dropped, a tag added', async () => {
    const two: Catalog = { ...catalog, tables: catalog.tables.slice(0, 2) };
    const withColumns = () => ({ graph, search, vectors: { index: vectors, columns: true } });
    await importCatalog(two, withColumns());
    const subjects = two.tables.reduce((n, t) => n + 1 + t.columns.length, 0);
    expect(await vectors.pendingCount()).toBe(subjects);
    await embedPending({ graph, vectors, embedder: real(), columns: true });
    expect((await vectors.count()).column).toBe(subjects - 2);

    const [first, second] = two.tables as [Catalog['tables'][number], Catalog['tables'][number]];
    const described = { ...first, columns: first.columns.map((c, i) => (i === 0 ? { ...c, description: 'Said again, in other words.' } : c)) };
    const dropped = { ...second, columns: second.columns.slice(1), tags: [...(second.tags ?? []), 'fresh-tag'] };
    await importCatalog({ ...two, tables: [described, dropped] }, withColumns());
    // the described column alone in the first table; the second table's own text (its column list) changed
    expect((await vectors.pending(100)).map((s) => s.key).sort()).toEqual([columnKey(first.key, first.columns[0]!.name), second.key].sort());
    const report = await embedPending({ graph, vectors, embedder: real(), columns: true });
    expect(report).toMatchObject({ embedded: 2, removed: 1, pending: 0 });
    expect((await vectors.columnKeys([second.key])).get(second.key)).not.toContain(columnKey(second.key, second.columns[0]!.name));
  });

  it('text changed back while its new text is embedded gets embedded again, not left with the stale vector', async () => {
    const one: Catalog = { ...catalog, tables: catalog.tables.slice(0, 1) };
    const [table] = one.tables as [Catalog['tables'][number]];
    await importCatalog(one, stores());
    await embedPending({ graph, vectors, embedder: real(), columns: false });
    await importCatalog({ ...one, tables: [{ ...table, description: 'Reworded while nobody looked.' }] }, stores());
    expect(await vectors.pendingCount()).toBe(1);

    // while the reworded text is with the model server, an import puts the first wording back
    const server = real();
    const racing: Embedder = {
      model: () => server.model(),
      probe: (o) => server.probe(o),
      embed: async (texts, role, o) => {
        await importCatalog(one, stores());
        return server.embed(texts, role, o);
      },
    };
    await embedPending({ graph, vectors, embedder: racing, columns: false });
    expect(await vectors.pendingCount()).toBe(1);
    expect(await embedPending({ graph, vectors, embedder: real(), columns: false })).toMatchObject({ embedded: 1, pending: 0 });
    const [now] = await graph.getTables([table.key]);
    expect((await vectors.states([table.key])).get(table.key)).toEqual({ textHash: passageHash(tablePassage(now!)), pending: false });
  });

  it('ranks by meaning as well as words, and says which path found each result', async () => {
    await importCatalog(catalog, stores());
    const embedder = real();
    await embedPending({ graph, vectors, embedder, columns: false });
    const now = new Date(catalog.now!);
    const deps: AnsweringDeps = { graph, search, now: () => now, meaning: { embedder, vectors, queryTimeoutMs: 10_000 } };
    const a = await answer({ text: 'customer complaints to support' }, deps);
    expect(a.kind).toBe('find');
    if (a.kind !== 'find') return;
    expect(a.results[0]!.key).toMatch(/cs_ticket/);
    expect(a.results[0]!.retrieval).toBe('both');
    expect(a.results[0]!.similarity).toBeGreaterThan(0.5);
    const lexical = await answer({ text: 'customer complaints to support' }, { graph, search, now: () => now });
    if (lexical.kind === 'find') expect(lexical.results.every((r) => r.retrieval === 'lexical')).toBe(true);
  });
});
