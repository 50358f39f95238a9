import type { IsoTime } from '../domain/model';
import type { ConnectorState, CrawlReport } from '../../ingest/source';

/** What the crawler keeps about one source between crawls. */
export interface SourceCrawlState {
  /**
   * Bumped by every crawl that wrote something. Schema-change ids include it, so a retried crawl (which sees the
   * same generation because the failed one never finished) repeats its ids, and a later crawl gets new ones.
   */
  generation: number;
  /** The connector's own memory (PostgreSQL's write counters per table, ...). */
  connector?: ConnectorState;
  /**
   * Keys a crawl was about to publish, saved before its first write and cleared when it finished. A crawl that
   * finds them first brings the search index up to the graph for them, so a publish that failed between the graph
   * and the index (the retry's diff sees those tables as unchanged) leaves nothing out of step.
   */
  pendingSearch?: { tables: string[]; dashboards: string[] };
}

/**
 * The crawler's memory between crawls, per source and graph (keyed `<scope>/<type>:<id>`, the scope naming the
 * graph the crawls publish to, so crawling one source into two backends keeps two memories).
 *
 * Fingerprints are digests of each table as last published (see `fingerprint` in diff.ts): a table whose
 * record has the fingerprint on file, and which the graph still lists for the source, is unchanged without
 * reading it back from the graph.
 *
 * Contract: writes are durable once they resolve; `putState` replaces the whole state; `putFingerprints` sets
 * (a string) or deletes (null) entries and leaves the others; unknown sources read as undefined / empty.
 */
export interface CrawlStateStore {
  getState(source: string): Promise<SourceCrawlState | undefined>;
  putState(source: string, state: SourceCrawlState): Promise<void>;
  getFingerprints(source: string): Promise<Map<string, string>>;
  putFingerprints(source: string, entries: Array<[key: string, fingerprint: string | null]>): Promise<void>;
}

export type CrawlOutcome = 'running' | 'ok' | 'refused' | 'failed';

/** The counts of a finished crawl. */
export interface CrawlCounts {
  tables: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  changes: number;
}

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

/** The counts of a crawl report. */
export function reportCounts(report: CrawlReport): CrawlCounts {
  return {
    tables: report.tables,
    added: report.added.length,
    changed: report.changed.length,
    removed: report.removed.length,
    unchanged: report.unchanged,
    changes: report.changes.length,
  };
}
