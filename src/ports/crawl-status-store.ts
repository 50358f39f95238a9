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
  recordStart(source: string, crawlId: string, at: IsoTime): Promise<void>;
  recordFinish(source: string, report: CrawlReport, durationMs: number): Promise<void>;
  recordFailure(source: string, crawlId: string, at: IsoTime, error: { code: string; message: string; retryable: boolean }, durationMs: number): Promise<void>;
  getStatus(source: string): Promise<CrawlStatus | undefined>;
  listStatus(): Promise<CrawlStatus[]>;
}
