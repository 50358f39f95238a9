import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { describeGraphStoreContract } from '../contract/graph-store.contract';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { describeVectorIndexContract } from '../contract/vector-index.contract';
import { SqliteVectorIndex } from '../../src/adapters/embedded/sqlite-vector-index';
import type { SearchDocument } from '../../src/ports/search-index';
import { analyze, analyzeToField } from '../../src/text/analyze';

/** A contract factory for an embedded store kept in one SQLite file of a fresh temporary folder. */
function inTemporaryFile<T extends { init(): Promise<void>; close(): Promise<void> }>(name: string, open: (path: string) => T): { create(): Promise<T>; dispose(store: T): Promise<void> } {
  const dirs = new Map<T, string>();
  return {
    async create() {
      const dir = mkdtempSync(join(tmpdir(), `nansen-${name}-`));
      const store = open(join(dir, `${name}.sqlite`));
      await store.init();
      dirs.set(store, dir);
      return store;
    },
    async dispose(store) {
      await store.close();
      rmSync(dirs.get(store)!, { recursive: true, force: true });
      dirs.delete(store);
    },
  };
}

describeGraphStoreContract('embedded (SQLite)', inTemporaryFile('graph', (path) => new SqliteGraphStore({ path })));
describeSearchIndexContract('embedded (SQLite FTS5)', inTemporaryFile('search', (path) => new SqliteSearchIndex({ path })));
describeVectorIndexContract('embedded (SQLite, exact cosine)', inTemporaryFile('vectors', (path) => new SqliteVectorIndex({ path })));

describe('embedded search index shared by two connections (the bot thread edits, an answering thread searches)', () => {
  let dir: string;
  let writer: SqliteSearchIndex;
  let reader: SqliteSearchIndex;
  const doc = (key: string, description: string): SearchDocument => ({
    key,
    kind: 'table',
    fields: { name: analyzeToField(key.split('/').pop()), columns: '', description: analyzeToField(description), tags: '', path: analyzeToField('hive gold') },
    popularity: 0,
    badges: [],
    deprecated: false,
  });
  const found = async (index: SqliteSearchIndex, words: string): Promise<string[]> => (await index.search({ clauses: analyze(words).map((term) => ({ term, boost: 1 })), limit: 10 })).map((h) => h.key);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-search-shared-'));
    writer = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    await writer.init();
    await writer.upsert([doc('t/sessions', 'one row per session'), doc('t/revenue', 'daily revenue')]);
    reader = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    await reader.init();
  });

  afterEach(async () => {
    await Promise.all([writer.close(), reader.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("sees the other connection's upserts and removals at its next read, without reloading everything", async () => {
    expect(await found(reader, 'session')).toEqual(['t/sessions']);
    await writer.upsert([doc('t/revenue', 'daily revenue per session country'), doc('t/crashes', 'client crashes per session')]);
    expect((await found(reader, 'session')).sort()).toEqual(['t/crashes', 't/revenue', 't/sessions']);
    expect(await reader.count()).toBe(3);
    await writer.remove(['t/sessions']);
    expect((await found(reader, 'session')).sort()).toEqual(['t/crashes', 't/revenue']);
    expect((await reader.vocabulary()).has('crash')).toBe(true);
    // removed, then written again: the document is back
    await writer.remove(['t/crashes']);
    await writer.upsert([doc('t/crashes', 'client crashes per session')]);
    expect((await found(reader, 'crash'))).toEqual(['t/crashes']);
  });

  it('a connection that writes after the other did keeps both writes', async () => {
    await writer.upsert([doc('t/crashes', 'client crashes')]);
    await reader.upsert([doc('t/latency', 'network latency')]);
    expect(await found(reader, 'crash')).toEqual(['t/crashes']);
    expect(await found(writer, 'latency')).toEqual(['t/latency']);
    expect(await reader.count()).toBe(4);
    expect(await writer.count()).toBe(4);
  });

  it('a reindex by one connection replaces what the other searches', async () => {
    async function* batches(): AsyncIterable<SearchDocument[]> {
      yield [doc('t/latency', 'network latency')];
    }
    await writer.reindex(batches());
    expect(await found(reader, 'session')).toEqual([]);
    expect(await found(reader, 'latency')).toEqual(['t/latency']);
    expect(await reader.count()).toBe(1);
    await writer.upsert([doc('t/sessions', 'one row per session')]);
    expect(await found(reader, 'session')).toEqual(['t/sessions']);
  });
});
