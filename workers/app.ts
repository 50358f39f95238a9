import { Redis } from 'ioredis';
import type { CrawlOptions, CrawlReport, SourceConfig } from '../ingest/source';
import type { PlanDeps } from '../src/alerts/plan';
import type { ChannelRateLimiter } from '../src/ports/channel-rate-limiter';
import type { SlackPoster } from '../src/adapters/slack/web-client-poster';
import type { AlertStore } from '../src/ports/alert-store';
import type { Logger } from '../src/log/logger';
import type { GraphStore } from '../src/ports/graph-store';
import { createCrawlAlerter, type CrawlAlerter } from '../src/alerts/jobs/crawl-alerts';
import { InProcessAlertRunner } from '../src/alerts/jobs/in-process';
import { DIGEST_SCHEDULER_ID } from '../src/alerts/jobs/queues';
import { startAlertWorkers, type AlertWorkers } from '../src/alerts/jobs/worker';
import { closeCrawlWorker, createCrawlWorker, type CrawlWorker } from './bullmq-runner';
import { safeErrorMessage } from './errors';
import { InProcessCrawlRunner } from './in-process-runner';
import { createCrawlProcessor, type CrawlFailure } from './processors/crawl';
import { createAlertQueue, createCrawlQueue, enqueueCrawl, QUEUE_PREFIX, type AlertQueue, type CrawlJobData, type CrawlQueue, type CrawlRetryOptions } from './queues';
import { syncCrawlSchedulers, type SyncResult } from './schedules';
import { MemorySourceLocks, RedisSourceLocks } from '../src/ports/source-locks';

