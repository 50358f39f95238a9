import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SearchDocument, SearchHit, SearchIndex, SearchKind, SearchQuery } from '../../ports/search-index';
import { FIELD_WEIGHTS } from '../../ports/search-index';
import { applyRankingPriors, candidatePoolSize } from '../../search/ranking';
import type { ScoredCandidate } from '../../search/ranking';

export interface SqliteSearchIndexOptions {
  /** A file path, or `:memory:`. */
  path: string;
}

type Priors = Omit<ScoredCandidate, 'textScore'>;

/** FTS5 columns in the order `bm25()` takes their weights. */
const TEXT_COLUMNS = ['name', 'tags', 'columns', 'description', 'path'] as const;
const BM25_WEIGHTS = TEXT_COLUMNS.map((c) => FIELD_WEIGHTS[c]).join(', ');

/** How many matches of one term are scored; beyond it a term is too common to decide a ranking. */
const MATCHES_PER_TERM = 5000;

function schema(suffix: string): string {
  return `
CREATE TABLE IF NOT EXISTS docs${suffix} (key TEXT PRIMARY KEY, kind TEXT NOT NULL, priors TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts${suffix} USING fts5(key UNINDEXED, kind UNINDEXED, ${TEXT_COLUMNS.join(', ')}, tokenize = "unicode61 remove_diacritics 0");
`;
}

/** Quotes a term as an FTS5 string, so it is matched as text and never read as query syntax. */
function ftsLiteral(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * The embedded `SearchIndex`: SQLite FTS5 through better-sqlite3, BM25 over weighted columns (the same weights
 * the Elasticsearch adapter gives `combined_fields`), then the shared ranking priors.
 */
export class SqliteSearchIndex implements SearchIndex {
  private db!: Database.Database;
  private vocabularyCache: Map<string, number> | undefined;

  constructor(private readonly options: SqliteSearchIndexOptions) {}

  async init(): Promise<void> {
    if (this.options.path !== ':memory:') mkdirSync(dirname(this.options.path), { recursive: true });
    this.db = new Database(this.options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(schema(''));
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    this.write(docs, '');
    this.vocabularyCache = undefined;
  }

  private write(docs: SearchDocument[], suffix: string): void {
    const delFts = this.db.prepare(`DELETE FROM fts${suffix} WHERE rowid IN (SELECT rowid FROM fts${suffix} WHERE key = ?)`);
    const putDoc = this.db.prepare(`INSERT INTO docs${suffix} (key, kind, priors) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, priors = excluded.priors`);
    const existed = this.db.prepare(`SELECT 1 FROM docs${suffix} WHERE key = ?`);
    const putFts = this.db.prepare(`INSERT INTO fts${suffix} (key, kind, ${TEXT_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const d of docs) {
        if (existed.get(d.key)) delFts.run(d.key);
        const priors: Priors = { key: d.key, kind: d.kind, popularity: d.popularity, badges: d.badges, deprecated: d.deprecated, lastUpdatedAt: d.lastUpdatedAt, cadenceHours: d.cadenceHours };
        putDoc.run(d.key, d.kind, JSON.stringify(priors));
        putFts.run(d.key, d.kind, ...TEXT_COLUMNS.map((c) => d.fields[c]));
      }
    })();
  }

  async remove(keys: string[]): Promise<void> {
    const delFts = this.db.prepare('DELETE FROM fts WHERE rowid IN (SELECT rowid FROM fts WHERE key = ?)');
    const delDoc = this.db.prepare('DELETE FROM docs WHERE key = ?');
    this.db.transaction(() => {
      for (const key of keys) {
        delFts.run(key);
        delDoc.run(key);
      }
    })();
    this.vocabularyCache = undefined;
  }

  async reindex(batches: AsyncIterable<SearchDocument[]>): Promise<void> {
    this.db.exec('DROP TABLE IF EXISTS docs_next; DROP TABLE IF EXISTS fts_next;');
    this.db.exec(schema('_next'));
    for await (const batch of batches) this.write(batch, '_next');
    this.db.transaction(() => {
      this.db.exec('DROP TABLE docs; DROP TABLE fts; ALTER TABLE docs_next RENAME TO docs; ALTER TABLE fts_next RENAME TO fts;');
    })();
    this.vocabularyCache = undefined;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const kinds = new Set<SearchKind>(query.kinds ?? ['table', 'dashboard']);
    const byTerm = this.db.prepare(`SELECT key, kind, bm25(fts, 0, 0, ${BM25_WEIGHTS}) AS s FROM fts WHERE fts MATCH ? ORDER BY s LIMIT ${MATCHES_PER_TERM}`);
    const textScores = new Map<string, number>();
    for (const clause of query.clauses) {
      if (!clause.term.trim()) continue;
      for (const row of byTerm.all(ftsLiteral(clause.term)) as Array<{ key: string; kind: SearchKind; s: number }>) {
        if (!kinds.has(row.kind)) continue;
        textScores.set(row.key, (textScores.get(row.key) ?? 0) + clause.boost * -row.s);
      }
    }
    const pool = [...textScores.entries()].sort((a, b) => b[1] - a[1]).slice(0, candidatePoolSize(query.limit));
    const priorsOf = this.db.prepare('SELECT priors FROM docs WHERE key = ?');
    const candidates: ScoredCandidate[] = pool.map(([key, textScore]) => {
      const row = priorsOf.get(key) as { priors: string };
      return { ...(JSON.parse(row.priors) as Priors), textScore };
    });
    return applyRankingPriors(candidates, query.limit, query.now);
  }

  async vocabulary(): Promise<Map<string, number>> {
    if (!this.vocabularyCache) {
      this.db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, row)');
      const rows = this.db.prepare('SELECT term, doc FROM temp.fts_terms').all() as Array<{ term: string; doc: number }>;
      this.vocabularyCache = new Map(rows.map((r) => [r.term, r.doc]));
    }
    return this.vocabularyCache;
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM docs').get() as { n: number }).n;
  }
}
