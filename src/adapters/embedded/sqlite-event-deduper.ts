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
 * The `EventDeduper` without Redis: a SQLite file next to the embedded stores, so a bot restarted after a crash
 * still knows which events it answered. A claim is one conditional upsert (taken when no live lease or done mark
 * holds the id), atomic under SQLite's write lock, so two processes on the file serialise on it.
 *
 * Durability: WAL with `synchronous=NORMAL`, not FULL like the catalog's files. Claims and completions run on the
 * thread that acknowledges Slack, four commits a mention, and an fsync each was a fifth of that thread's time. A
 * commit is still in the WAL (the OS page cache) when `claim` or `complete` resolves, so it survives `kill -9` of
 * the bot; only an OS crash or a power loss may forget the last few, and what that costs is at worst one Slack retry
 * answered twice (or a lease lost, so a retry is answered after a crash, as it should be anyway).
 */
export class SqliteEventDeduper implements EventDeduper {
  private readonly db: Database.Database;
  private readonly leaseMs: number;
  private readonly retentionMs: number;
  private readonly now: () => number;
  private readonly take: Database.Statement<[string, number, number]>;
  private readonly finish: Database.Statement<[string, number]>;
  private readonly forget: Database.Statement<[number]>;
  private claims = 0;

  constructor(path: string, options: SqliteEventDeduperOptions = {}) {
    this.db = openSqlite(path, SCHEMA, 'normal');
    this.leaseMs = options.leaseMs ?? EVENT_LEASE_MS;
    this.retentionMs = options.retentionMs ?? EVENT_RETENTION_MS;
    this.now = options.now ?? Date.now;
    this.take = this.db.prepare("INSERT INTO events (id, state, until) VALUES (?, 'answering', ?) ON CONFLICT(id) DO UPDATE SET state = 'answering', until = excluded.until WHERE events.until <= ?");
    this.finish = this.db.prepare("INSERT INTO events (id, state, until) VALUES (?, 'done', ?) ON CONFLICT(id) DO UPDATE SET state = 'done', until = excluded.until");
    this.forget = this.db.prepare('DELETE FROM events WHERE until < ?');
  }

  async claim(id: string): Promise<boolean> {
    const now = this.now();
    const ok = this.take.run(id, now + this.leaseMs, now).changes === 1;
    if (++this.claims % 500 === 0) this.forget.run(now);
    return ok;
  }

  async complete(id: string): Promise<void> {
    this.finish.run(id, this.now() + this.retentionMs);
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
