import { Redis } from 'ioredis';
import type { CrawlOptions, CrawlReport, SourceConfig } from '../ingest/source';
import type { Logger } from '../src/log/logger';
import { closeCrawlWorker, createCrawlWorker, type CrawlWorker } from './bullmq-runner';
import { safeErrorMessage } from './errors';
import { InProcessCrawlRunner } from './in-process-runner';
import { createCrawlProcessor, type CrawlFailure } from './processors/crawl';
import { createAlertQueue, createCrawlQueue, enqueueCrawl, QUEUE_PREFIX, type AlertQueue, type CrawlJobData, type CrawlQueue, type CrawlRetryOptions } from './queues';
import { syncCrawlSchedulers, type SyncResult } from './schedules';
import { MemorySourceLocks, RedisSourceLocks } from './source-lock';

export interface WorkerAppOptions {
  logger: Logger;
  /** Redis for queues and schedules; without it, crawls run in this process on the same schedules. */
  redisUrl?: string;
  /** Time zone of cron schedules. */
  tz?: string;
  /** Reads the sources file as it is now. */
  loadSources(): Promise<SourceConfig[]>;
  /** The pipeline, bound to its stores. */
  crawl(source: SourceConfig, options: CrawlOptions): Promise<CrawlReport>;
  /** Writes a failed try to the crawl status store. */
  recordFailure?(failure: CrawlFailure): Promise<void>;
  /** Crawls at once in this process (default 2). */
  concurrency?: number;
  retry?: CrawlRetryOptions;
  /** How long a stop waits for crawls in progress before returning them to the queue (default 50 s). */
  shutdownGraceMs?: number;
  /** Tests: a key prefix and queue names of their own. */
  queue?: { prefix?: string; crawlQueueName?: string; alertQueueName?: string };
  /** Tests: shorter BullMQ lock and stalled-check periods, a shorter busy wait. */
  timing?: { lockDurationMs?: number; stalledIntervalMs?: number; busyRetryMs?: number; sourceLockTtlMs?: number };
}

/** A running worker process: its mode, a way to re-read the sources file, and a graceful stop. */
export interface WorkerApp {
  mode: 'bullmq' | 'in-process';
  /** Re-reads the sources file and makes the schedules match it. */
  reloadSources(): Promise<SyncResult>;
  /** Queues (or, in-process, starts) a manual crawl. */
  requestCrawl(data: Omit<CrawlJobData, 'trigger'>): Promise<void>;
  crawlQueue?: CrawlQueue;
  /** The alert queue, created for the alert processor (issue 6) and for producers; nothing consumes it yet. */
  alertQueue?: AlertQueue;
  worker?: CrawlWorker;
  /** Takes no new work, lets crawls in progress finish (returning them to the queue after the grace period), closes connections. */
  stop(): Promise<void>;
}

/**
 * Starts the crawl worker: with Redis, a BullMQ worker plus one job scheduler per scheduled source; without, the
 * in-process runner. Either way the same processor runs the crawls.
 */
export async function startWorkerApp(options: WorkerAppOptions): Promise<WorkerApp> {
  const { logger } = options;
  let sources = await options.loadSources();
  const getSource = (id: string): SourceConfig | undefined => sources.find((s) => s.id === id);
  const graceMs = options.shutdownGraceMs ?? 50_000;

  if (!options.redisUrl) {
    const runner = new InProcessCrawlRunner({
      processor: createCrawlProcessor({ crawl: options.crawl, getSource, locks: new MemorySourceLocks(), recordFailure: options.recordFailure, logger }),
      logger,
      retry: options.retry,
      tz: options.tz,
      busyRetryMs: options.timing?.busyRetryMs,
    });
    const first = runner.setSources(sources);
    logger.info({ mode: 'in-process', scheduled: runner.schedules().length, invalid: first.invalid.length }, 'crawl worker started');
    return {
      mode: 'in-process',
      async reloadSources() {
        sources = await options.loadSources();
        return runner.setSources(sources);
      },
      async requestCrawl(data) {
        void runner.crawlNow(data).catch(() => undefined);
      },
      async stop() {
        await runner.close({ abortAfterMs: graceMs });
      },
    };
  }

  const prefix = options.queue?.prefix ?? QUEUE_PREFIX;
  const connection = { url: options.redisUrl };
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const locks = new RedisSourceLocks(redis, {
    prefix,
    ttlMs: options.timing?.sourceLockTtlMs,
    onError: (err, sourceId) => logger.warn({ source: sourceId, err: safeErrorMessage(err) }, 'crawl lock not renewed'),
  });
  const crawlQueue = createCrawlQueue({ connection, prefix, name: options.queue?.crawlQueueName }, options.retry);
  const alertQueue = createAlertQueue({ connection, prefix, name: options.queue?.alertQueueName });
  for (const q of [crawlQueue, alertQueue]) q.on('error', (err) => logger.warn({ queue: q.name, err: safeErrorMessage(err) }, 'queue error'));
  const processor = createCrawlProcessor({ crawl: options.crawl, getSource, locks, recordFailure: options.recordFailure, logger });
  const worker = createCrawlWorker({
    location: { connection, prefix, name: options.queue?.crawlQueueName },
    processor,
    logger,
    concurrency: options.concurrency,
    busyRetryMs: options.timing?.busyRetryMs,
    lockDurationMs: options.timing?.lockDurationMs,
    stalledIntervalMs: options.timing?.stalledIntervalMs,
  });
  const stopAll = async (): Promise<void> => {
    await closeCrawlWorker(worker, { graceMs, logger });
    await Promise.allSettled([crawlQueue.close(), alertQueue.close()]);
    redis.disconnect();
  };
  try {
    const first = await syncCrawlSchedulers(crawlQueue, sources, { tz: options.tz, logger });
    void worker.run().catch((err: unknown) => logger.error({ err: safeErrorMessage(err) }, 'crawl worker stopped'));
    await worker.waitUntilReady();
    logger.info({ mode: 'bullmq', queue: crawlQueue.name, scheduled: first.upserted.length + first.unchanged.length, removed: first.removed.length, invalid: first.invalid.length }, 'crawl worker started');
  } catch (err) {
    await stopAll();
    throw err;
  }

  let reloading: Promise<SyncResult> = Promise.resolve({ upserted: [], unchanged: [], removed: [], invalid: [] });
  return {
    mode: 'bullmq',
    crawlQueue,
    alertQueue,
    worker,
    reloadSources() {
      reloading = reloading
        .catch(() => undefined)
        .then(async () => {
          sources = await options.loadSources();
          return syncCrawlSchedulers(crawlQueue, sources, { tz: options.tz, logger });
        });
      return reloading;
    },
    async requestCrawl(data) {
      await enqueueCrawl(crawlQueue, data);
    },
    stop: stopAll,
  };
}
