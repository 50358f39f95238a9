import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { describeGraphStoreContract } from '../contract/graph-store.contract';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { describeVectorIndexContract } from '../contract/vector-index.contract';
import { SqliteVectorIndex } from '../../src/adapters/embedded/sqlite-vector-index';

const dirs = new Map<object, string>();

describeGraphStoreContract('embedded (SQLite)', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-graph-'));
    const store = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    await store.init();
    dirs.set(store, dir);
    return store;
  },
  async dispose(store) {
    await store.close();
    rmSync(dirs.get(store)!, { recursive: true, force: true });
  },
});

describeSearchIndexContract('embedded (SQLite FTS5)', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-search-'));
    const index = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    await index.init();
    dirs.set(index, dir);
    return index;
  },
  async dispose(index) {
    await index.close();
    rmSync(dirs.get(index)!, { recursive: true, force: true });
  },
});

describeVectorIndexContract('embedded (SQLite, exact cosine)', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-vectors-'));
    const index = new SqliteVectorIndex({ path: join(dir, 'vectors.sqlite') });
    await index.init();
    dirs.set(index, dir);
    return index;
  },
  async dispose(index) {
    await index.close();
    rmSync(dirs.get(index)!, { recursive: true, force: true });
  },
});
