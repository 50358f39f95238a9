import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SearchDocument, SearchFields, SearchHit, SearchIndex, SearchKind, SearchQuery } from '../../ports/search-index';
import { Bm25fIndex } from '../../search/bm25f';
import { applyRankingPriors, candidatePoolSize } from '../../search/ranking';
import type { ScoredCandidate } from '../../search/ranking';
import { openSqlite } from './sqlite';
import { ANALYSIS_REVISION } from '../../text/analyze';

/** Where a rebuild writes its new contents: `search_docs_next_{pid}_{random}`. */
const STAGING_PREFIX = 'search_docs_next_';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
    this.index.put(key, fields, KINDS.indexOf(priors.kind));
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

/** A document row as it is stored: the JSON of a `SearchDocument`. */
interface DocRow {
  key: string;
  doc: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_docs (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_removed (key TEXT PRIMARY KEY, rev INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS search_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
`;

/**
 * The embedded `SearchIndex`. Documents are kept durably in SQLite (better-sqlite3, WAL, `synchronous=FULL`);
 * ranking runs on an in-memory BM25F index rebuilt from them at start, with the formula and field weights of the
 * Elasticsearch adapter's `combined_fields` query, then the shared ranking priors.
 *
 * Several connections may share the file (the bot's thread that edits and the answering threads that search, or
 * another process): every write takes the next revision number (`search_meta.rev`) and stamps the documents it
 * wrote, and removals leave a tombstone with it; before each read a connection that sees a newer revision than
 * its own takes the changed documents since its own (a reindex, which replaces everything, makes it reload).
 */
export class SqliteSearchIndex implements SearchIndex {
  private db!: Database.Database;
  private postings = new Postings();
  private vocabularyCache: Map<string, number> | undefined;
  /** The file's revision and reindex epoch the in-memory postings reflect. */
  private seen = { rev: 0, epoch: 0 };

  constructor(private readonly options: SqliteSearchIndexOptions) {}

  async init(): Promise<void> {
    this.db = openSqlite(this.options.path, SCHEMA);
    const columns = this.db.prepare('PRAGMA table_info(search_docs)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'rev')) this.db.exec('ALTER TABLE search_docs ADD COLUMN rev INTEGER NOT NULL DEFAULT 0');
    this.db.exec('CREATE INDEX IF NOT EXISTS search_docs_by_rev ON search_docs (rev)');
    // a new file records the analysis it is written under; one from before revisions were recorded reads as 0
    this.db.prepare("INSERT INTO search_meta (k, v) SELECT 'analysis', ? WHERE NOT EXISTS (SELECT 1 FROM search_docs) ON CONFLICT(k) DO NOTHING").run(ANALYSIS_REVISION);
    this.reload();
  }

  async analysisRevision(): Promise<number> {
    return this.meta('analysis');
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  /** Staging tables of rebuilds whose process is gone (killed mid-rebuild), and the one older code used. */
  private dropAbandonedStaging(): void {
    const names = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_docs_next%'").all() as Array<{ name: string }>).map((r) => r.name);
    for (const name of names) {
      const pid = Number(/^search_docs_next_(\d+)_[0-9a-f]+$/.exec(name)?.[1] ?? NaN);
      if (Number.isNaN(pid) || !processAlive(pid)) this.db.exec(`DROP TABLE IF EXISTS "${name.replace(/"/g, '')}"`);
    }
  }

  private meta(k: 'rev' | 'epoch' | 'analysis'): number {
    return (this.db.prepare('SELECT v FROM search_meta WHERE k = ?').get(k) as { v: number } | undefined)?.v ?? 0;
  }

  /** Takes the next revision (inside the write's transaction). */
  private nextRev(): number {
    return (this.db.prepare("INSERT INTO search_meta (k, v) VALUES ('rev', 1) ON CONFLICT(k) DO UPDATE SET v = v + 1 RETURNING v").get() as { v: number }).v;
  }

  private reload(): void {
    const read = this.db.transaction(() => {
      const next = new Postings();
      for (const row of this.db.prepare('SELECT doc FROM search_docs').iterate() as Iterable<{ doc: string }>) {
        const d = JSON.parse(row.doc) as SearchDocument;
        next.put(d.key, d.fields, priorsOf(d));
      }
      return { next, seen: { rev: this.meta('rev'), epoch: this.meta('epoch') } };
    });
    const { next, seen } = read();
    this.postings = next;
    this.seen = seen;
    this.vocabularyCache = undefined;
  }

  /** Brings the in-memory postings up to the file's revision: another connection may have written since. */
  private catchUp(): void {
    const rev = this.meta('rev');
    if (rev === this.seen.rev && this.meta('epoch') === this.seen.epoch) return;
    const changes = this.db.transaction(() => {
      const epoch = this.meta('epoch');
      if (epoch !== this.seen.epoch) return undefined;
      const removed = (this.db.prepare('SELECT key FROM search_removed WHERE rev > ?').all(this.seen.rev) as Array<{ key: string }>).map((r) => r.key);
      const written = this.db.prepare('SELECT key, doc FROM search_docs WHERE rev > ?').all(this.seen.rev) as DocRow[];
      return { removed, written, rev: this.meta('rev') };
    })();
    if (!changes) return this.reload();
    for (const key of changes.removed) this.postings.delete(key);
    for (const row of changes.written) {
      const d = JSON.parse(row.doc) as SearchDocument;
      this.postings.put(d.key, d.fields, priorsOf(d));
    }
    this.seen = { ...this.seen, rev: changes.rev };
    this.vocabularyCache = undefined;
  }

  /**
   * Runs a write in one transaction under a new revision. When nobody else wrote since our last read, the
   * postings take the same change in memory (`apply`); otherwise they catch up from the file.
   */
  private write(fn: (rev: number) => void, apply: () => void): void {
    const fresh = this.db.transaction((): boolean => {
      const unchanged = this.meta('rev') === this.seen.rev && this.meta('epoch') === this.seen.epoch;
      const rev = this.nextRev();
      fn(rev);
      if (unchanged) this.seen = { ...this.seen, rev };
      return unchanged;
    })();
    if (fresh) apply();
    else this.catchUp();
    this.vocabularyCache = undefined;
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    const put = this.db.prepare('INSERT INTO search_docs (key, doc, rev) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc, rev = excluded.rev');
    const unremove = this.db.prepare('DELETE FROM search_removed WHERE key = ?');
    this.write(
      (rev) => {
        for (const d of docs) {
          put.run(d.key, JSON.stringify(d), rev);
          unremove.run(d.key);
        }
      },
      () => {
        for (const d of docs) this.postings.put(d.key, d.fields, priorsOf(d));
      },
    );
  }

  async remove(keys: string[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM search_docs WHERE key = ?');
    const tombstone = this.db.prepare('INSERT INTO search_removed (key, rev) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET rev = excluded.rev');
    this.write(
      (rev) => {
        for (const key of keys) {
          del.run(key);
          tombstone.run(key, rev);
        }
      },
      () => {
        for (const key of keys) this.postings.delete(key);
      },
    );
  }

  /**
   * Builds the new contents in a staging table of its own (two processes may rebuild at once), then swaps it in
   * one transaction, carrying over what other writers wrote or removed meanwhile: a crawl that publishes during
   * a rebuild loses nothing.
   */
  async reindex(batches: AsyncIterable<SearchDocument[]>): Promise<void> {
    this.dropAbandonedStaging();
    const staging = `${STAGING_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
    const startRev = this.meta('rev');
    this.db.exec(`CREATE TABLE ${staging} (key TEXT PRIMARY KEY, doc TEXT NOT NULL, rev INTEGER NOT NULL DEFAULT 0)`);
    const next = new Postings();
    try {
      const put = this.db.prepare(`INSERT OR REPLACE INTO ${staging} (key, doc) VALUES (?, ?)`);
      for await (const batch of batches) {
        this.db.transaction(() => {
          for (const d of batch) put.run(d.key, JSON.stringify(d));
        })();
        for (const d of batch) next.put(d.key, d.fields, priorsOf(d));
      }
    } catch (e) {
      this.db.exec(`DROP TABLE IF EXISTS ${staging}`);
      throw e;
    }
    const seen = this.db.transaction(() => {
      const written = this.db.prepare('SELECT key, doc, rev FROM search_docs WHERE rev > ?').all(startRev) as Array<{ key: string; doc: string; rev: number }>;
      const removed = (this.db.prepare('SELECT key FROM search_removed WHERE rev > ?').all(startRev) as Array<{ key: string }>).map((r) => r.key);
      const carry = this.db.prepare(`INSERT OR REPLACE INTO ${staging} (key, doc, rev) VALUES (?, ?, ?)`);
      for (const w of written) carry.run(w.key, w.doc, w.rev);
      const drop = this.db.prepare(`DELETE FROM ${staging} WHERE key = ?`);
      for (const key of removed) drop.run(key);
      this.db.exec(`DROP TABLE search_docs; ALTER TABLE ${staging} RENAME TO search_docs; CREATE INDEX IF NOT EXISTS search_docs_by_rev ON search_docs (rev); DELETE FROM search_removed;`);
      const epoch = (this.db.prepare("INSERT INTO search_meta (k, v) VALUES ('epoch', 1) ON CONFLICT(k) DO UPDATE SET v = v + 1 RETURNING v").get() as { v: number }).v;
      this.db.prepare("INSERT INTO search_meta (k, v) VALUES ('analysis', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v").run(ANALYSIS_REVISION);
      for (const w of written) {
        const d = JSON.parse(w.doc) as SearchDocument;
        next.put(d.key, d.fields, priorsOf(d));
      }
      for (const key of removed) next.delete(key);
      return { rev: this.meta('rev'), epoch };
    })();
    this.postings = next;
    this.seen = seen;
    this.vocabularyCache = undefined;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    this.catchUp();
    const groups = new Set((query.kinds ?? KINDS).map((k) => KINDS.indexOf(k)));
    const pool = this.postings.index.search(query.clauses, candidatePoolSize(query.limit), groups);
    const candidates = pool.map(([key, textScore]) => ({ ...this.postings.priors.get(key)!, textScore }));
    return applyRankingPriors(candidates, query.limit, query.now);
  }

  async vocabulary(): Promise<Map<string, number>> {
    this.catchUp();
    if (!this.vocabularyCache) {
      this.vocabularyCache = this.postings.index.vocabulary();
    }
    return this.vocabularyCache;
  }

  async count(): Promise<number> {
    this.catchUp();
    return this.postings.priors.size;
  }
}
