import type { DashboardRecord, IsoTime, SchemaChange, TableRecord } from '../src/domain/model';

/** Kinds of source the crawler knows. */
export type SourceType = 'postgres' | 'mysql' | 'hive-metastore' | 'dbt' | 'catalog';

/**
 * One source as declared in `sources.yml`. Connection secrets never live in the file: `connection.urlEnv`
 * names the environment variable that holds the URL (with its password).
 */
export interface SourceConfig {
  /** Stable id, unique in the file (`warehouse`, `game-hive`); tables carry `source: "<type>:<id>"`. */
  id: string;
  type: SourceType;
  /** Environment variable holding the connection URL (databases) ... */
  urlEnv?: string;
  /** ... or a path (dbt target dir, catalog file). */
  path?: string;
  /** The `{database}` and `{cluster}` parts of the keys this source's tables get. */
  database?: string;
  cluster?: string;
  /** Cron expression (`0 * * * *`) or interval in ms between crawls. */
  schedule?: string | number;
  /** Glob patterns over `schema.table`; a table is crawled when it matches an include (default `*.*`) and no exclude. */
  include?: string[];
  exclude?: string[];
}

/** What an extractor yields: records of one source, in any order. */
export type ExtractedItem = { kind: 'table'; record: TableRecord } | { kind: 'dashboard'; record: DashboardRecord } | { kind: 'load'; tableKey: string; at: IsoTime };

/** A connector reads one source. Extractors are async generators so a crawl streams instead of loading everything. */
export interface Connector {
  extract(signal?: AbortSignal): AsyncGenerator<ExtractedItem>;
  close(): Promise<void>;
}

/** Options of one crawl. */
export interface CrawlOptions {
  /** Print the diff, write nothing. */
  dryRun?: boolean;
  /** Remove more than 5% of the source's tables if that is what the source says. */
  force?: boolean;
  onProgress?: (done: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

/** What a crawl did (or, in a dry run, would do). */
export interface CrawlReport {
  source: string;
  crawlId: string;
  startedAt: IsoTime;
  finishedAt: IsoTime;
  dryRun: boolean;
  /** Tables seen in the source. */
  tables: number;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  changes: SchemaChange[];
  /** True when the crawl stopped before writing because it would remove too much. */
  refused?: { reason: 'too_many_removals'; removals: number; total: number; threshold: number };
}
