import { Redis } from 'ioredis';
import { SqliteLineageRunStore } from '../adapters/embedded/sqlite-lineage-run-store';
import { SqliteMissLog } from '../adapters/embedded/sqlite-miss-log';
import { connectRedis } from '../adapters/redis/connect';
import { RedisLineageRunStore } from '../adapters/redis/redis-lineage-run-store';
import { RedisMissLog } from '../adapters/redis/redis-miss-log';
import type { Config } from '../config/config';
import { redactUrl } from '../log/redact';
import type { LineageRunStore } from '../ports/lineage-run-store';
import type { MissLog } from '../ports/miss-log';
import { sharedCrawlState } from './crawl-store';
import { missesPath } from './settings';
import type { Backend } from './stores';
import { join } from 'node:path';

type SharedConfig = Pick<Config, 'NANSEN_DATA_DIR' | 'NANSEN_BACKEND' | 'REDIS_URL' | 'NANSEN_REDIS_PREFIX'>;

/** The key prefixes of the shared miss log and lineage run store. */
export function missLogPrefix(config: Pick<Config, 'NANSEN_REDIS_PREFIX'>): string {
  return `${config.NANSEN_REDIS_PREFIX}:misses`;
}
export function lineageRunPrefix(config: Pick<Config, 'NANSEN_REDIS_PREFIX'>): string {
  return `${config.NANSEN_REDIS_PREFIX}:lineage`;
}

/** The local lineage run store file. */
export function localLineagePath(config: Pick<Config, 'NANSEN_DATA_DIR'>): string {
  return join(config.NANSEN_DATA_DIR, 'lineage.sqlite');
}

/** A Redis client of its own, connected; an unreachable Redis is an error naming it, never a fall-back to a local file. */
async function connectShared(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  client.on('error', () => undefined);
  try {
    await connectRedis(client, redactUrl(url));
  } catch (e) {
    client.disconnect();
    throw e;
  }
  return client;
}

/**
 * The missed-questions log: in Redis when state is shared (`neo4j-es` with REDIS_URL, as the crawl memory), so
 * every bot process and the CLI read one log; else `misses.sqlite` under NANSEN_DATA_DIR.
 */
export async function openMissLog(config: SharedConfig, backend: Backend = config.NANSEN_BACKEND): Promise<MissLog> {
  if (sharedCrawlState(config, backend) && config.REDIS_URL) return new RedisMissLog({ client: await connectShared(config.REDIS_URL), ownsClient: true, prefix: missLogPrefix(config) });
  return new SqliteMissLog(missesPath(config));
}

/**
 * The OpenLineage intake's run store, which the receiver writes and the chat roots read: in Redis when state is
 * shared (`neo4j-es` with REDIS_URL), so every receiver and bot replica sees one; else `lineage.sqlite`.
 */
export async function openLineageRunStore(config: SharedConfig, backend: Backend = config.NANSEN_BACKEND): Promise<LineageRunStore> {
  const store: LineageRunStore =
    sharedCrawlState(config, backend) && config.REDIS_URL
      ? new RedisLineageRunStore({ client: await connectShared(config.REDIS_URL), ownsClient: true, prefix: lineageRunPrefix(config) })
      : new SqliteLineageRunStore({ path: localLineagePath(config) });
  try {
    await store.init();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}
