import { Queue, type JobsOptions } from 'bullmq';
import type { AlertDelivery, DeliverySink } from '../plan';
import type { IsoTime } from '../../domain/model';
import { QUEUE_PREFIX, safeIdPart, type QueueLocation } from '../../../workers/queues';

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

export function createAlertDeliveryQueue(location: QueueLocation): AlertDeliveryQueue {
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

/** Name of the queue that delivers schema-change alerts to Slack channels. */
export const ALERT_QUEUE = 'nansen-alerts';

/**
 * Payload of an alert job: deliver the schema changes one crawl observed to the channels that subscribe to
 * them. The job carries ids, not message text; the processor reads the changes from the graph, finds the
 * subscribed channels and renders one message per channel.
 *
 * Delivery is at-least-once, so the processor keys each channel's message on (`crawlId`, channel) and sends it
 * at most once even when the job is retried.
 */
export interface SchemaChangeAlertJobData {
  kind: 'schema_changes';
  /** Source id of the crawl. */
  source: string;
  /** The crawl that observed the changes (`CrawlReport.crawlId`). */
  crawlId: string;
  /** Ids of the `SchemaChange`s, as recorded with `GraphStore.recordSchemaChanges`. */
  changeIds: string[];
  /** When the crawl finished. */
  observedAt: IsoTime;
}

/** Every payload of the alert queue; grows a member per kind of alert. */
export type AlertJobData = SchemaChangeAlertJobData;

/** Job names on the alert queue. */
export const ALERT_JOB = { schemaChanges: 'schema-changes' } as const;

/** Stable id of the alert job of one crawl: adding it twice (a retried crawl) adds it once. */
export function alertJobId(data: AlertJobData): string {
  return `schema-changes.${safeIdPart(data.source)}.${safeIdPart(data.crawlId)}`;
}

/** Options every alert job gets: more, shorter retries (Slack hiccups are brief). */
export function alertJobOptions(): JobsOptions {
  return {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
  };
}

export type AlertQueue = Queue<AlertJobData, void, string>;

export function createAlertQueue(location: QueueLocation): AlertQueue {
  return new Queue<AlertJobData, void, string>(location.name ?? ALERT_QUEUE, {
    connection: location.connection,
    prefix: location.prefix ?? QUEUE_PREFIX,
    defaultJobOptions: alertJobOptions(),
  });
}

/** Queues the alert job of one crawl, once however often it is called (stable job id). */
export async function enqueueAlert(queue: AlertQueue, data: AlertJobData): Promise<{ jobId: string }> {
  const jobId = alertJobId(data);
  await queue.add(ALERT_JOB.schemaChanges, data, { jobId });
  return { jobId };
}
