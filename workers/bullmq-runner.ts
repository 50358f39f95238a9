import { DelayedError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from '../src/log/logger';
import { isShutdownAbort, safeErrorMessage, SHUTDOWN_REASON, SourceBusyError } from './errors';
import type { CrawlProcessor } from './processors/crawl';
import { returnJobUnlessTaking, type TakingJobs } from './taking-jobs';
import { CRAWL_QUEUE, QUEUE_PREFIX, type CrawlJobData, type CrawlJobResult, type QueueLocation } from './queues';

export interface CrawlWorkerOptions {
  location: QueueLocation;
  processor: CrawlProcessor;
  logger: Logger;
  /** Crawls run at once by this process (default 2); never two of the same source. */
  concurrency?: number;
  /** How long a manual crawl waits when its source is being crawled by another job (default 30 s). */
  busyRetryMs?: number;
  /** BullMQ's job lock; a job whose lock is not renewed for this long is handed out again (default 30 s). */
  lockDurationMs?: number;
  /** How often to look for stalled jobs (default 30 s). */
  stalledIntervalMs?: number;
  /**
   * False while this replica takes no jobs (Redis lost: see `startRedisGuard`). A job that still reaches the
   * worker then (a fetch already blocked in Redis when the worker was paused returns one once Redis is back) goes
   * back to the queue untried.
   */
  takingJobs?: TakingJobs;
}

export type CrawlWorker = Worker<CrawlJobData, CrawlJobResult, string>;

/**
 * The BullMQ worker of the crawl queue. Created paused (`autorun: false`): call `worker.run()`. A job whose source is busy is put back as delayed (not counted as a
 * try); a job whose lock could not be renewed (Redis gone for longer than the lock, or the job handed to another
 * worker) is cancelled, so its crawl stops instead of running next to the new owner's.
 */
export function createCrawlWorker(options: CrawlWorkerOptions): CrawlWorker {
  const { logger, processor } = options;
  const busyRetryMs = options.busyRetryMs ?? 30_000;

  const process = async (job: Job<CrawlJobData, CrawlJobResult, string>, token: string | undefined, signal: AbortSignal | undefined): Promise<CrawlJobResult> => {
    await returnJobUnlessTaking(job, token, options.takingJobs, () => logger.info({ source: job.data.sourceId, jobId: job.id }, 'crawl returned to the queue: not taking jobs while Redis is lost'));
    try {
      return await processor(job, token, signal);
    } catch (err) {
      if (isShutdownAbort(signal) && token) {
        logger.info({ source: job.data.sourceId, jobId: job.id }, 'crawl returned to the queue: worker shutting down');
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (err instanceof SourceBusyError && token) {
        logger.info({ source: err.sourceId, jobId: job.id, heldBy: err.holder, retryInMs: busyRetryMs }, 'crawl postponed: source busy');
        await job.moveToDelayed(Date.now() + busyRetryMs, token);
        throw new DelayedError();
      }
      throw err;
    }
  };

  const worker = new Worker<CrawlJobData, CrawlJobResult, string>(options.location.name ?? CRAWL_QUEUE, process, {
    connection: options.location.connection,
    prefix: options.location.prefix ?? QUEUE_PREFIX,
    concurrency: options.concurrency ?? 2,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
    autorun: false,
  });

  let lastConnectionError = 0;
  worker.on('error', (err) => {
    const now = Date.now();
    if (now - lastConnectionError < 5000) return;
    lastConnectionError = now;
    logger.warn({ err: safeErrorMessage(err) }, 'crawl worker error');
  });
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const id of jobIds) {
      logger.warn({ jobId: id }, 'crawl job lock lost: cancelling');
      worker.cancelJob(id, 'job lock lost');
    }
  });
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'crawl job stalled: handed out again'));
  worker.on('failed', (job, err) => {
    if (!job || err instanceof DelayedError || err.name === 'DelayedError') return;
    logger.debug({ jobId: job.id, source: job.data.sourceId, attemptsMade: job.attemptsMade }, 'crawl job failed');
  });
  return worker;
}

/**
 * Stops a worker gracefully: takes no new job, lets the crawls in progress finish, and after `graceMs` aborts
 * the ones still running and returns them to the queue (waiting, their try not counted) so another worker, or
 * this one after a restart, runs them again.
 */
export async function closeCrawlWorker(worker: CrawlWorker, options: { graceMs: number; logger: Logger }): Promise<void> {
  const timer = setTimeout(() => {
    options.logger.warn({ graceMs: options.graceMs }, 'crawls still running after the grace period: returning them to the queue');
    worker.cancelAllJobs(SHUTDOWN_REASON);
  }, options.graceMs);
  try {
    await worker.close();
  } finally {
    clearTimeout(timer);
  }
}
