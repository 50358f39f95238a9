import type Database from 'better-sqlite3';
import type { Miss, MissLog, MissRecord } from '../../ports/miss-log';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS misses (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL, reason TEXT,
  offered TEXT NOT NULL, asker TEXT, via TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS misses_by_time ON misses(at);
`;

interface Row {
  at: string;
  kind: Miss['kind'];
  text: string;
  lang: string;
  reason: string | null;
  offered: string;
  asker: string | null;
  via: Miss['via'];
}

/** Missed questions in a SQLite file (`misses.sqlite` under NANSEN_DATA_DIR), shared by the bot and the CLI. */
export class SqliteMissLog implements MissLog {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path, SCHEMA);
  }

  async record(m: Miss): Promise<void> {
    this.db
      .prepare('INSERT INTO misses (at, kind, text, lang, reason, offered, asker, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.at, m.kind, m.text, m.lang, m.reason ?? null, JSON.stringify(m.offered), m.asker ?? null, m.via);
  }

  async recent(options: { limit?: number; since?: string } = {}): Promise<Miss[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 10_000));
    const rows = this.db.prepare('SELECT at, kind, text, lang, reason, offered, asker, via FROM misses WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?').all(options.since ?? '', limit) as Row[];
    return rows.map(toMiss);
  }

  /** Every miss, oldest entry first, for the move to the shared store. */
  exportRecords(): MissRecord[] {
    const rows = this.db.prepare('SELECT id, at, kind, text, lang, reason, offered, asker, via FROM misses ORDER BY id').all() as Array<Row & { id: number }>;
    return rows.map((r) => ({ id: r.id, miss: toMiss(r) }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function toMiss(r: Row): Miss {
  return {
    at: r.at,
    kind: r.kind,
    text: r.text,
    lang: r.lang,
    ...(r.reason ? { reason: r.reason } : {}),
    offered: JSON.parse(r.offered) as string[],
    ...(r.asker ? { asker: r.asker } : {}),
    via: r.via,
  };
}
