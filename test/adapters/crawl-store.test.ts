import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCrawlStore } from '../../src/adapters/embedded/sqlite-crawl-store';
import { crawlStoreContract } from '../contract/crawl-store.contract';

crawlStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-crawl-store-'));
  const store = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
  await store.init();
  return {
    store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
