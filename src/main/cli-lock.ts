/**
 * The CLI's crawl takes the same per-source lock as the worker's crawls (`RedisSourceLocks`, key
 * `{prefix}:crawl-lock:{source}`), so a CLI crawl and a worker crawl of one source never overlap. Without Redis
 * there is no shared lock to take (the worker then runs in its own process only).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { connectRedis } from '../adapters/redis/connect';
import { RedisSourceLocks } from '../adapters/redis/redis-source-locks';
import { UserError } from '../domain/errors';
import { redactUrl } from '../log/redact';
import { QUEUE_PREFIX } from '../../workers/queues';

/**
 * Runs `work` holding the source's crawl lock when `redisUrl` is set. A lock held elsewhere is a `UserError`
 * (`source_busy`) naming the holder; `work` gets a signal that aborts if the lock is lost.
 */
export async function withSourceLock<T>(redisUrl: string | undefined, sourceId: string, work: (signal?: AbortSignal) => Promise<T>, options: { prefix?: string; ttlMs?: number } = {}): Promise<T> {
  if (!redisUrl) return work();
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  try {
    await connectRedis(redis, redactUrl(redisUrl));
    const locks = new RedisSourceLocks(redis, { prefix: options.prefix ?? QUEUE_PREFIX, ...(options.ttlMs ? { ttlMs: options.ttlMs } : {}) });
    const got = await locks.acquire(sourceId, `cli:${hostname()}:${process.pid}:${randomUUID()}`);
    if ('heldBy' in got) throw new UserError('source_busy', `A crawl of ${sourceId} is running already (${got.heldBy}). Try again when it has finished.`);
    try {
      return await work(got.lease.lost);
    } finally {
      await got.lease.release().catch(() => undefined);
    }
  } finally {
    redis.disconnect();
  }
}
