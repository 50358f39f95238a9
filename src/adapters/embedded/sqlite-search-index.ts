import type Database from 'better-sqlite3';
import type { SearchDocument, SearchFields, SearchHit, SearchIndex, SearchKind, SearchQuery } from '../../ports/search-index';
import { Bm25fIndex } from '../../search/bm25f';
import { applyRankingPriors, candidatePoolSize } from '../../search/ranking';
import type { ScoredCandidate } from '../../search/ranking';
import { openSqlite } from './sqlite';

export interface SqliteSearchIndexOptions {
  /** A file path, or `:memory:`. */
  path: string;
}

type Priors = Omit<ScoredCandidate, 'textScore'>;
const KINDS: SearchKind[] = ['table', 'dashboard'];

/**
 * The in-memory side of the index: one BM25F index over both kinds, so term statistics are global as they are
 * in the Elasticsearch adapter's DFS search across its two indexes, and the priors.
 */
class Postings {
  readonly index = new Bm25fIndex();
  readonly priors = new Map<string, Priors>();

  put(key: string, fields: SearchFields, priors: Priors): void {
    this.index.put(key, fields);
    this.priors.set(key, priors);
  }

  delete(key: string): void {
    this.index.delete(key);
    this.priors.delete(key);
  }
}

function priorsOf(d: SearchDocument): Priors {
  return { key: d.key, kind: d.kind, popularity: d.popularity, badges: d.badges, deprecated: d.deprecated, lastUpdatedAt: d.lastUpdatedAt, cadenceHours: d.cadenceHours };
}

/**
 * The embedded `SearchIndex`. Documents are kept durably in SQLite (better-sqlite3, WAL, `synchronous=FULL`);
 * ranking runs on an in-memory BM25F index rebuilt from them at start, with the formula and field weights of the
 * Elasticsearch adapter's `combined_fields` query, then the shared ranking priors.
 */
export class SqliteSearchIndex implements SearchIndex {
  private db!: Database.Database;
  private postings = new Postings();
  private vocabularyCache: Map<string, number> | undefined;

  constructor(private readonly options: SqliteSearchIndexOptions) {}

  async init(): Promise<void> {
    this.db = openSqlite(this.options.path);
    this.db.exec('CREATE TABLE IF NOT EXISTS search_docs (key TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    for (const row of this.db.prepare('SELECT doc FROM search_docs').iterate() as Iterable<{ doc: string }>) {
      const d = JSON.parse(row.doc) as SearchDocument;
      this.postings.put(d.key, d.fields, priorsOf(d));
    }
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    const put = this.db.prepare('INSERT INTO search_docs (key, doc) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc');
    this.db.transaction(() => {
      for (const d of docs) put.run(d.key, JSON.stringify(d));
    })();
    for (const d of docs) this.postings.put(d.key, d.fields, priorsOf(d));
    this.vocabularyCache = undefined;
  }

  async remove(keys: string[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM search_docs WHERE key = ?');
    this.db.transaction(() => {
      for (const key of keys) del.run(key);
    })();
    for (const key of keys) this.postings.delete(key);
    this.vocabularyCache = undefined;
  }

  async reindex(batches: AsyncIterable<SearchDocument[]>): Promise<void> {
    this.db.exec('DROP TABLE IF EXISTS search_docs_next; CREATE TABLE search_docs_next (key TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    const put = this.db.prepare('INSERT OR REPLACE INTO search_docs_next (key, doc) VALUES (?, ?)');
    const next = new Postings();
    for await (const batch of batches) {
      this.db.transaction(() => {
        for (const d of batch) put.run(d.key, JSON.stringify(d));
      })();
      for (const d of batch) next.put(d.key, d.fields, priorsOf(d));
    }
    this.db.transaction(() => {
      this.db.exec('DROP TABLE search_docs; ALTER TABLE search_docs_next RENAME TO search_docs;');
    })();
    this.postings = next;
    this.vocabularyCache = undefined;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const kinds = new Set<SearchKind>(query.kinds ?? KINDS);
    const { priors } = this.postings;
    const pool = this.postings.index.search(query.clauses, candidatePoolSize(query.limit), (key) => kinds.has(priors.get(key)!.kind));
    const candidates = pool.map(([key, textScore]) => ({ ...this.postings.priors.get(key)!, textScore }));
    return applyRankingPriors(candidates, query.limit, query.now);
  }

  async vocabulary(): Promise<Map<string, number>> {
    if (!this.vocabularyCache) {
      this.vocabularyCache = this.postings.index.vocabulary();
    }
    return this.vocabularyCache;
  }

  async count(): Promise<number> {
    return this.postings.priors.size;
  }
}
