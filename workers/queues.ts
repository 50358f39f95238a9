import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { IsoTime } from '../src/domain/model';

/** Name of the queue that runs crawls of sources. */
export const CRAWL_QUEUE = 'nansen-crawl';
/** Name of the queue that delivers schema-change alerts to Slack channels. */
export const ALERT_QUEUE = 'nansen-alerts';
/** Key prefix of every Nansen queue in Redis (BullMQ's default is `bull`). */
export const QUEUE_PREFIX = 'nansen';

/** Job names on the crawl queue. */
export const CRAWL_JOB = 'crawl';

/** Why a crawl runs: its source's schedule, or a person or tool asked for it. */
export type CrawlTrigger = 'schedule' | 'manual';

/**
 * Payload of a crawl job. It names the source instead of carrying its configuration: the job reads
 * `sources.yml` as it is when it runs, so a job queued before an edit crawls the edited source, and a job
 * whose source was removed fails without retries.
 */
export interface CrawlJobData {
  /** Id of the source in `sources.yml`. */
  sourceId: string;
  trigger: CrawlTrigger;
  /** Compute and report the diff, write nothing. */
  dryRun?: boolean;
  /** Remove more than 5% of the source's tables if that is what the source says. */
  force?: boolean;
  /** Who asked for a manual crawl (a Slack user id, `cli`), for the logs. */
  requestedBy?: string;
}

/** What a crawl job reports through `job.updateProgress` while it runs: the pipeline's own progress. */
export interface CrawlJobProgress {
  /** Extracting tables from the source, then publishing records to the stores. */
  phase: 'extract' | 'publish';
  /** Tables extracted, or records published, so far. */
  done: number;
  /** How many there are, once the source said. */
  total?: number;
}

/**
 * What a crawl job returns. Kept small because BullMQ stores it with the job: the full report (table keys,
 * changes) goes to the graph and the crawl status store.
 */
export type CrawlJobResult =
  | {
      status: 'crawled';
      source: string;
      crawlId: string;
      dryRun: boolean;
      tables: number;
      added: number;
      changed: number;
      removed: number;
      unchanged: number;
      /** Schema changes observed (and, unless a dry run, recorded). */
      changes: number;
      durationMs: number;
    }
  | {
      /** The crawl wrote nothing because it would have removed too much of the source. */
      status: 'refused';
      source: string;
      crawlId: string;
      removals: number;
      total: number;
      threshold: number;
    }
  | {
      /**
       * A scheduled tick that did nothing: another crawl of the same source was running, or the source was
       * removed from the sources file after the tick was queued.
       */
      status: 'skipped';
      source: string;
      reason: 'already_running' | 'source_removed';
    };

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

/** Id of the job scheduler that crawls one source on its schedule. */
export function crawlSchedulerId(sourceId: string): string {
  return `crawl.${sourceId}`;
}

/** The source a crawl scheduler id belongs to, or undefined for any other scheduler. */
export function sourceOfSchedulerId(schedulerId: string): string | undefined {
  return schedulerId.startsWith('crawl.') ? schedulerId.slice('crawl.'.length) : undefined;
}

/** Deduplication id of manual crawls: one pending manual crawl per source. */
export function crawlDeduplicationId(sourceId: string): string {
  return `crawl.${sourceId}`;
}

/** BullMQ custom ids may not contain `:` and may not look like integers. */
function safeIdPart(s: string): string {
  return s.replace(/:/g, '_');
}

/** Retry settings of crawl jobs. */
export interface CrawlRetryOptions {
  /** Tries in all, the first included (default 5). */
  attempts?: number;
  /** First backoff delay; each retry waits twice as long as the one before (default 30 s). */
  backoffMs?: number;
}

/** Options every crawl job gets: retries with exponential backoff, bounded history. */
export function crawlJobOptions(retry: CrawlRetryOptions = {}): JobsOptions {
  return {
    attempts: retry.attempts ?? 5,
    backoff: { type: 'exponential', delay: retry.backoffMs ?? 30_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 1000 },
  };
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

/** Where queues live: the Redis connection and, for tests, a queue name and key prefix of their own. */
export interface QueueLocation {
  connection: ConnectionOptions;
  /** Key prefix (default `nansen`); tests pass a unique one. */
  prefix?: string;
  /** Overrides the queue's name; tests pass a unique one. */
  name?: string;
}

export type CrawlQueue = Queue<CrawlJobData, CrawlJobResult, string>;
export type AlertQueue = Queue<AlertJobData, void, string>;

export function createCrawlQueue(location: QueueLocation, retry?: CrawlRetryOptions): CrawlQueue {
  return new Queue<CrawlJobData, CrawlJobResult, string>(location.name ?? CRAWL_QUEUE, {
    connection: location.connection,
    prefix: location.prefix ?? QUEUE_PREFIX,
    defaultJobOptions: crawlJobOptions(retry),
  });
}

export function createAlertQueue(location: QueueLocation): AlertQueue {
  return new Queue<AlertJobData, void, string>(location.name ?? ALERT_QUEUE, {
    connection: location.connection,
    prefix: location.prefix ?? QUEUE_PREFIX,
    defaultJobOptions: alertJobOptions(),
  });
}

/**
 * Queues a manual crawl of a source. While a manual crawl of that source is waiting or running, another request
 * returns the job already queued instead of adding one (BullMQ deduplication on the source id).
 */
export async function enqueueCrawl(queue: CrawlQueue, data: Omit<CrawlJobData, 'trigger'>): Promise<{ jobId: string }> {
  const job = await queue.add(CRAWL_JOB, { ...data, trigger: 'manual' }, { deduplication: { id: crawlDeduplicationId(data.sourceId) } });
  return { jobId: job.id! };
}

/** Queues the alert job of one crawl, once however often it is called (stable job id). */
export async function enqueueAlert(queue: AlertQueue, data: AlertJobData): Promise<{ jobId: string }> {
  const jobId = alertJobId(data);
  await queue.add(ALERT_JOB.schemaChanges, data, { jobId });
  return { jobId };
}
