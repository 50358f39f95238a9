import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { DeliverDeps } from '../deliver';
import { type ChannelRateLimiter } from '../../ports/channel-rate-limiter';
import type { PlanDeps } from '../plan';
import type { SlackPoster } from '../../ports/slack-poster';
import type { AlertStore } from '../../ports/alert-store';
import type { Logger } from '../../log/logger';
import type { GraphStore } from '../../ports/graph-store';
import { safeErrorMessage } from '../../../workers/errors';
import { returnJobUnlessTaking, type TakingJobs } from '../../../workers/taking-jobs';
import { ALERT_QUEUE, createAlertQueue, type AlertJobData, type AlertQueue } from './queues';
import { QUEUE_PREFIX } from '../../../workers/queues';
import { createAlertPlanProcessor, createDeliveryProcessor, type AlertPlanResult, type DeliveryJobResult } from './processors';
import { ALERT_DELIVERY_QUEUE, createAlertDeliveryQueue, queueSink, scheduleDailyDigest, type AlertDeliveryJobData, type AlertDeliveryQueue } from './queues';

export interface AlertWorkersOptions {
  connection: ConnectionOptions;
  store: AlertStore;
  graph: GraphStore;
  slack: SlackPoster;
  logger: Logger;
  /** Time zone of the digest schedule and dates (`NANSEN_TIMEZONE`). */
  timeZone: string;
  /** Cron of the daily digest (default `0 9 * * *`); `false` leaves the schedule alone. */
  digestCron?: string | false;
  /** Messages in flight at once (default 32); the per-channel limit holds whatever this is. */
  concurrency?: number;
  ownerDms?: boolean;
  /** Subscriptions kept outside the alert store (people's own table subscriptions). */
  extraSubscribers?: PlanDeps['extraSubscribers'];
  uncertainPolicy?: DeliverDeps['uncertainPolicy'];
  leaseMs?: number;
  /** `NANSEN_LANGUAGE`: the language of alerts whose subscriptions have none. */
  defaultLanguage?: DeliverDeps['defaultLanguage'];
  /** The language of an owner's direct message (their Slack locale, else their last question's). */
  recipientLanguage?: DeliverDeps['recipientLanguage'];
  /** Tests: key prefix and queue names of their own, shorter lock periods. */
  queue?: { prefix?: string; alertQueueName?: string; deliveryQueueName?: string };
  timing?: { lockDurationMs?: number; stalledIntervalMs?: number };
  /** Spaces messages to each channel; shared by every worker process (Redis) or this one's (memory). */
  limiter: ChannelRateLimiter;
  /**
   * False while this replica takes no jobs (Redis lost: see `startRedisGuard`); a plan or delivery job that still
   * reaches a worker then goes back to its queue untried, as the crawl worker's do.
   */
  takingJobs?: TakingJobs;
}

export interface AlertWorkers {
  alertQueue: AlertQueue;
  deliveryQueue: AlertDeliveryQueue;
  planWorker: Worker<AlertJobData, AlertPlanResult, string>;
  deliveryWorker: Worker<AlertDeliveryJobData, DeliveryJobResult, string>;
  /** Stops taking jobs, lets messages in flight finish, closes connections. */
  close(): Promise<void>;
}

/**
 * Starts the alert workers on Redis: one consumes the alert queue (a job per crawl) and plans deliveries, the
 * other sends them (a job per message), plus the daily digest's job scheduler. A worker that dies mid-delivery
 * leaves its job locked; BullMQ hands it out again once the lock expires (`maxStalledCount` is generous so a
 * crash loop does not fail alerts), and the delivery ledger stops the second try from posting twice.
 */
