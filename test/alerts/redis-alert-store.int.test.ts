import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { alertStoreContract } from './alert-store.contract';
import { redisUrl, uniqueName } from './support';

alertStoreContract('Redis', async () => {
  const store = new RedisAlertStore({ url: redisUrl(), prefix: uniqueName('nansen_test_alerts') });
  await store.init();
  return {
    store,
    async expireLeases(ms) {
      await new Promise((r) => setTimeout(r, ms));
    },
    async cleanup() {
      await store.destroy();
      await store.close();
    },
  };
});
