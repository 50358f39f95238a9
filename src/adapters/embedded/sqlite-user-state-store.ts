import type Database from 'better-sqlite3';
import type { SubscriptionLanguage } from '../../ports/alert-store';
import type { TableSubscription, UserStateRecord, UserStateStore } from '../../ports/user-state-store';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bookmarks (user TEXT NOT NULL, table_key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user, table_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS subscriptions (user TEXT NOT NULL, table_key TEXT NOT NULL, channel TEXT NOT NULL, at TEXT NOT NULL, language TEXT, PRIMARY KEY (user, table_key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subscriptions_by_table ON subscriptions(table_key, user);
CREATE TABLE IF NOT EXISTS welcomed (user TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS question_languages (user TEXT PRIMARY KEY, language TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID;
`;

const SUBSCRIPTION_COLUMNS = 'user, table_key, channel, at, language';

type SubscriptionRow = { user: string; table_key: string; channel: string; at: string; language: string | null };

/** A language column's value as a language, or undefined for an empty or unknown one. */
function asLanguage(value: string | null | undefined): SubscriptionLanguage | undefined {
  return value === 'en' || value === 'ko' ? value : undefined;
}

/**
 * Files written before table subscriptions kept a language get the column, empty: their subscriptions keep
 * everything they had and are delivered in `NANSEN_LANGUAGE`. In one immediate transaction, so the bot and the
 * worker opening the same old file do not both add it.
 */
function addLanguageColumn(db: Database.Database): void {
  db.transaction(() => {
    const columns = db.prepare('PRAGMA table_info(subscriptions)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'language')) db.exec('ALTER TABLE subscriptions ADD COLUMN language TEXT');
  }).immediate();
}

/** Bookmarks, subscriptions, who was welcomed and question languages, in a SQLite file next to the embedded stores (WAL, synchronous=FULL). */
export class SqliteUserStateStore implements UserStateStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path, SCHEMA);
    addLanguageColumn(this.db);
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
    return this.rows(this.db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user = ? ORDER BY at DESC`).all(user));
  }

  async subscribersOf(tableKey: string): Promise<TableSubscription[]> {
    return this.rows(this.db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE table_key = ? ORDER BY user`).all(tableKey));
  }

  async toggleSubscription(sub: Omit<TableSubscription, 'at'>, at: string): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const gone = this.db.prepare('DELETE FROM subscriptions WHERE user = ? AND table_key = ?').run(sub.user, sub.tableKey).changes;
      if (gone) return false;
      this.db.prepare('INSERT INTO subscriptions (user, table_key, channel, at, language) VALUES (?, ?, ?, ?, ?)').run(sub.user, sub.tableKey, sub.channel, at, sub.language ?? null);
      return true;
    })();
  }

  async markWelcomed(user: string, at: string): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO welcomed (user, at) VALUES (?, ?)').run(user, at).changes === 1;
  }

  async recordQuestionLanguage(user: string, language: SubscriptionLanguage, at: string): Promise<void> {
    this.db.prepare('INSERT INTO question_languages (user, language, at) VALUES (?, ?, ?) ON CONFLICT (user) DO UPDATE SET language = excluded.language, at = excluded.at').run(user, language, at);
  }

  async questionLanguage(user: string): Promise<SubscriptionLanguage | undefined> {
    return asLanguage((this.db.prepare('SELECT language FROM question_languages WHERE user = ?').get(user) as { language: string } | undefined)?.language);
  }

  /** Every bookmark (ranked by its sequence number), table subscription, welcome and question language, for the move to the shared store. */
  exportRecords(): UserStateRecord[] {
    const bookmarks = this.db.prepare('SELECT user, table_key, seq FROM bookmarks ORDER BY seq').all() as Array<{ user: string; table_key: string; seq: number }>;
    return [
      ...bookmarks.map((b): UserStateRecord => ({ kind: 'bookmark', user: b.user, tableKey: b.table_key, order: b.seq })),
      ...this.rows(this.db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY at, user, table_key`).all()).map((s): UserStateRecord => ({ kind: 'table_subscription', subscription: s })),
      ...(this.db.prepare('SELECT user, at FROM welcomed ORDER BY at, user').all() as Array<{ user: string; at: string }>).map((w): UserStateRecord => ({ kind: 'welcomed', user: w.user, at: w.at })),
      ...(this.db.prepare('SELECT user, language, at FROM question_languages ORDER BY at, user').all() as Array<{ user: string; language: string; at: string }>).flatMap((q): UserStateRecord[] => {
        const language = asLanguage(q.language);
        return language ? [{ kind: 'question_language', user: q.user, language, at: q.at }] : [];
      }),
    ];
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private rows(rows: unknown[]): TableSubscription[] {
    return (rows as SubscriptionRow[]).map((r) => {
      const language = asLanguage(r.language);
      return { user: r.user, tableKey: r.table_key, channel: r.channel, at: r.at, ...(language ? { language } : {}) };
    });
  }
}
