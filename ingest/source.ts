import type { ConnectorState } from '../src/domain/crawl';
import type { DashboardRecord, IsoTime, TableRecord, User } from '../src/domain/model';

/** Kinds of source the crawler knows. */
export type SourceType = 'postgres' | 'mysql' | 'hive-metastore' | 'dbt' | 'catalog' | 'kafka';

/**
 * One source as declared in `sources.yml`. Connection secrets never live in the file: `urlEnv` names the
 * environment variable that holds the URL (with its password).
 */
export interface SourceConfig {
  /** Stable id, unique in the file (`warehouse`, `game-hive`); tables carry `source: "<type>:<id>"`. */
  id: string;
  type: SourceType;
  /**
   * Environment variable holding the connection URL (postgres, mysql, hive-metastore; for kafka
   * `kafka://[user:password@]host:port[,host:port][?sasl=plain|scram-sha-256|scram-sha-512&ssl=true]`) ...
   */
  urlEnv?: string;
  /** ... or a path (dbt target dir or manifest.json, catalog file). */
  path?: string;
  /**
   * kafka: where topics' value schemas are read (subject `<topic>-value`). `urlEnv` names the environment variable
   * holding the registry's Confluent-compatible API root, `http(s)://[user:password@]host[:port][/path]`.
   */
  schemaRegistry?: { urlEnv: string };
  /** The `{database}` and `{cluster}` parts of the keys this source's tables get. */
  database?: string;
  cluster?: string;
  /** Cron expression (`0 * * * *`) or interval in ms between crawls. */
  schedule?: string | number;
  /** Glob patterns over `schema.table` (`*` any run of characters, `?` one); default: everything. */
  include?: string[];
  /** Glob patterns over `schema.table`; an excluded table is never crawled, even when included. */
  exclude?: string[];
}

/** What a source's tables carry in their `source` field, and what `listTableKeys({ source })` filters on. */
export function sourceName(source: Pick<SourceConfig, 'type' | 'id'>): string {
  return `${source.type}:${source.id}`;
}

/**
 * What an extractor yields, in any order:
 * - `table`, `dashboard`, `user`: the records of the source;
 * - `load`: an observed load of a table, at a time (merged into its load history);
 * - `total`: how many tables the source will yield, once known (for progress);
 * - `count`: a named counter for the report (`skipped_queries`, ...), added up over the crawl;
 * - `state`: the connector's state after this extract, saved by the pipeline only after a successful publish
 *   and handed back to the next extract as `ExtractContext.state`.
 */
export type ExtractedItem =
  | { kind: 'table'; record: TableRecord }
  | { kind: 'dashboard'; record: DashboardRecord }
  | { kind: 'user'; user: User }
  | { kind: 'load'; tableKey: string; at: IsoTime }
  | { kind: 'total'; tables: number }
  | { kind: 'count'; name: string; n: number }
  | { kind: 'state'; state: ConnectorState };

/** What an extract gets from the pipeline. */
export interface ExtractContext {
  /** The crawl's present moment: the time loads observed by comparing counters are stamped with. */
  now: Date;
  /** The state the connector yielded in the last successful crawl, if any. */
  state?: ConnectorState;
  signal?: AbortSignal;
}

/**
 * A connector reads one source. Extractors are async generators so a crawl streams instead of loading
 * everything; they only read. Connection problems surface as `PermanentSourceError` (credentials, unknown
 * database, bad config: retrying will not help) or `TransientSourceError` (refused, timed out, dropped).
 */
export interface Connector {
  extract(context: ExtractContext): AsyncGenerator<ExtractedItem>;
  close(): Promise<void>;
}

/** Progress of a crawl: tables extracted, then records published. */
export interface CrawlProgress {
  phase: 'extract' | 'publish';
  done: number;
  /** Unknown until the source said how many tables it has. */
  total?: number;
}

/** Options of one crawl. */
export interface CrawlOptions {
  /** Compute the diff, write nothing. */
  dryRun?: boolean;
  /** Remove more than 5% of the source's tables if that is what the source says. */
  force?: boolean;
  onProgress?: (progress: CrawlProgress) => void;
  signal?: AbortSignal;
  /** Id of this crawl (default: a random UUID); a worker passes its job id. */
  crawlId?: string;
  /** Compare every table with the graph, ignoring the fingerprints of the last publish. */
  full?: boolean;
  /** Records per publish batch (default 500). */
  batchSize?: number;
  /**
   * Whether the pipeline logs and records its own failure (default true); false when the caller does (the worker,
   * which knows whether the job will be retried), so a failure is reported once.
   */
  reportFailure?: boolean;
}
