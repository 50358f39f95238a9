import type { ConnectorState } from '../domain/crawl';

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
  /** The crawler's memory of a source, or undefined before its first crawl. */
  getState(source: string): Promise<SourceCrawlState | undefined>;
  /** Replaces the crawler's memory of a source. */
  putState(source: string, state: SourceCrawlState): Promise<void>;
  /** The fingerprints of a source's tables as last published, by table key. */
  getFingerprints(source: string): Promise<Map<string, string>>;
  /** Sets (a string) or deletes (null) fingerprints, leaving the others. */
  putFingerprints(source: string, entries: Array<[key: string, fingerprint: string | null]>): Promise<void>;
}
