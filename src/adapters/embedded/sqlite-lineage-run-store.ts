import type Database from 'better-sqlite3';
import type { IsoTime } from '../../domain/model';
import type { TableRun } from '../../domain/runs';
import type { LineageRunRecord, LineageRunStore } from '../../ports/lineage-run-store';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lineage_events (run_id TEXT NOT NULL, event_type TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (run_id, event_type)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS table_runs (table_key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, doc TEXT NOT NULL);
`;

/**
 * The OpenLineage intake's memory in one SQLite file (`lineage.sqlite` in NANSEN_DATA_DIR, whatever the graph
 * backend, like the crawler's `crawls.sqlite`): WAL with `synchronous=FULL`, so a mark is on disk once it resolves.
 * The bot opens the same file read-mostly to show failed runs.
 */
export class SqliteLineageRunStore implements LineageRunStore {
  private db!: Database.Database;

  constructor(private readonly options: { path: string }) {}

  async init(): Promise<void> {
    this.db = openSqlite(this.options.path, SCHEMA);
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  async applied(runId: string, eventType: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM lineage_events WHERE run_id = ? AND event_type = ?').get(runId, eventType) !== undefined;
  }

  async markApplied(runId: string, eventType: string, at: IsoTime): Promise<void> {
    this.db.prepare('INSERT INTO lineage_events (run_id, event_type, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(runId, eventType, at);
  }

  async recordRuns(runs: TableRun[]): Promise<void> {
    const put = this.db.prepare(
      'INSERT INTO table_runs (table_key, at_ms, doc) VALUES (@key, @at, @doc) ON CONFLICT(table_key) DO UPDATE SET at_ms = excluded.at_ms, doc = excluded.doc WHERE excluded.at_ms >= table_runs.at_ms',
    );
    this.db.transaction(() => {
      for (const r of runs) put.run({ key: r.tableKey, at: Date.parse(r.at), doc: JSON.stringify(r) });
    })();
  }

  /** Every applied event and every table's last run, for the move to the shared store. */
  exportRecords(): LineageRunRecord[] {
    const events = this.db.prepare('SELECT run_id, event_type, at FROM lineage_events ORDER BY at, run_id, event_type').all() as Array<{ run_id: string; event_type: string; at: string }>;
    const runs = this.db.prepare('SELECT doc FROM table_runs ORDER BY table_key').all() as Array<{ doc: string }>;
    return [
      ...events.map((e): LineageRunRecord => ({ kind: 'applied', runId: e.run_id, eventType: e.event_type, at: e.at })),
      ...runs.map((r): LineageRunRecord => ({ kind: 'table_run', run: JSON.parse(r.doc) as TableRun })),
    ];
  }

  async lastRuns(tableKeys: string[]): Promise<Map<string, TableRun>> {
    const out = new Map<string, TableRun>();
    const get = this.db.prepare('SELECT doc FROM table_runs WHERE table_key = ?');
    for (const key of new Set(tableKeys)) {
      const row = get.get(key) as { doc: string } | undefined;
      if (row) out.set(key, JSON.parse(row.doc) as TableRun);
    }
    return out;
  }
}
