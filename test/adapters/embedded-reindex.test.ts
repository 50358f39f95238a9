import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import type { SearchDocument, SearchIndex } from '../../src/ports/search-index';
import { analyze, analyzeToField } from '../../src/text/analyze';

function doc(key: string, description: string): SearchDocument {
  return {
    key,
    kind: 'table',
    fields: { name: analyzeToField(key), columns: '', description: analyzeToField(description), tags: '', path: '' },
    popularity: 0,
    badges: [],
    deprecated: false,
  };
}

async function keysFor(index: SearchIndex, text: string): Promise<string[]> {
  return (await index.search({ clauses: analyze(text).map((term) => ({ term, boost: 1 })), limit: 50, now: '2026-12-03T00:00:00Z' })).map((h) => h.key).sort();
}

/** Batches that wait for `gate` before the second one, so another writer can act in the middle of a rebuild. */
async function* pausedBatches(first: SearchDocument[], second: SearchDocument[], gate: Promise<void>): AsyncIterable<SearchDocument[]> {
  yield first;
  await gate;
  yield second;
}

describe('embedded search index rebuilds', () => {
  let dir: string;
  let path: string;
  let a: SqliteSearchIndex;
  let b: SqliteSearchIndex;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-reindex-'));
    path = join(dir, 'search.sqlite');
    a = new SqliteSearchIndex({ path });
    b = new SqliteSearchIndex({ path });
    await a.init();
    await b.init();
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what another connection writes and removes while it rebuilds', async () => {
    await a.upsert([doc('t_old', 'orders'), doc('t_gone', 'orders')]);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const rebuilding = a.reindex(pausedBatches([doc('t_old', 'orders'), doc('t_gone', 'orders')], [doc('t_two', 'orders')], gate));
    await new Promise((resolve) => setImmediate(resolve));
    await b.upsert([doc('t_crawled', 'orders')]);
    await b.remove(['t_gone']);
    open();
    await rebuilding;
    expect(await keysFor(a, 'orders')).toEqual(['t_crawled', 't_old', 't_two']);
    expect(await keysFor(b, 'orders')).toEqual(['t_crawled', 't_old', 't_two']);
  });

  it('lets two connections rebuild at once, each completely, and leaves no staging table behind', async () => {
    const docs = [doc('t1', 'orders'), doc('t2', 'orders')];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = a.reindex(pausedBatches(docs.slice(0, 1), docs.slice(1), gate));
    await new Promise((resolve) => setImmediate(resolve));
    await b.reindex(pausedBatches(docs.slice(0, 1), docs.slice(1), Promise.resolve()));
    open();
    await first;
    expect(await keysFor(a, 'orders')).toEqual(['t1', 't2']);
    expect(await keysFor(b, 'orders')).toEqual(['t1', 't2']);
    const file = new Database(path, { readonly: true });
    const staging = file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_docs_next%'").all();
    file.close();
    expect(staging).toEqual([]);
  });

  it('drops the staging table of a rebuild whose process is gone, and the one older code used', async () => {
    const file = new Database(path);
    file.exec('CREATE TABLE search_docs_next_999999999_abcd1234 (key TEXT PRIMARY KEY, doc TEXT NOT NULL, rev INTEGER NOT NULL DEFAULT 0)');
    file.exec('CREATE TABLE search_docs_next (key TEXT PRIMARY KEY, doc TEXT NOT NULL, rev INTEGER NOT NULL DEFAULT 0)');
    file.exec(`CREATE TABLE search_docs_next_${process.pid}_00000000 (key TEXT PRIMARY KEY, doc TEXT NOT NULL, rev INTEGER NOT NULL DEFAULT 0)`);
    await a.reindex(pausedBatches([doc('t1', 'orders')], [], Promise.resolve()));
    const left = (file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_docs_next%'").all() as Array<{ name: string }>).map((r) => r.name);
    file.close();
    expect(left).toEqual([`search_docs_next_${process.pid}_00000000`]);
  });
});
