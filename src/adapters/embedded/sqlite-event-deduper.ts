import type Database from 'better-sqlite3';
import { EVENT_LEASE_MS, EVENT_RETENTION_MS, type EventDeduper, type EventRecord } from '../../ports/event-deduper';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, state TEXT NOT NULL, until INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_until ON events(until);
`;

export interface SqliteEventDeduperOptions {
  leaseMs?: number;
  retentionMs?: number;
  /** Milliseconds since the epoch; tests move time. */
  now?: () => number;
}

/**
 * The `EventDeduper` without Redis: a SQLite file next to the embedded stores (WAL, synchronous=FULL), so a bot
 * restarted after a crash still knows which events it answered. Claims run in `BEGIN IMMEDIATE` transactions, so
 * two processes on the file serialise on it.
 */
export class SqliteEventDeduper implements EventDeduper {
  private readonly db: Database.Database;
  private readonly leaseMs: number;
  private readonly retentionMs: number;
  private readonly now: () => number;
  private claims = 0;

  constructor(path: string, options: SqliteEventDeduperOptions = {}) {
    this.db = openSqlite(path, SCHEMA);
    this.leaseMs = options.leaseMs ?? EVENT_LEASE_MS;
    this.retentionMs = options.retentionMs ?? EVENT_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  async claim(id: string): Promise<boolean> {
    const now = this.now();
    const ok = this.db
      .transaction((): boolean => {
        const row = this.db.prepare('SELECT state, until FROM events WHERE id = ?').get(id) as { state: string; until: number } | undefined;
        if (row && row.until > now) return false;
        this.db.prepare("INSERT INTO events (id, state, until) VALUES (?, 'answering', ?) ON CONFLICT(id) DO UPDATE SET state = 'answering', until = excluded.until").run(id, now + this.leaseMs);
        return true;
      })
      .immediate();
    if (++this.claims % 500 === 0) this.db.prepare('DELETE FROM events WHERE until < ?').run(now);
    return ok;
  }

  async complete(id: string): Promise<void> {
    this.db.prepare("INSERT INTO events (id, state, until) VALUES (?, 'done', ?) ON CONFLICT(id) DO UPDATE SET state = 'done', until = excluded.until").run(id, this.now() + this.retentionMs);
  }

  /** The events still remembered (answered, or held by a live lease), for the move to the shared store. */
  exportRecords(): EventRecord[] {
    const rows = this.db.prepare('SELECT id, state, until FROM events WHERE until > ? ORDER BY until, id').all(this.now()) as Array<{ id: string; state: string; until: number }>;
    return rows.map((r) => ({ id: r.id, state: r.state === 'done' ? 'done' : 'answering', until: r.until }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
