import { Redis } from 'ioredis';
import { RedisCrawlStore } from '../../src/adapters/redis/redis-crawl-store';
import { crawlStoreContract } from '../contract/crawl-store.contract';
import { deletePrefix, sharedRedisUrl, uniqueName } from '../workers/support/redis';

crawlStoreContract('Redis', async () => {
  const url = sharedRedisUrl();
  const prefix = uniqueName('crawl-store');
  const client = new Redis(url);
  const store = new RedisCrawlStore({ client, prefix });
  await store.init();
  return {
    store,
    async close() {
      await store.close();
      client.disconnect();
      await deletePrefix(url, prefix);
    },
  };
});

describe('RedisCrawlStore between processes', () => {
  it('two stores (two replicas) updating one source’s status at once lose nothing', async () => {
    const url = sharedRedisUrl();
    const prefix = uniqueName('crawl-store');
    const clients = [new Redis(url), new Redis(url)];
    const stores = clients.map((client) => new RedisCrawlStore({ client, prefix }));
    await Promise.all(stores.map((s) => s.init()));
    try {
      await Promise.all(stores.flatMap((s, i) => Array.from({ length: 10 }, (_, j) => s.recordStart(`s${i}-${j}`, `c${j}`, '2026-12-01T00:00:00.000Z'))));
      expect((await stores[0]!.listStatus()).length).toBe(20);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      for (const c of clients) c.disconnect();
      await deletePrefix(url, prefix);
    }
  });
});
