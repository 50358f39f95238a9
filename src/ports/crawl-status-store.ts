import type { CrawlCounts, CrawlReport } from '../domain/crawl';
import type { IsoTime } from '../domain/model';

/** How a source's last crawl went, or that one is running. */
export type CrawlOutcome = 'running' | 'ok' | 'refused' | 'failed';

/** What `nansen sources` shows about one source. */
export interface CrawlStatus {
  /** The source id from `sources.yml`. */
  source: string;
  outcome: CrawlOutcome;
  crawlId: string;
  lastStartedAt: IsoTime;
  /** When the last crawl ended, whatever its outcome. */
  lastFinishedAt?: IsoTime;
  lastSuccessAt?: IsoTime;
  durationMs?: number;
  counts?: CrawlCounts;
  /** The last failure or refusal, kept after later successes (with its time); never holds a password. */
  lastError?: { at: IsoTime; code: string; message: string; retryable: boolean };
}

/**
 * Where crawls report how they went: last crawl time, duration, counts and last error per source.
 *
 * Contract: writes are durable once they resolve; `recordFinish`/`recordFailure` of a crawl id other than the
 * last started one still update the status (the last word wins); `list` returns sources by id.
 */
export interface CrawlStatusStore {
  /** A crawl of the source started: it is `running` until it finishes or fails. */
  recordStart(source: string, crawlId: string, at: IsoTime): Promise<void>;
  /** A crawl finished (or was refused): its counts and duration. */
  recordFinish(source: string, report: CrawlReport, durationMs: number): Promise<void>;
  /** A crawl failed: the error (never holding a password), kept after later successes. */
  recordFailure(source: string, crawlId: string, at: IsoTime, error: { code: string; message: string; retryable: boolean }, durationMs: number): Promise<void>;
  /** How the source's crawls went, or undefined when it was never crawled. */
  getStatus(source: string): Promise<CrawlStatus | undefined>;
  /** Every source's status, by source id. */
  listStatus(): Promise<CrawlStatus[]>;
}
