import type Database from 'better-sqlite3';
import type { EmbeddingModel } from '../../ports/embedder';
import type { NearestQuery, PendingSubject, StoredState, VectorHit, VectorIndex, VectorKind, VectorRecord, VectorSubject } from '../../ports/vector-index';
import { SimdMatrix } from '../../search/simd-scan';
import { bestK, dotAt, kthLargest, sampleRank, vectorFromBytes, vectorToBytes } from '../../search/vectors';
import { openSqlite } from './sqlite';

export interface SqliteVectorIndexOptions {
  /** A file path, or `:memory:`. */
  path: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS vector_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
-- pending: 0, or the mark it was last marked with (from vector_meta's 'mark', which only grows)
CREATE TABLE IF NOT EXISTS vectors (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, parent TEXT, text_hash TEXT, vector BLOB,
  pending INTEGER NOT NULL DEFAULT 0, rank INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_pending ON vectors(pending, kind);
CREATE INDEX IF NOT EXISTS vectors_parent ON vectors(parent);
`;

const KINDS: VectorKind[] = ['table', 'dashboard', 'column'];

interface Row {
  key: string;
  kind: VectorKind;
  parent: string | null;
  vector: Buffer | null;
}

/** One kind's vectors laid end to end, for a scan that walks memory in order. */
interface Packed {
  keys: string[];
  /** A column's table, by position. */
  parents: Array<string | undefined>;
  dims: number;
  matrix: Float32Array;
  /** The same matrix, in WebAssembly memory for the SIMD scan, where that can serve it. */
  simd?: SimdMatrix;
  /** The vectors as they are kept, one array each, when they are scanned in place rather than from `matrix`. */
  rows?: Float32Array[];
}

const NO_MATRIX = new Float32Array(0);

/** What searches read: each kind's vectors, and each table's column vectors. */
class Loaded {
  readonly byKind = new Map<VectorKind, Map<string, Float32Array>>(KINDS.map((k) => [k, new Map()]));
  readonly columnsOf = new Map<string, Map<string, Float32Array>>();
  readonly parentOf = new Map<string, string>();
  private packed = new Map<VectorKind, Packed>();

  put(key: string, kind: VectorKind, parent: string | undefined, vector: Float32Array): void {
    this.byKind.get(kind)!.set(key, vector);
    this.packed.delete(kind);
    if (kind === 'column' && parent) {
      this.parentOf.set(key, parent);
      let cols = this.columnsOf.get(parent);
      if (!cols) this.columnsOf.set(parent, (cols = new Map()));
      cols.set(key, vector);
    }
  }

  drop(key: string, kind: VectorKind, parent: string | undefined): void {
    this.byKind.get(kind)!.delete(key);
    this.packed.delete(kind);
    if (parent) this.columnsOf.get(parent)?.delete(key);
    this.parentOf.delete(key);
  }

  /** A kind's vectors of `dims` dimensions, packed; built at the first search after a change. */
  packedOf(kind: VectorKind, dims: number): Packed {
    const cached = this.packed.get(kind);
    if (cached && cached.dims === dims) return cached;
    const keys: string[] = [];
    const parents: Array<string | undefined> = [];
    const vectors = [...this.byKind.get(kind)!].filter(([, v]) => v.length === dims);
    const simd = SimdMatrix.create(vectors.length, dims);
    const matrix = simd?.matrix ?? new Float32Array(vectors.length * dims);
    vectors.forEach(([key, v], i) => {
      keys.push(key);
      parents.push(this.parentOf.get(key));
      matrix.set(v, i * dims);
    });
    const packed: Packed = { keys, parents, dims, matrix, ...(simd ? { simd } : {}) };
    this.packed.set(kind, packed);
    return packed;
  }
}

/**
 * The embedded `VectorIndex`: vectors kept durably in SQLite beside the search documents, searched in process by
 * exact cosine (a dot product over unit vectors). Exact search reads every vector of the asked kind, by a
 * WebAssembly SIMD scan where it can (about 1 ms at 10 000 tables of 384 dimensions; the scalar loop, used
 * otherwise, 5–10 ms), then scores the few best exactly (past a few hundred thousand, use the Elasticsearch
 * adapter's HNSW index).
 * Columns are searched in all tables or within the asked ones. Another process's writes (a worker crawling into the same files) are
 * seen at the next read: every write bumps a generation in the file, and a reader that sees a newer one reloads.
 */
export class SqliteVectorIndex implements VectorIndex {
  private db!: Database.Database;
  private loaded = new Loaded();
  private generation = -1;
  private samples = new Map<string, Float32Array[]>();

  constructor(private readonly options: SqliteVectorIndexOptions) {}

  async init(): Promise<void> {
    this.db = openSqlite(this.options.path, SCHEMA);
    this.reloadIfStale();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private storedGeneration(): number {
    return Number((this.db.prepare("SELECT v FROM vector_meta WHERE k = 'generation'").get() as { v: string } | undefined)?.v ?? 0);
  }

  private bump(): void {
    this.db.prepare("INSERT INTO vector_meta (k, v) VALUES ('generation', '1') ON CONFLICT(k) DO UPDATE SET v = CAST(v AS INTEGER) + 1").run();
  }

  private reloadIfStale(): void {
    const generation = this.storedGeneration();
    if (generation === this.generation) return;
    const loaded = new Loaded();
    for (const r of this.db.prepare('SELECT key, kind, parent, vector FROM vectors WHERE vector IS NOT NULL').iterate() as Iterable<Row>) {
      loaded.put(r.key, r.kind, r.parent ?? undefined, vectorFromBytes(r.vector!));
    }
    this.loaded = loaded;
    this.samples.clear();
    this.generation = generation;
  }

  /**
   * Runs a write in one transaction with the generation bump. When nobody else wrote since our last read, the
   * loaded vectors take the same change in memory (`apply`); otherwise they are reloaded from the file.
   */
  private write(fn: () => void, apply?: (loaded: Loaded) => void): void {
    const before = this.generation;
    const unchanged = this.db.transaction((): boolean => {
      const fresh = this.storedGeneration() === before;
      fn();
      this.bump();
      return fresh;
    })();
    if (unchanged && apply) {
      apply(this.loaded);
      this.samples.clear();
      this.generation = this.storedGeneration();
    } else {
      this.reloadIfStale();
    }
  }

  async model(): Promise<EmbeddingModel | undefined> {
    const row = this.db.prepare("SELECT v FROM vector_meta WHERE k = 'model'").get() as { v: string } | undefined;
    return row ? (JSON.parse(row.v) as EmbeddingModel) : undefined;
  }

  async useModel(model: EmbeddingModel): Promise<{ reset: boolean }> {
    const current = await this.model();
    if (current && current.name === model.name && current.dimensions === model.dimensions) return { reset: false };
    this.write(() => {
      if (current) this.db.prepare('UPDATE vectors SET vector = NULL, text_hash = NULL, pending = ?').run(this.nextMark());
      this.db.prepare("INSERT INTO vector_meta (k, v) VALUES ('model', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v").run(JSON.stringify(model));
    });
    return { reset: !!current };
  }

  /** A mark no subject has had: one more than the last (call inside a write). */
  private nextMark(): number {
    const row = this.db
      .prepare(
        `INSERT INTO vector_meta (k, v) VALUES ('mark', (SELECT coalesce(max(pending), 0) + 1 FROM vectors))
         ON CONFLICT(k) DO UPDATE SET v = CAST(CAST(v AS INTEGER) + 1 AS TEXT) RETURNING v`,
      )
      .get() as { v: string };
    return Number(row.v);
  }

  async markPending(subjects: VectorSubject[]): Promise<void> {
    if (!subjects.length) return;
    const stmt = this.db.prepare(
      'INSERT INTO vectors (key, kind, parent, pending, rank) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET pending = excluded.pending, kind = excluded.kind, parent = excluded.parent',
    );
    this.write(
      () => {
        const mark = this.nextMark();
        for (const s of subjects) stmt.run(s.key, s.kind, s.parent ?? null, mark, sampleRank(s.key));
      },
      () => undefined,
    );
  }

  async pending(limit: number): Promise<PendingSubject[]> {
    const rows = this.db
      .prepare("SELECT key, kind, parent, pending FROM vectors WHERE pending > 0 ORDER BY CASE kind WHEN 'column' THEN 1 ELSE 0 END, key LIMIT ?")
      .all(Math.max(0, Math.floor(limit))) as Array<{ key: string; kind: VectorKind; parent: string | null; pending: number }>;
    return rows.map((r) => ({ key: r.key, kind: r.kind, ...(r.parent ? { parent: r.parent } : {}), mark: String(r.pending) }));
  }

  async pendingCount(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM vectors WHERE pending > 0').get() as { n: number }).n;
  }

  async states(keys: string[]): Promise<Map<string, StoredState>> {
    const out = new Map<string, StoredState>();
    const stmt = this.db.prepare('SELECT text_hash AS h, vector IS NOT NULL AS v, pending FROM vectors WHERE key = ?');
    for (const key of new Set(keys)) {
      const row = stmt.get(key) as { h: string | null; v: number; pending: number } | undefined;
      if (row) out.set(key, { ...(row.v && row.h ? { textHash: row.h } : {}), pending: row.pending > 0 });
    }
    return out;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    if (!records.length) return;
    const dims = (await this.model())?.dimensions;
    for (const r of records) {
      if (dims !== undefined && r.vector.length !== dims) throw new Error(`vector of ${r.key} has ${r.vector.length} dimensions; the index holds ${dims}`);
    }
    const put = this.db.prepare(
      `INSERT INTO vectors (key, kind, parent, text_hash, vector, pending, rank) VALUES (?, ?, ?, ?, ?, 0, ?)
       ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, parent = excluded.parent, text_hash = excluded.text_hash, vector = excluded.vector, pending = 0`,
    );
    // with a mark: only a subject still there, and its pending mark cleared only if it is still that one
    const answer = this.db.prepare(
      'UPDATE vectors SET kind = ?, parent = ?, text_hash = ?, vector = ?, pending = CASE WHEN pending = ? THEN 0 ELSE pending END WHERE key = ?',
    );
    const written: VectorRecord[] = [];
    this.write(
      () => {
        for (const r of records) {
          const args = [r.kind, r.parent ?? null, r.textHash, vectorToBytes(r.vector)] as const;
          if (r.mark === undefined) put.run(r.key, ...args, sampleRank(r.key));
          else if (!answer.run(...args, markNumber(r.mark), r.key).changes) continue;
          written.push(r);
        }
      },
      (loaded) => {
        for (const r of written) loaded.put(r.key, r.kind, r.parent, r.vector);
      },
    );
  }

  async settle(subjects: PendingSubject[]): Promise<void> {
    if (!subjects.length) return;
    const stmt = this.db.prepare('UPDATE vectors SET pending = 0 WHERE key = ? AND pending = ?');
    this.write(
      () => {
        for (const s of subjects) stmt.run(s.key, markNumber(s.mark));
      },
      () => undefined,
    );
  }

  async remove(keys: string[]): Promise<void> {
    if (!keys.length) return;
    const byKey = this.db.prepare('DELETE FROM vectors WHERE key = ?');
    const byParent = this.db.prepare('DELETE FROM vectors WHERE parent = ?');
    this.write(() => {
      for (const key of new Set(keys)) {
        byKey.run(key);
        byParent.run(key);
      }
    });
  }

  async columnKeys(tables: string[]): Promise<Map<string, string[]>> {
    const stmt = this.db.prepare("SELECT key FROM vectors WHERE parent = ? AND kind = 'column' ORDER BY key");
    return new Map([...new Set(tables)].map((t) => [t, (stmt.all(t) as Array<{ key: string }>).map((r) => r.key)]));
  }

  async nearest(query: NearestQuery): Promise<VectorHit[]> {
    this.reloadIfStale();
    const limit = Math.max(0, Math.floor(query.limit));
    if (!limit) return [];
    const dims = query.vector.length;
    const only = query.parent !== undefined || query.parents !== undefined ? new Set([...(query.parent !== undefined ? [query.parent] : []), ...(query.parents ?? [])]) : undefined;
    const runs = [...new Set(query.kinds)].map((kind) => (kind === 'column' && only ? this.columnsWithin(only, dims) : { kind, ...this.loaded.packedOf(kind, dims) }));
    const total = runs.reduce((n, r) => n + r.keys.length, 0);
    // one similarity per vector, in a typed array: the scan allocates nothing per vector
    const sims = new Float64Array(total);
    const runOf = new Uint8Array(total);
    const indexInRun = new Uint32Array(total);
    // how far a SIMD sum may lie from the exact similarity, twice (0: every similarity is exact already)
    let slack = 0;
    let at = 0;
    runs.forEach((run, r) => {
      const approximate = run.simd?.scan(query.vector);
      if (approximate) slack = Math.max(slack, 2 * run.simd!.maxError(query.vector));
      for (let i = 0; i < run.keys.length; i++, at++) {
        sims[at] = approximate ? approximate[i]! : run.rows ? dotAt(query.vector, run.rows[i]!, 0) : dotAt(query.vector, run.matrix, i * dims);
        runOf[at] = r;
        indexInRun[at] = i;
      }
    });
    const parentOf = (i: number): string | undefined => runs[runOf[i]!]!.parents[indexInRun[i]!];
    const keyOf = (i: number): string => runs[runOf[i]!]!.keys[indexInRun[i]!]!;
    // with one hit per table, a table competes by its best column: by sum, the best any of its columns may score
    const tableBest = query.onePerParent ? bestSumPerParent(sims, parentOf) : undefined;
    // The k best by exact similarity are all within `slack` of the k-th best SIMD sum: only those are scored
    // exactly (a few more than k), so the hits and their similarities are the scalar scan's, to the last bit.
    const cutoff =
      slack > 0 ? kthLargest(tableBest ? Float64Array.from(competitors(sims, parentOf, tableBest)) : sims, limit) - slack : -Infinity;
    let contenders: number[] = [];
    for (let i = 0; i < total; i++) {
      if (!(sims[i]! >= cutoff)) continue;
      const parent = tableBest ? parentOf(i) : undefined;
      if (parent !== undefined && !(sims[i]! >= tableBest!.get(parent)! - slack)) continue;
      const run = runs[runOf[i]!]!;
      if (run.simd) sims[i] = dotAt(query.vector, run.matrix, indexInRun[i]! * dims);
      contenders.push(i);
    }
    const inKeyOrder = (a: number, b: number): number => keyOf(a).localeCompare(keyOf(b));
    if (tableBest) contenders = bestOfEachParent(contenders, (i) => sims[i]!, parentOf, inKeyOrder);
    return bestK(contenders, (i) => sims[i]!, limit, inKeyOrder).map(({ item: i, score }) => {
      const parent = parentOf(i);
      return { key: keyOf(i), kind: runs[runOf[i]!]!.kind, similarity: score, ...(parent !== undefined ? { parent } : {}) };
    });
  }

  /**
   * The column vectors of some tables, scanned where they are kept: copied into one matrix per query they were
   * megabytes of garbage an answer (a hundred tables of twenty columns).
   */
  private columnsWithin(tables: Set<string>, dims: number): Packed & { kind: VectorKind } {
    const keys: string[] = [];
    const parents: Array<string | undefined> = [];
    const vectors: Float32Array[] = [];
    for (const parent of tables) {
      for (const [key, vector] of this.loaded.columnsOf.get(parent) ?? []) {
        if (vector.length !== dims) continue;
        keys.push(key);
        parents.push(parent);
        vectors.push(vector);
      }
    }
    return { kind: 'column', keys, parents, dims, matrix: NO_MATRIX, rows: vectors };
  }

  async sample(kind: VectorKind, n: number): Promise<Float32Array[]> {
    this.reloadIfStale();
    const id = `${kind}:${n}`;
    const cached = this.samples.get(id);
    if (cached) return cached;
    const vectors = this.loaded.byKind.get(kind)!;
    // the n lowest ranks in a bounded heap: sorting every key (200k columns) cost the first answer after each write
    const picked = bestK(vectors.keys(), (key) => -sampleRank(key), Math.max(0, n), (a, b) => a.localeCompare(b)).map(({ item }) => vectors.get(item)!);
    this.samples.set(id, picked);
    return picked;
  }

  async count(): Promise<Record<VectorKind, number>> {
    this.reloadIfStale();
    return Object.fromEntries(KINDS.map((k) => [k, this.loaded.byKind.get(k)!.size])) as Record<VectorKind, number>;
  }
}

/** Each parent's highest score among its items. */
function bestSumPerParent(scores: Float64Array, parentOf: (i: number) => string | undefined): Map<string, number> {
  const best = new Map<string, number>();
  for (let i = 0; i < scores.length; i++) {
    const parent = parentOf(i);
    if (parent !== undefined && !(scores[i]! <= (best.get(parent) ?? -Infinity))) best.set(parent, scores[i]!);
  }
  return best;
}

/** What competes for the k places when each parent gets one: every item without a parent, and each parent's best. */
function* competitors(scores: Float64Array, parentOf: (i: number) => string | undefined, parentBest: Map<string, number>): Generator<number> {
  for (let i = 0; i < scores.length; i++) if (parentOf(i) === undefined) yield scores[i]!;
  yield* parentBest.values();
}

/** The items without a parent, and of each parent's items the best one (ties to `tieBreak`'s first). */
function bestOfEachParent(items: number[], score: (i: number) => number, parentOf: (i: number) => string | undefined, tieBreak: (a: number, b: number) => number): number[] {
  const winners = new Map<string, number>();
  const out: number[] = [];
  for (const i of items) {
    const parent = parentOf(i);
    if (parent === undefined) {
      out.push(i);
      continue;
    }
    const held = winners.get(parent);
    if (held === undefined || score(i) > score(held) || (score(i) === score(held) && tieBreak(i, held) < 0)) winners.set(parent, i);
  }
  return [...out, ...winners.values()];
}

/** A mark as the table stores it; a token this index did not hand out matches no subject. */
function markNumber(mark: string): number {
  return /^[1-9][0-9]{0,15}$/.test(mark) ? Number(mark) : -1;
}
