import type { IsoTime, SchemaChange } from './model';

/** JSON a connector keeps between crawls (PostgreSQL's write counters, ...). */
export type ConnectorState = { [key: string]: unknown };

/** Why a crawl stopped before writing. */
export interface CrawlRefusal {
  reason: 'too_many_removals';
  removals: number;
  total: number;
  /** The largest share of the source's tables a crawl may remove without `force` (0.05). */
  threshold: number;
}

/** What a crawl did (or, in a dry run or when refused, would do). */
export interface CrawlReport {
  /** The source's name, `<type>:<id>`. */
  source: string;
  crawlId: string;
  startedAt: IsoTime;
  finishedAt: IsoTime;
  dryRun: boolean;
  /** Tables seen in the source (after include/exclude). */
  tables: number;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** Tables whose only news is new load times. */
  loaded: string[];
  dashboards: { added: string[]; changed: string[]; removed: string[]; unchanged: number };
  changes: SchemaChange[];
  /** Named counters from the extract (`skipped_queries`, `skipped_tables`, ...). */
  counts: Record<string, number>;
  /** False when nothing was written (dry run, refusal, or nothing had changed). */
  wrote: boolean;
  /** Set when the crawl stopped before writing because it would remove too much. */
  refused?: CrawlRefusal;
}

/** The counts of a finished crawl. */
export interface CrawlCounts {
  tables: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Schema changes observed (and, unless a dry run, recorded). */
  changes: number;
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
