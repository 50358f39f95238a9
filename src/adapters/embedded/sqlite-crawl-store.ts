import type Database from 'better-sqlite3';
import type { IsoTime } from '../../domain/model';
import type { CrawlStateStore, SourceCrawlState } from '../../ports/crawl-state-store';
import type { CrawlStatus, CrawlStatusStore } from '../../ports/crawl-status-store';
import { statusOnFailure, statusOnFinish, statusOnStart } from '../crawl-status';
import type { CrawlReport } from '../../domain/crawl';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS crawl_state (source TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crawl_status (source TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crawl_fingerprints (source TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID;
`;

/**
 * The embedded crawl state and status store: one SQLite file (`crawls.sqlite` in NANSEN_DATA_DIR), WAL with
 * `synchronous=FULL`, so a write is on disk once it resolves.
 */
export class SqliteCrawlStore implements CrawlStateStore, CrawlStatusStore {
  private db!: Database.Database;

  constructor(private readonly options: { path: string }) {}

  async init(): Promise<void> {
    this.db = openSqlite(this.options.path, SCHEMA);
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  async getState(source: string): Promise<SourceCrawlState | undefined> {
    const row = this.db.prepare('SELECT doc FROM crawl_state WHERE source = ?').get(source) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SourceCrawlState) : undefined;
  }

  async putState(source: string, state: SourceCrawlState): Promise<void> {
    this.db.prepare('INSERT INTO crawl_state (source, doc) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET doc = excluded.doc').run(source, JSON.stringify(state));
  }

  async getFingerprints(source: string): Promise<Map<string, string>> {
    const rows = this.db.prepare('SELECT key, fingerprint FROM crawl_fingerprints WHERE source = ?').all(source) as Array<{ key: string; fingerprint: string }>;
    return new Map(rows.map((r) => [r.key, r.fingerprint]));
  }

  async putFingerprints(source: string, entries: Array<[string, string | null]>): Promise<void> {
    const put = this.db.prepare('INSERT INTO crawl_fingerprints (source, key, fingerprint) VALUES (?, ?, ?) ON CONFLICT(source, key) DO UPDATE SET fingerprint = excluded.fingerprint');
    const del = this.db.prepare('DELETE FROM crawl_fingerprints WHERE source = ? AND key = ?');
    this.db.transaction(() => {
      for (const [key, fp] of entries) {
        if (fp === null) del.run(source, key);
        else put.run(source, key, fp);
      }
    })();
  }

  async recordStart(source: string, crawlId: string, at: IsoTime): Promise<void> {
    this.update(source, (prev) => statusOnStart(prev, source, crawlId, at));
  }

  async recordFinish(source: string, report: CrawlReport, durationMs: number): Promise<void> {
    this.update(source, (prev) => statusOnFinish(prev, source, report, durationMs));
  }

  async recordFailure(source: string, crawlId: string, at: IsoTime, error: { code: string; message: string; retryable: boolean }, durationMs: number): Promise<void> {
    this.update(source, (prev) => statusOnFailure(prev, source, crawlId, at, error, durationMs));
  }

  /** Every source with crawl memory, by id (for the move to a shared store). */
  async listStateSources(): Promise<string[]> {
    return (this.db.prepare('SELECT source FROM crawl_state ORDER BY source').all() as Array<{ source: string }>).map((r) => r.source);
  }

  /** Every source with fingerprints, by id. */
  async listFingerprintSources(): Promise<string[]> {
    return (this.db.prepare('SELECT DISTINCT source FROM crawl_fingerprints ORDER BY source').all() as Array<{ source: string }>).map((r) => r.source);
  }

  async getStatus(source: string): Promise<CrawlStatus | undefined> {
    const row = this.db.prepare('SELECT doc FROM crawl_status WHERE source = ?').get(source) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as CrawlStatus) : undefined;
  }

  async listStatus(): Promise<CrawlStatus[]> {
    return (this.db.prepare('SELECT doc FROM crawl_status ORDER BY source').all() as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as CrawlStatus);
  }

  private update(source: string, fn: (prev: CrawlStatus | undefined) => CrawlStatus): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT doc FROM crawl_status WHERE source = ?').get(source) as { doc: string } | undefined;
      const next = fn(row ? (JSON.parse(row.doc) as CrawlStatus) : undefined);
      this.db.prepare('INSERT INTO crawl_status (source, doc) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET doc = excluded.doc').run(source, JSON.stringify(next));
    })();
  }
}
