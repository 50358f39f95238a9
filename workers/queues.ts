import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { CrawlCounts } from '../src/domain/crawl';

/** Name of the queue that runs crawls of sources. */
export const CRAWL_QUEUE = 'nansen-crawl';
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
  | (CrawlCounts & {
      status: 'crawled';
      source: string;
      crawlId: string;
      dryRun: boolean;
      durationMs: number;
    })
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
export function safeIdPart(s: string): string {
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

/** Where queues live: the Redis connection and, for tests, a queue name and key prefix of their own. */
export interface QueueLocation {
  connection: ConnectionOptions;
  /** Key prefix (default `nansen`); tests pass a unique one. */
  prefix?: string;
  /** Overrides the queue's name; tests pass a unique one. */
  name?: string;
}

export type CrawlQueue = Queue<CrawlJobData, CrawlJobResult, string>;

export function createCrawlQueue(location: QueueLocation, retry?: CrawlRetryOptions): CrawlQueue {
  return new Queue<CrawlJobData, CrawlJobResult, string>(location.name ?? CRAWL_QUEUE, {
    connection: location.connection,
    prefix: location.prefix ?? QUEUE_PREFIX,
    defaultJobOptions: crawlJobOptions(retry),
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