export async function startAlertWorkers(options: AlertWorkersOptions): Promise<AlertWorkers> {
  const { logger } = options;
  const prefix = options.queue?.prefix ?? QUEUE_PREFIX;
  const alertQueue = createAlertQueue({ connection: options.connection, prefix, name: options.queue?.alertQueueName });
  const deliveryQueue = createAlertDeliveryQueue({ connection: options.connection, prefix, name: options.queue?.deliveryQueueName });
  const { limiter } = options;
  const sink = queueSink(deliveryQueue);

  const plan = createAlertPlanProcessor({ store: options.store, graph: options.graph, sink, logger, ownerDms: options.ownerDms, extraSubscribers: options.extraSubscribers });
  const deliver = createDeliveryProcessor({
    store: options.store,
    graph: options.graph,
    slack: options.slack,
    limiter,
    logger,
    sink,
    timeZone: options.timeZone,
    uncertainPolicy: options.uncertainPolicy,
    leaseMs: options.leaseMs,
    defaultLanguage: options.defaultLanguage,
    recipientLanguage: options.recipientLanguage,
  });
  const common = {
    connection: options.connection,
    prefix,
    lockDuration: options.timing?.lockDurationMs ?? 30_000,
    stalledInterval: options.timing?.stalledIntervalMs ?? 30_000,
    maxStalledCount: 5,
  };
  const unlessPaused = async (job: Job, token: string | undefined, queue: string): Promise<void> =>
    returnJobUnlessTaking(job, token, options.takingJobs, () => logger.info({ queue, jobId: job.id, name: job.name }, 'alert job returned to the queue: not taking jobs while Redis is lost'));
  const planQueueName = options.queue?.alertQueueName ?? ALERT_QUEUE;
  const deliveryQueueName = options.queue?.deliveryQueueName ?? ALERT_DELIVERY_QUEUE;
  const planWorker = new Worker<AlertJobData, AlertPlanResult, string>(
    planQueueName,
    async (job: Job<AlertJobData, AlertPlanResult, string>, token?: string) => {
      await unlessPaused(job, token, planQueueName);
      return plan(job);
    },
    { ...common, concurrency: 4 },
  );
  const deliveryWorker = new Worker<AlertDeliveryJobData, DeliveryJobResult, string>(
    deliveryQueueName,
    async (job: Job<AlertDeliveryJobData, DeliveryJobResult, string>, token?: string) => {
      await unlessPaused(job, token, deliveryQueueName);
      return deliver(job, token);
    },
    { ...common, concurrency: options.concurrency ?? 32 },
  );
  for (const w of [planWorker, deliveryWorker] as Worker[]) {
    w.on('error', (err) => logger.warn({ worker: w.name, err: safeErrorMessage(err) }, 'alert worker error'));
    w.on('stalled', (jobId) => logger.warn({ worker: w.name, jobId }, 'alert job stalled: handed out again'));
    w.on('failed', (job, err) => {
      if (!job || err instanceof DelayedError || err.name === 'DelayedError') return;
      if (job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError') logger.error({ worker: w.name, jobId: job.id, err: safeErrorMessage(err) }, 'alert job failed for good');
    });
  }
  for (const q of [alertQueue, deliveryQueue] as Array<{ on(e: 'error', f: (err: Error) => void): unknown; name: string }>) q.on('error', (err) => logger.warn({ queue: q.name, err: safeErrorMessage(err) }, 'alert queue error'));

  const close = async (): Promise<void> => {
    await Promise.allSettled([planWorker.close(), deliveryWorker.close()]);
    await Promise.allSettled([alertQueue.close(), deliveryQueue.close()]);
  };
  try {
    if (options.digestCron !== false) await scheduleDailyDigest(deliveryQueue, { pattern: options.digestCron, tz: options.timeZone });
    await Promise.all([planWorker.waitUntilReady(), deliveryWorker.waitUntilReady()]);
  } catch (err) {
    await close();
    throw err;
  }
  logger.info({ alertQueue: alertQueue.name, deliveryQueue: deliveryQueue.name }, 'alert workers started');
  return { alertQueue, deliveryQueue, planWorker, deliveryWorker, close };
}
