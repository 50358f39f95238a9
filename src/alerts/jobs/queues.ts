import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { AlertDelivery, DeliverySink } from '../plan';
import { QUEUE_PREFIX } from '../../../workers/queues';

/**
 * Name of the queue of single alert messages. The alert queue (`ALERT_QUEUE`, one job per crawl) is planned
 * into one job here per recipient, so each message is retried, rate-limited and deferred on its own.
 */
export const ALERT_DELIVERY_QUEUE = 'nansen-alert-delivery';

export const DELIVERY_JOB = { deliver: 'deliver', digest: 'digest' } as const;

/** Id of the job scheduler that sends the daily digests. */
export const DIGEST_SCHEDULER_ID = 'alerts.daily-digest';

/** Payload of a delivery-queue job: one message to send, or the daily digest tick. */
export type AlertDeliveryJobData = { kind: 'deliver'; delivery: AlertDelivery } | { kind: 'digest' };

export type AlertDeliveryQueue = Queue<AlertDeliveryJobData, unknown, string>;

/** Stable job id of a delivery: adding the same delivery twice (a re-run plan) adds it once. */
export function deliveryJobId(key: string): string {
  return `dlv.${key.replace(/:/g, '_')}`;
}

/**
 * Options of delivery jobs: retries with exponential backoff for transient Slack or network failures (Slack's
 * 429s and the channel's own rate limit defer a job without spending a try), bounded history.
 */
export function deliveryJobOptions(): JobsOptions {
  return {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
  };
}

export interface DeliveryQueueLocation {
  connection: ConnectionOptions;
  prefix?: string;
  name?: string;
}

export function createAlertDeliveryQueue(location: DeliveryQueueLocation): AlertDeliveryQueue {
  return new Queue<AlertDeliveryJobData, unknown, string>(location.name ?? ALERT_DELIVERY_QUEUE, {
    connection: location.connection,
    prefix: location.prefix ?? QUEUE_PREFIX,
    defaultJobOptions: deliveryJobOptions(),
  });
}

/** A `DeliverySink` that adds each delivery to the queue under its stable id. */
export function queueSink(queue: AlertDeliveryQueue): DeliverySink {
  return {
    async enqueue(deliveries) {
      if (!deliveries.length) return;
      await queue.addBulk(deliveries.map((delivery) => ({ name: DELIVERY_JOB.deliver, data: { kind: 'deliver' as const, delivery }, opts: { jobId: deliveryJobId(delivery.key) } })));
    },
  };
}

/** Makes the daily digest's job scheduler fire at `pattern` (cron, default 09:00) in `tz`. */
export async function scheduleDailyDigest(queue: AlertDeliveryQueue, options: { pattern?: string; tz?: string } = {}): Promise<void> {
  await queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: options.pattern ?? '0 9 * * *', ...(options.tz ? { tz: options.tz } : {}) }, { name: DELIVERY_JOB.digest, data: { kind: 'digest' } });
}
