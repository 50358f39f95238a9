import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { describeGraphStoreContract } from '../contract/graph-store.contract';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { describeVectorIndexContract } from '../contract/vector-index.contract';
import { SqliteVectorIndex } from '../../src/adapters/embedded/sqlite-vector-index';

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
