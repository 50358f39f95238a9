import { Redis } from 'ioredis';
import { MemoryChannelRateLimiter } from '../adapters/memory/memory-channel-rate-limiter';
import { MemorySourceLocks } from '../adapters/memory/memory-source-locks';
import { RedisChannelRateLimiter } from '../adapters/redis/redis-channel-rate-limiter';
import { RedisSourceLocks } from '../adapters/redis/redis-source-locks';
import { startBullmqWorkerApp } from '../../workers/bullmq-app';
import { safeErrorMessage } from '../../workers/errors';
import { startInProcessWorkerApp } from '../../workers/in-process-app';
import { QUEUE_PREFIX } from '../../workers/queues';
import type { WorkerApp, WorkerAppOptions } from '../../workers/worker-app';
import { redactUrl } from '../log/redact';
import { connectRedis } from '../adapters/redis/connect';

export type { WorkerApp, WorkerAppOptions } from '../../workers/worker-app';

/**
 * Starts the crawl worker: with Redis, the BullMQ worker (source locks and channel rate limits in Redis, shared by
 * every worker process); without, the in-process runner (both in this process's memory).
 */
export async function startWorkerApp(options: WorkerAppOptions): Promise<WorkerApp> {
  const { logger } = options;
  if (!options.redisUrl) {
    return startInProcessWorkerApp(options, { locks: new MemorySourceLocks(), limiter: new MemoryChannelRateLimiter(options.alerts?.channelIntervalMs) });
  }
  const prefix = options.queue?.prefix ?? QUEUE_PREFIX;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await connectRedis(redis, redactUrl(options.redisUrl));
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const locks = new RedisSourceLocks(redis, {
    prefix,
    ttlMs: options.timing?.sourceLockTtlMs,
    onError: (err, sourceId) => logger.warn({ source: sourceId, err: safeErrorMessage(err) }, 'crawl lock not renewed'),
  });
  const limiter = new RedisChannelRateLimiter(redis, { prefix: `${prefix}:alerts`, intervalMs: options.alerts?.channelIntervalMs });
  try {
    const app = await startBullmqWorkerApp(options, { redisUrl: options.redisUrl, locks, limiter });
    return {
      ...app,
      async stop() {
        await app.stop();
        redis.disconnect();
      },
    };
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}
