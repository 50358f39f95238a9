import { createCrawlAlerter } from '../src/alerts/jobs/crawl-alerts';
import { createAlertQueue, DIGEST_SCHEDULER_ID } from '../src/alerts/jobs/queues';
import { startAlertWorkers, type AlertWorkers } from '../src/alerts/jobs/worker';
import { closeCrawlWorker, createCrawlWorker } from './bullmq-runner';
import { safeErrorMessage } from './errors';
import { createCrawlProcessor } from './processors/crawl';
import { createCrawlQueue, enqueueCrawl, QUEUE_PREFIX } from './queues';
import { syncCrawlSchedulers, type SyncResult } from './schedules';
import { alertDeliverySettings, logOnlyAlerter, workerBasics, type WorkerApp, type WorkerAppOptions, type WorkerParts } from './worker-app';

/**
 * The worker on Redis: a BullMQ crawl worker plus one job scheduler per scheduled source, and the alert workers
 * (plan and delivery queues) when there is a Slack poster. Any number of these processes share the queues, and the
 * locks and rate limits they are given live in Redis too.
 */
export async function startBullmqWorkerApp(options: WorkerAppOptions, parts: WorkerParts & { redisUrl: string }): Promise<WorkerApp> {
  const { logger, alerts } = options;
  const { sources, graceMs, alertMode } = await workerBasics(options);
  const getSource = sources.get;

  const prefix = options.queue?.prefix ?? QUEUE_PREFIX;
  const connection = { url: parts.redisUrl };
  let alertWorkers: AlertWorkers | undefined;
  if (alerts?.slack) {
    alertWorkers = await startAlertWorkers({
      connection,
      ...alertDeliverySettings({ ...alerts, slack: alerts.slack }, logger, parts.limiter),
      queue: { prefix, alertQueueName: options.queue?.alertQueueName, deliveryQueueName: options.queue?.deliveryQueueName },
      timing: options.timing,
      takingJobs: options.takingJobs,
    });
    try {
      // `off` now: a schedule left by an earlier start would go on firing.
      if (alerts.digestCron === false) await alertWorkers.deliveryQueue.removeJobScheduler(DIGEST_SCHEDULER_ID);
    } catch (err) {
      await alertWorkers.close();
      throw err;
    }
  }
  const crawlQueue = createCrawlQueue({ connection, prefix, name: options.queue?.crawlQueueName }, options.retry);
  // With alert workers, their queue; else one for producers only (log-only mode does not queue).
  const alertQueue = alertWorkers?.alertQueue ?? createAlertQueue({ connection, prefix, name: options.queue?.alertQueueName });
  for (const q of alertWorkers ? [crawlQueue] : [crawlQueue, alertQueue]) q.on('error', (err) => logger.warn({ queue: q.name, err: safeErrorMessage(err) }, 'queue error'));
  const afterCrawl = alertWorkers && alerts ? createCrawlAlerter({ kind: 'queue', queue: alertQueue }, { graph: alerts.graph, logger, ledger: alerts.store }) : alerts && logOnlyAlerter(alerts, logger);
  const processor = createCrawlProcessor({ crawl: options.crawl, getSource, locks: parts.locks, recordFailure: options.recordFailure, logger, afterCrawl });
  const worker = createCrawlWorker({
    location: { connection, prefix, name: options.queue?.crawlQueueName },
    processor,
    logger,
    concurrency: options.concurrency,
    busyRetryMs: options.timing?.busyRetryMs,
    lockDurationMs: options.timing?.lockDurationMs,
    stalledIntervalMs: options.timing?.stalledIntervalMs,
    takingJobs: options.takingJobs,
  });
  const stopAll = async (): Promise<void> => {
    await closeCrawlWorker(worker, { graceMs, logger });
    // After the crawls, which queue their alerts as they finish; lets messages in flight finish.
    if (alertWorkers) await alertWorkers.close();
    await Promise.allSettled([crawlQueue.close(), alertQueue.close()]);
  };
  try {
    const first = await syncCrawlSchedulers(crawlQueue, sources.list(), { tz: options.tz, logger });
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
          return syncCrawlSchedulers(crawlQueue, await sources.reload(), { tz: options.tz, logger });
        });
      return reloading;
    },
    async requestCrawl(data) {
      await enqueueCrawl(crawlQueue, data);
    },
    stop: stopAll,
  };
}
