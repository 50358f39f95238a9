import type { IsoTime } from '../domain/model';

export type SearchKind = 'table' | 'dashboard';

/** The text fields of a search document. Each holds terms already analysed by `src/text/analyze.ts`, space-separated. */
export interface SearchFields {
  /** The table or dashboard name. */
  name: string;
  /** Column names and column descriptions. */
  columns: string;
  /** Effective description (human over source). */
  description: string;
  tags: string;
  /** Database, cluster and schema. */
  path: string;
}

/** What the search index holds for one table or dashboard: pre-analysed text plus the ranking priors. */
export interface SearchDocument {
  key: string;
  kind: SearchKind;
  fields: SearchFields;
  /** Total reads (frequent users); a tie-breaker, never a reason to match. */
  popularity: number;
  badges: string[];
  deprecated: boolean;
  lastUpdatedAt?: IsoTime;
  /** Typical interval between loads in hours, when known; with `lastUpdatedAt` it tells staleness. */
  cadenceHours?: number;
}

/** One weighted term of a query; the term must be analysed like the documents are. */
export interface QueryClause {
  term: string;
  /** Multiplies the term's score; 1 for a term the person typed, less for a synonym. */
  boost: number;
}

export interface SearchQuery {
  clauses: QueryClause[];
  limit: number;
  /** Restrict to these kinds (default: both). */
  kinds?: SearchKind[];
  /** The present moment for freshness (default: now). */
  now?: IsoTime;
}

export interface SearchHit {
  key: string;
  kind: SearchKind;
  /** Final score: text relevance adjusted by the priors; higher is better. */
  score: number;
  /** Text relevance alone (BM25F summed over clauses). */
  textScore: number;
}

/** Field weights of BM25F: the same in every adapter, so both engines rank alike. */
export const FIELD_WEIGHTS: Readonly<Record<keyof SearchFields, number>> = {
  name: 6,
  tags: 3,
  columns: 2,
  description: 2,
  path: 1,
};

/**
 * Ranked retrieval over tables and dashboards.
 *
 * Contract (checked by `test/contract/search-index.contract.ts` against every adapter):
 * - a document matches when any clause's term occurs in any field; its text score is the sum over clauses of
 *   `boost × BM25F(term)` with `FIELD_WEIGHTS` (small differences between engines are allowed);
 * - the final score applies `applyRankingPriors` (popularity as a tie-breaker, certified up, deprecated
 *   down, stale down), so every adapter orders hits the same way given the same text scores;
 * - `upsert` replaces documents by key and is visible to the next `search` once its promise resolves;
 * - `reindex` replaces the whole index atomically: searches see the old contents until the new are complete;
 * - terms are values, never query syntax.
 */
export interface SearchIndex {
  /** Creates the index (or alias) if missing; idempotent. */
  init(): Promise<void>;
  /** Closes the client or file. */
  close(): Promise<void>;
  /** Adds or replaces documents by key. */
  upsert(docs: SearchDocument[]): Promise<void>;
  /** Removes documents; unknown keys are ignored. */
  remove(keys: string[]): Promise<void>;
  /** Builds a fresh index from these documents and swaps it in atomically. */
  reindex(docs: AsyncIterable<SearchDocument[]>): Promise<void>;
  /** The best hits, best first, at most `query.limit`. */
  search(query: SearchQuery): Promise<SearchHit[]>;
  /** Every indexed term with the number of documents holding it: the vocabulary for typo correction. */
  vocabulary(): Promise<Map<string, number>>;
  /** How many documents the index holds. */
  count(): Promise<number>;
  /**
   * Optional: the text-analysis revision (`ANALYSIS_REVISION`) its documents were analysed under; 0 for an index
   * written before revisions were recorded. A new, empty index and every `reindex` record the current one.
   */
  analysisRevision?(): Promise<number>;
  /**
   * Optional: a writer for one large load (a first crawl), faster because its writes are not made visible one by
   * one. Searches meanwhile see what was visible before; everything it wrote is visible once `finish` resolves.
   * Only the writer is deferred: `upsert` and `remove` of the index itself keep the contract above. An index left
   * in bulk mode by a process that stopped before `finish` is made normal (and visible) again by the next `init`.
   */
  bulkWriter?(): Promise<SearchBulkWriter>;
}

/** What `SearchIndex.bulkWriter` gives: `upsert` and `remove` as the index's own, visible once `finish` resolves. */
export interface SearchBulkWriter {
  upsert(docs: SearchDocument[]): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Makes everything written visible and the index normal again; call it once, also after a failed write. */
  finish(): Promise<void>;
}
