import type Database from 'better-sqlite3';
import type { TableSubscription, UserStateRecord, UserStateStore } from '../../ports/user-state-store';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bookmarks (user TEXT NOT NULL, table_key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user, table_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS subscriptions (user TEXT NOT NULL, table_key TEXT NOT NULL, channel TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (user, table_key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subscriptions_by_table ON subscriptions(table_key, user);
CREATE TABLE IF NOT EXISTS welcomed (user TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
`;

/** Bookmarks, subscriptions and who was welcomed, in a SQLite file next to the embedded stores (WAL, synchronous=FULL). */
export class SqliteUserStateStore implements UserStateStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path, SCHEMA);
  }

  async bookmarks(user: string): Promise<string[]> {
    return (this.db.prepare('SELECT table_key AS k FROM bookmarks WHERE user = ? ORDER BY seq DESC').all(user) as Array<{ k: string }>).map((r) => r.k);
  }

  async toggleBookmark(user: string, tableKey: string): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const gone = this.db.prepare('DELETE FROM bookmarks WHERE user = ? AND table_key = ?').run(user, tableKey).changes;
      if (gone) return false;
      const seq = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM bookmarks').get() as { n: number }).n;
      this.db.prepare('INSERT INTO bookmarks (user, table_key, seq) VALUES (?, ?, ?)').run(user, tableKey, seq);
      return true;
    })();
  }

  async subscriptionsOf(user: string): Promise<TableSubscription[]> {
    return this.rows(this.db.prepare('SELECT user, table_key, channel, at FROM subscriptions WHERE user = ? ORDER BY at DESC').all(user));
  }

  async subscribersOf(tableKey: string): Promise<TableSubscription[]> {
    return this.rows(this.db.prepare('SELECT user, table_key, channel, at FROM subscriptions WHERE table_key = ? ORDER BY user').all(tableKey));
  }

  async toggleSubscription(sub: Omit<TableSubscription, 'at'>, at: string): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const gone = this.db.prepare('DELETE FROM subscriptions WHERE user = ? AND table_key = ?').run(sub.user, sub.tableKey).changes;
      if (gone) return false;
      this.db.prepare('INSERT INTO subscriptions (user, table_key, channel, at) VALUES (?, ?, ?, ?)').run(sub.user, sub.tableKey, sub.channel, at);
      return true;
    })();
  }

  async markWelcomed(user: string, at: string): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO welcomed (user, at) VALUES (?, ?)').run(user, at).changes === 1;
  }

  /** Every bookmark (ranked by its sequence number), table subscription and welcome, for the move to the shared store. */
  exportRecords(): UserStateRecord[] {
    const bookmarks = this.db.prepare('SELECT user, table_key, seq FROM bookmarks ORDER BY seq').all() as Array<{ user: string; table_key: string; seq: number }>;
    return [
      ...bookmarks.map((b): UserStateRecord => ({ kind: 'bookmark', user: b.user, tableKey: b.table_key, order: b.seq })),
      ...this.rows(this.db.prepare('SELECT user, table_key, channel, at FROM subscriptions ORDER BY at, user, table_key').all()).map((s): UserStateRecord => ({ kind: 'table_subscription', subscription: s })),
      ...(this.db.prepare('SELECT user, at FROM welcomed ORDER BY at, user').all() as Array<{ user: string; at: string }>).map((w): UserStateRecord => ({ kind: 'welcomed', user: w.user, at: w.at })),
    ];
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private rows(rows: unknown[]): TableSubscription[] {
    return (rows as Array<{ user: string; table_key: string; channel: string; at: string }>).map((r) => ({ user: r.user, tableKey: r.table_key, channel: r.channel, at: r.at }));
  }
}
