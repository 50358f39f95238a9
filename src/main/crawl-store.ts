import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SqliteCrawlStore } from '../adapters/embedded/sqlite-crawl-store';
import { RedisCrawlStore } from '../adapters/redis/redis-crawl-store';
import { RedisSourceLocks } from '../adapters/redis/redis-source-locks';
import type { Config } from '../config/config';
import { BackendUnavailableError } from '../domain/errors';
import { redactUrl } from '../log/redact';
import type { CrawlStateStore } from '../ports/crawl-state-store';
import type { CrawlStatusStore } from '../ports/crawl-status-store';
import type { SourceLocks } from '../ports/source-locks';
import type { Backend } from './stores';

/** The crawler's memory and crawl status, where they live, and the call that closes them. */
export interface OpenCrawlStore {
  store: CrawlStateStore & CrawlStatusStore;
  /** `redis` (shared by every worker and the CLI) or `local` (`crawls.sqlite` under NANSEN_DATA_DIR). */
  kind: 'redis' | 'local';
  close(): Promise<void>;
}

/** Whether crawl state is shared: the `neo4j-es` backend with REDIS_URL. The embedded backend keeps its single file. */
export function sharedCrawlState(config: Pick<Config, 'REDIS_URL'>, backend: Backend): boolean {
  return backend === 'neo4j-es' && Boolean(config.REDIS_URL);
}

/** The local crawl store file, for the migration to the shared one. */
export function localCrawlStorePath(config: Pick<Config, 'NANSEN_DATA_DIR'>): string {
  return join(config.NANSEN_DATA_DIR, 'crawls.sqlite');
}

/**
 * Opens the crawl state and status store: in Redis when it is shared (see `sharedCrawlState`), so no replica keeps
 * crawl memory of its own; else the SQLite file. Redis unreachable at start is an error naming it, never a silent
 * fall-back to the local file.
 */
export async function openCrawlStore(config: Config, backend: Backend = config.NANSEN_BACKEND): Promise<OpenCrawlStore> {
  if (sharedCrawlState(config, backend) && config.REDIS_URL) {
    const client = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    client.on('error', () => undefined);
    const store = new RedisCrawlStore({ client, prefix: `${config.NANSEN_REDIS_PREFIX}:crawl` });
    try {
      await client.connect();
      await store.init();
    } catch (err) {
      client.disconnect();
      throw new BackendUnavailableError('Redis', redactUrl(config.REDIS_URL), err);
    }
    return {
      store,
      kind: 'redis',
      async close() {
        await store.close();
        await client.quit().catch(() => client.disconnect());
      },
    };
  }
  const store = new SqliteCrawlStore({ path: localCrawlStorePath(config) });
  await store.init();
  return { store, kind: 'local', close: () => store.close() };
}

/**
 * The source locks the CLI takes: the workers' own (Redis, the same keys) when REDIS_URL is set, so a manual crawl
 * and a scheduled one never run together; none without Redis (then there is no worker to meet).
 */
export function openCliSourceLocks(config: Pick<Config, 'REDIS_URL' | 'NANSEN_REDIS_PREFIX'>): { locks?: SourceLocks; close(): void } {
  if (!config.REDIS_URL) return { close: () => undefined };
  const client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
  client.on('error', () => undefined);
  return { locks: new RedisSourceLocks(client, { prefix: config.NANSEN_REDIS_PREFIX }), close: () => client.disconnect() };
}