/** Schema-change alerts of the worker process (issue 6). */
export interface WorkerAlertOptions {
  /** The alert store the bot uses too (subscriptions, mutes, the delivery ledger). */
  store: AlertStore;
  /** The graph the crawls write: changes, owners, lineage. */
  graph: GraphStore;
  /** Posts to Slack; without it (no SLACK_BOT_TOKEN) alerts are planned and logged, never posted. */
  slack?: SlackPoster;
  /** Time zone of the digest schedule and dates (`NANSEN_TIMEZONE`). */
  timeZone: string;
  /** Cron of the daily digest (`NANSEN_DIGEST_CRON`, default `0 9 * * *`); `false` for none. */
  digestCron?: string | false;
  /** Direct messages to owners about breaking changes (default true). */
  ownerDms?: boolean;
  /** People's own table subscriptions, kept by the Slack app. */
  extraSubscribers?: PlanDeps['extraSubscribers'];
  /** How long a stop waits for alert messages in flight (in-process mode; default 10 s). */
  drainMs?: number;
  /** Tests: the least time between two messages to one channel, a rate limiter of their own, shorter retries. */
  channelIntervalMs?: number;
  limiter?: ChannelRateLimiter;
  retry?: { attempts?: number; backoffMs?: number };
}

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
  /** Schema-change alerts: queued after each crawl that changed a schema, planned and delivered here. Without it, none. */
  alerts?: WorkerAlertOptions;
  /** Tests: a key prefix and queue names of their own. */
  queue?: { prefix?: string; crawlQueueName?: string; alertQueueName?: string; deliveryQueueName?: string };
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
  /** The alert queue: one job per crawl with schema changes. */
  alertQueue?: AlertQueue;
  worker?: CrawlWorker;
  /** How alerts go out: BullMQ alert workers, in this process, only logged (no Slack token), or not at all. */
  alertMode: 'bullmq' | 'in-process' | 'log-only' | 'off';
  /** The alert workers (BullMQ mode with a Slack poster). */
  alertWorkers?: AlertWorkers;
  /** The in-process alert runner (in-process mode with a Slack poster). */
  alertRunner?: InProcessAlertRunner;
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

  const { alerts } = options;
  const alertMode: WorkerApp['alertMode'] = !alerts ? 'off' : !alerts.slack ? 'log-only' : options.redisUrl ? 'bullmq' : 'in-process';
  if (alertMode === 'log-only') logger.warn('SLACK_BOT_TOKEN is not set: schema-change alerts will be planned and logged, not posted');
  const logOnly = (a: WorkerAlertOptions): CrawlAlerter =>
    createCrawlAlerter({ kind: 'log-only', plan: { store: a.store, graph: a.graph, ownerDms: a.ownerDms, extraSubscribers: a.extraSubscribers } }, { graph: a.graph, logger });

  if (!options.redisUrl) {
    const alertRunner = alerts?.slack
      ? new InProcessAlertRunner({
          store: alerts.store,
          graph: alerts.graph,
          slack: alerts.slack,
          logger,
          timeZone: alerts.timeZone,
          digestCron: alerts.digestCron,
          ownerDms: alerts.ownerDms,
          extraSubscribers: alerts.extraSubscribers,
          limiter: alerts.limiter,
          attempts: alerts.retry?.attempts,
          backoffMs: alerts.retry?.backoffMs,
        })
      : undefined;
    const afterCrawl = alertRunner && alerts ? createCrawlAlerter({ kind: 'in-process', runner: alertRunner }, { graph: alerts.graph, logger }) : alerts && logOnly(alerts);
    const runner = new InProcessCrawlRunner({
      processor: createCrawlProcessor({ crawl: options.crawl, getSource, locks: new MemorySourceLocks(), recordFailure: options.recordFailure, logger, afterCrawl }),
      logger,
      retry: options.retry,
      tz: options.tz,
      busyRetryMs: options.timing?.busyRetryMs,
    });
    const first = runner.setSources(sources);
    logger.info({ mode: 'in-process', alerts: alertMode, scheduled: runner.schedules().length, invalid: first.invalid.length }, 'crawl worker started');
    return {
      mode: 'in-process',
      alertMode,
      ...(alertRunner ? { alertRunner } : {}),
      async reloadSources() {
        sources = await options.loadSources();
        return runner.setSources(sources);
      },
      async requestCrawl(data) {
        void runner.crawlNow(data).catch(() => undefined);
      },
      async stop() {
        await runner.close({ abortAfterMs: graceMs });
        if (alertRunner) {
          // Messages waiting for their channel's slot are seconds away; what is still pending after this is dropped.
          let timer: NodeJS.Timeout | undefined;
          const drained = await Promise.race([alertRunner.idle().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), alerts?.drainMs ?? 10_000)))]);
          clearTimeout(timer);
          if (!drained) logger.warn('alert messages still pending at shutdown: dropped');
          await alertRunner.close();
        }
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
  let alertWorkers: AlertWorkers | undefined;
  if (alerts?.slack) {
    try {
      alertWorkers = await startAlertWorkers({
        connection,
        redisUrl: options.redisUrl,
        store: alerts.store,
        graph: alerts.graph,
        slack: alerts.slack,
        logger,
        timeZone: alerts.timeZone,
        digestCron: alerts.digestCron,
        ownerDms: alerts.ownerDms,
        extraSubscribers: alerts.extraSubscribers,
        channelIntervalMs: alerts.channelIntervalMs,
        limiter: alerts.limiter,
        queue: { prefix, alertQueueName: options.queue?.alertQueueName, deliveryQueueName: options.queue?.deliveryQueueName },
        timing: options.timing,
      });
      // `off` now: a schedule left by an earlier start would go on firing.
      if (alerts.digestCron === false) await alertWorkers.deliveryQueue.removeJobScheduler(DIGEST_SCHEDULER_ID);
    } catch (err) {
      await alertWorkers?.close();
      redis.disconnect();
      throw err;
    }
  }
  const crawlQueue = createCrawlQueue({ connection, prefix, name: options.queue?.crawlQueueName }, options.retry);
  // With alert workers, their queue; else one for producers only (log-only mode does not queue).
  const alertQueue = alertWorkers?.alertQueue ?? createAlertQueue({ connection, prefix, name: options.queue?.alertQueueName });
  for (const q of alertWorkers ? [crawlQueue] : [crawlQueue, alertQueue]) q.on('error', (err) => logger.warn({ queue: q.name, err: safeErrorMessage(err) }, 'queue error'));
  const afterCrawl = alertWorkers ? createCrawlAlerter({ kind: 'queue', queue: alertQueue }, { graph: alerts!.graph, logger }) : alerts && logOnly(alerts);
  const processor = createCrawlProcessor({ crawl: options.crawl, getSource, locks, recordFailure: options.recordFailure, logger, afterCrawl });
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
    // After the crawls, which queue their alerts as they finish; lets messages in flight finish.
    if (alertWorkers) await alertWorkers.close();
    await Promise.allSettled([crawlQueue.close(), alertQueue.close()]);
    redis.disconnect();
  };
  try {
    const first = await syncCrawlSchedulers(crawlQueue, sources, { tz: options.tz, logger });
    void worker.run().catch((err: unknown) => logger.error({ err: safeErrorMessage(err) }, 'crawl worker stopped'));
    await worker.waitUntilReady();
    logger.info({ mode: 'bullmq', alerts: alertMode, queue: crawlQueue.name, scheduled: first.upserted.length + first.unchanged.length, removed: first.removed.length, invalid: first.invalid.length }, 'crawl worker started');
  } catch (err) {
    await stopAll();
    throw err;
  }

  let reloading: Promise<SyncResult> = Promise.resolve({ upserted: [], unchanged: [], removed: [], invalid: [] });
  return {
    mode: 'bullmq',
    alertMode,
    crawlQueue,
    alertQueue,
    worker,
    ...(alertWorkers ? { alertWorkers } : {}),
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
