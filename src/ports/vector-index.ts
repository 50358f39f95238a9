import type { EmbeddingModel } from './embedder';

/** What a vector stands for: a table, a dashboard, or one column of a table. */
export type VectorKind = 'table' | 'dashboard' | 'column';

/** A thing to be embedded, named: a column's key is `{tableKey}/{column}` and its `parent` the table's key. */
export interface VectorSubject {
  key: string;
  kind: VectorKind;
  /** The table a column belongs to. */
  parent?: string;
}

/**
 * A subject as `pending` lists it, with the mark it was listed under: an opaque token that changes each time the
 * subject is marked again. Clearing a pending mark with it clears only that mark, so text that changed while its old
 * text was being embedded is embedded again.
 */
export interface PendingSubject extends VectorSubject {
  mark: string;
}

/** A subject's vector, with a digest of the text it was made from (to know when the text changed). */
export interface VectorRecord extends VectorSubject {
  textHash: string;
  /** Unit length, `model.dimensions` long. */
  vector: Float32Array;
  /**
   * The pending mark this vector answers (`PendingSubject.mark`). If the subject was marked again since, the vector
   * is stored and the subject stays pending. Without a mark, the subject's pending mark is cleared whatever it is.
   */
  mark?: string;
}

/** What an index holds of a subject: the digest of its vector's text (none without a vector), and whether it is pending. */
export interface StoredState {
  textHash?: string;
  pending: boolean;
}

export interface NearestQuery {
  /** Unit length, from the same model as the index. */
  vector: Float32Array;
  limit: number;
  kinds: VectorKind[];
  /** Only columns of this table. */
  parent?: string;
  /** Only columns of these tables (with `parent`, of all of them). */
  parents?: readonly string[];
  /**
   * At most one hit per table: each table's most similar column, so `limit` counts tables, not columns (hits with
   * no parent are not affected). "How close does any column of each candidate come" in one request.
   */
  onePerParent?: boolean;
}

export interface VectorHit {
  key: string;
  kind: VectorKind;
  /** Cosine similarity, -1..1. */
  similarity: number;
  /** A column's table. */
  parent?: string;
}

/**
 * Vectors of catalog text, for retrieval by meaning; the other half of hybrid search beside `SearchIndex`.
 *
 * Contract (`test/contract/vector-index.contract.ts`, run against every adapter):
 * - an index holds vectors of one model: `useModel` with a different name or dimension drops every vector (and
 *   marks every subject pending), so vector spaces never mix;
 * - `markPending` says a subject's text may have changed: it stays findable by its old vector until `upsert` gives
 *   it a new one, and is listed by `pending` until then; `upsert` clears it;
 * - each `markPending` gives a subject a new mark, pending or not; `upsert` and `settle` with a mark that is no
 *   longer the subject's clear nothing (the vector is still stored), so the newest text always gets embedded;
 * - `remove` forgets subjects, and the columns of a removed table with them;
 * - `nearest` of columns names each column's table as its `parent`, and `parent`/`parents` keep only those tables';
 * - `nearest` answers the most similar vectors of the asked kinds, best first (approximate nearest neighbours are
 *   allowed: an adapter may miss a few of the true top ones, never invent similarity);
 * - `nearest` with `onePerParent` answers each table's best column alone, and `limit` tables of them;
 * - writes are visible to the next read once their promise resolves.
 */
export interface VectorIndex {
  /** Creates what is missing; idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** The model the stored vectors come from, undefined while the index is empty of vectors. */
  model(): Promise<EmbeddingModel | undefined>;
  /** Declares the model of the vectors to come; a different one than stored drops them all. Returns whether it did. */
  useModel(model: EmbeddingModel): Promise<{ reset: boolean }>;
  /** Marks subjects for (re-)embedding, each with a new mark (also those already pending). */
  markPending(subjects: VectorSubject[]): Promise<void>;
  /** Up to `limit` pending subjects with their marks, tables and dashboards before columns. */
  pending(limit: number): Promise<PendingSubject[]>;
  /** How many subjects are pending. */
  pendingCount(): Promise<number>;
  /** What is stored of these subjects (unknown ones left out). */
  states(keys: string[]): Promise<Map<string, StoredState>>;
  /** Stores vectors (replacing by key) and clears their subjects' pending marks (with `mark`, only that mark). */
  upsert(records: VectorRecord[]): Promise<void>;
  /** Clears pending marks without new vectors, each only if it is still the subject's: the text did not change. */
  settle(subjects: PendingSubject[]): Promise<void>;
  /** Forgets subjects, and the columns of tables among them. */
  remove(keys: string[]): Promise<void>;
  /** The column subjects (pending or embedded) of each of these tables. */
  columnKeys(tables: string[]): Promise<Map<string, string[]>>;
  nearest(query: NearestQuery): Promise<VectorHit[]>;
  /** Up to `n` stored vectors of a kind, the same ones each time while the index does not change: a background sample. */
  sample(kind: VectorKind, n: number): Promise<Float32Array[]>;
  /** How many vectors are stored, by kind. */
  count(): Promise<Record<VectorKind, number>>;
}
