import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { UserError } from '../../domain/errors';
import type {
  Column,
  Dashboard,
  DashboardRecord,
  EditLogEntry,
  EditRequest,
  IsoTime,
  SchemaChange,
  Table,
  TableRecord,
  User,
} from '../../domain/model';
import type { GraphStats, GraphStore, LineageDirection, TableFilter } from '../../ports/graph-store';
import { planEdit } from '../../domain/edits';
import { walkLineage } from '../../domain/lineage';
import { openSqlite } from './sqlite';

/** What the `tables` row stores as JSON: the table without the edges and history kept in their own tables. */
type StoredTable = Omit<Table, 'upstream' | 'downstream' | 'dashboards' | 'updates'>;
type StoredDashboard = Omit<Dashboard, 'tables'>;

export interface SqliteGraphStoreOptions {
  /** A file path, or `:memory:` for a throw-away store. */
  path: string;
  clock?: () => Date;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, slack_id TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS users_by_slack ON users(slack_id);
CREATE TABLE IF NOT EXISTS tables (key TEXT PRIMARY KEY, source TEXT, removed_at TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tables_by_source ON tables(source);
CREATE TABLE IF NOT EXISTS lineage (upstream TEXT NOT NULL, downstream TEXT NOT NULL, PRIMARY KEY (upstream, downstream)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lineage_by_downstream ON lineage(downstream, upstream);
CREATE TABLE IF NOT EXISTS loads (table_key TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (table_key, at)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dashboards (key TEXT PRIMARY KEY, source TEXT, removed_at TEXT, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dashboard_tables (dashboard TEXT NOT NULL, table_key TEXT NOT NULL, PRIMARY KEY (dashboard, table_key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dashboard_tables_by_table ON dashboard_tables(table_key, dashboard);
CREATE TABLE IF NOT EXISTS edits (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, table_key TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edits_by_table ON edits(table_key, seq);
CREATE TABLE IF NOT EXISTS schema_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, table_key TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS schema_changes_by_table ON schema_changes(table_key, at);
CREATE INDEX IF NOT EXISTS schema_changes_by_at ON schema_changes(at);
`;

/** A row of a batched edge read: the value `k` of the table `of`. */
interface KeyedRow {
  of: string;
  k: string;
}

/** Batched edge rows grouped by their table, each group in the rows' order. */
function groupedBy(rows: KeyedRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const group = out.get(r.of);
    if (group) group.push(r.k);
    else out.set(r.of, [r.k]);
  }
  return out;
}

/**
 * The embedded `GraphStore`: one SQLite file through better-sqlite3, in WAL mode with `synchronous=FULL`, so a
 * write is on disk once its promise resolves. Nodes are JSON documents; edges and load history are tables.
 */
export class SqliteGraphStore implements GraphStore {
  private db!: Database.Database;
  private readonly clock: () => Date;
  private tableReads?: Record<'docs' | 'ups' | 'downs' | 'dashes' | 'loads', Database.Statement>;
  private tokenReads?: Record<'others' | 'ours', Database.Statement>;

  constructor(private readonly options: SqliteGraphStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async init(): Promise<void> {
    this.db = openSqlite(this.options.path, SCHEMA);
    this.tableReads = undefined;
    this.tokenReads = undefined;
  }

  /** Other connections' commits move SQLite's `data_version`; this connection's own writes move `total_changes()`. */
  async changeToken(): Promise<string> {
    const q = (this.tokenReads ??= { others: this.db.prepare('PRAGMA data_version').pluck(), ours: this.db.prepare('SELECT total_changes()').pluck() });
    return `${String(q.others.get())}:${String(q.ours.get())}`;
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  async upsertUsers(users: User[]): Promise<void> {
    const put = this.db.prepare('INSERT INTO users (id, slack_id, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET slack_id = excluded.slack_id, doc = excluded.doc');
    this.db.transaction(() => {
      for (const u of users) put.run(u.id, u.slackId ?? null, JSON.stringify(u));
    })();
  }

  async upsertTables(records: TableRecord[]): Promise<Table[]> {
    const get = this.db.prepare('SELECT doc FROM tables WHERE key = ?');
    const put = this.db.prepare('INSERT INTO tables (key, source, removed_at, doc) VALUES (?, ?, NULL, ?) ON CONFLICT(key) DO UPDATE SET source = excluded.source, removed_at = NULL, doc = excluded.doc');
    const clearUpstream = this.db.prepare('DELETE FROM lineage WHERE downstream = ?');
    const addEdge = this.db.prepare('INSERT OR IGNORE INTO lineage (upstream, downstream) VALUES (?, ?)');
    const addLoad = this.db.prepare('INSERT OR IGNORE INTO loads (table_key, at) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const record of records) {
        const row = get.get(record.key) as { doc: string } | undefined;
        const previous = row ? (JSON.parse(row.doc) as StoredTable) : undefined;
        put.run(record.key, record.source ?? null, JSON.stringify(mergeRecord(record, previous)));
        clearUpstream.run(record.key);
        for (const up of record.upstream ?? []) addEdge.run(up, record.key);
        for (const at of record.updates ?? []) addLoad.run(record.key, normalizeTime(at));
      }
    })();
    return this.getTables(records.map((r) => r.key));
  }

  async upsertDashboards(records: DashboardRecord[]): Promise<void> {
    const put = this.db.prepare('INSERT INTO dashboards (key, source, removed_at, doc) VALUES (?, ?, NULL, ?) ON CONFLICT(key) DO UPDATE SET source = excluded.source, removed_at = NULL, doc = excluded.doc');
    const clear = this.db.prepare('DELETE FROM dashboard_tables WHERE dashboard = ?');
    const link = this.db.prepare('INSERT OR IGNORE INTO dashboard_tables (dashboard, table_key) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const r of records) {
        const doc: StoredDashboard = { key: r.key, name: r.name, description: r.description, owners: r.owners ?? [], url: r.url, source: r.source };
        put.run(r.key, r.source ?? null, JSON.stringify(doc));
        clear.run(r.key);
        for (const t of r.tables ?? []) link.run(r.key, t);
      }
    })();
  }

  async recordLoads(loads: Array<{ tableKey: string; at: IsoTime }>): Promise<void> {
    const addLoad = this.db.prepare('INSERT OR IGNORE INTO loads (table_key, at) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const l of loads) addLoad.run(l.tableKey, normalizeTime(l.at));
    })();
  }

  async markRemoved(keys: string[], at: IsoTime): Promise<void> {
    const t = this.db.prepare('UPDATE tables SET removed_at = ?, doc = json_set(doc, \'$.removedAt\', ?) WHERE key = ?');
    const d = this.db.prepare('UPDATE dashboards SET removed_at = ?, doc = json_set(doc, \'$.removedAt\', ?) WHERE key = ?');
    this.db.transaction(() => {
      for (const key of keys) {
        t.run(at, at, key);
        d.run(at, at, key);
      }
    })();
  }

  async getTable(key: string): Promise<Table | undefined> {
    return (await this.getTables([key]))[0];
  }

  /**
   * Five statements for any number of keys (the keys go in as one JSON array), in one read transaction so the
   * documents and their edges come from the same snapshot (it was four statements per key).
   */
  async getTables(keys: string[]): Promise<Table[]> {
    const unique = [...new Set(keys)];
    if (!unique.length) return [];
    const q = (this.tableReads ??= {
      docs: this.db.prepare('SELECT key, doc FROM tables WHERE key IN (SELECT value FROM json_each(?))'),
      ups: this.db.prepare('SELECT l.downstream AS of, l.upstream AS k FROM lineage l JOIN tables t ON t.key = l.upstream WHERE l.downstream IN (SELECT value FROM json_each(?)) ORDER BY l.downstream, l.upstream'),
      downs: this.db.prepare('SELECT l.upstream AS of, l.downstream AS k FROM lineage l JOIN tables t ON t.key = l.downstream WHERE l.upstream IN (SELECT value FROM json_each(?)) ORDER BY l.upstream, l.downstream'),
      dashes: this.db.prepare('SELECT dt.table_key AS of, dt.dashboard AS k FROM dashboard_tables dt JOIN dashboards d ON d.key = dt.dashboard WHERE dt.table_key IN (SELECT value FROM json_each(?)) ORDER BY dt.table_key, dt.dashboard'),
      loads: this.db.prepare('SELECT table_key AS of, at AS k FROM loads WHERE table_key IN (SELECT value FROM json_each(?)) ORDER BY table_key, at'),
    });
    const json = JSON.stringify(unique);
    return this.db.transaction((): Table[] => {
      const docs = new Map((q.docs.all(json) as Array<{ key: string; doc: string }>).map((r) => [r.key, r.doc]));
      const ups = groupedBy(q.ups.all(json) as KeyedRow[]);
      const downs = groupedBy(q.downs.all(json) as KeyedRow[]);
      const dashes = groupedBy(q.dashes.all(json) as KeyedRow[]);
      const loads = groupedBy(q.loads.all(json) as KeyedRow[]);
      const out: Table[] = [];
      for (const key of unique) {
        const doc = docs.get(key);
        if (doc === undefined) continue;
        const stored = JSON.parse(doc) as StoredTable;
        out.push({ ...stored, upstream: ups.get(key) ?? [], downstream: downs.get(key) ?? [], dashboards: dashes.get(key) ?? [], updates: loads.get(key) ?? [] });
      }
      return out;
    })();
  }

  async getDashboard(key: string): Promise<Dashboard | undefined> {
    return (await this.getDashboards([key]))[0];
  }

  async getDashboards(keys: string[]): Promise<Dashboard[]> {
    const get = this.db.prepare('SELECT doc FROM dashboards WHERE key = ?');
    const tables = this.db.prepare('SELECT table_key AS k FROM dashboard_tables WHERE dashboard = ? ORDER BY table_key');
    const out: Dashboard[] = [];
    for (const key of new Set(keys)) {
      const row = get.get(key) as { doc: string } | undefined;
      if (!row) continue;
      out.push({ ...(JSON.parse(row.doc) as StoredDashboard), tables: (tables.all(key) as Array<{ k: string }>).map((r) => r.k) });
    }
    return out;
  }

  async getUsers(ids: string[]): Promise<User[]> {
    const get = this.db.prepare('SELECT doc FROM users WHERE id = ?');
    return [...new Set(ids)].flatMap((id) => {
      const row = get.get(id) as { doc: string } | undefined;
      return row ? [JSON.parse(row.doc) as User] : [];
    });
  }

  async getUserBySlackId(slackId: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT doc FROM users WHERE slack_id = ?').get(slackId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as User) : undefined;
  }

  async listUsers(): Promise<User[]> {
    return (this.db.prepare('SELECT doc FROM users ORDER BY id').all() as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as User);
  }

  async tablesOfPerson(userId: string): Promise<{ owned: string[]; read: Array<{ table: string; count: number }> }> {
    const owned = this.db
      .prepare(
        `SELECT key FROM tables WHERE removed_at IS NULL
           AND EXISTS (SELECT 1 FROM json_each(coalesce(json_extract(doc, '$.humanOwners'), json_extract(doc, '$.sourceOwners'))) WHERE value = ?)
         ORDER BY key`,
      )
      .all(userId) as Array<{ key: string }>;
    const read = this.db
      .prepare(
        `SELECT t.key AS tableKey, json_extract(r.value, '$.count') AS count FROM tables t, json_each(t.doc, '$.readers') r
         WHERE t.removed_at IS NULL AND json_extract(r.value, '$.user') = ? ORDER BY count DESC, t.key`,
      )
      .all(userId) as Array<{ tableKey: string; count: number }>;
    return { owned: owned.map((r) => r.key), read: read.map((r) => ({ table: r.tableKey, count: Number(r.count) })) };
  }

  async listTableKeys(filter: TableFilter = {}): Promise<string[]> {
    return this.listKeys('tables', filter);
  }

  async listDashboardKeys(filter: TableFilter = {}): Promise<string[]> {
    return this.listKeys('dashboards', filter);
  }

  private listKeys(from: 'tables' | 'dashboards', filter: TableFilter): string[] {
    const where: string[] = [];
    const params: string[] = [];
    if (!filter.includeRemoved) where.push('removed_at IS NULL');
    if (filter.source !== undefined) {
      where.push('source = ?');
      params.push(filter.source);
    }
    const sql = `SELECT key FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY key`;
    return (this.db.prepare(sql).all(...params) as Array<{ key: string }>).map((r) => r.key);
  }

  async lineage(key: string, direction: LineageDirection, depth = 1): Promise<string[]> {
    const step = direction === 'upstream'
      ? this.db.prepare('SELECT l.upstream AS k FROM lineage l JOIN tables t ON t.key = l.upstream WHERE l.downstream = ? ORDER BY l.upstream')
      : this.db.prepare('SELECT l.downstream AS k FROM lineage l JOIN tables t ON t.key = l.downstream WHERE l.upstream = ? ORDER BY l.downstream');
    return walkLineage(key, depth, async (frontier) => frontier.flatMap((k) => (step.all(k) as Array<{ k: string }>).map((r) => r.k)));
  }

  async applyEdit(request: EditRequest): Promise<{ entry: EditLogEntry; table: Table }> {
    const entry = this.db.transaction((): EditLogEntry => this.editInTransaction(request))();
    const table = await this.getTable(request.tableKey);
    return { entry, table: table! };
  }

  async applyEdits(requests: EditRequest[]): Promise<EditLogEntry[]> {
    if (!requests.length) return [];
    return this.db.transaction((): EditLogEntry[] => requests.map((r) => this.editInTransaction(r)))();
  }

  /** One edit, inside the caller's transaction. */
  private editInTransaction(request: EditRequest): EditLogEntry {
    const row = this.db.prepare('SELECT doc FROM tables WHERE key = ?').get(request.tableKey) as { doc: string } | undefined;
    if (!row) throw new UserError('unknown_table', `There is no table ${request.tableKey}.`, { tableKey: request.tableKey });
    const stored = JSON.parse(row.doc) as StoredTable;
    const { updated, entry: logged } = planEdit(stored, request, { id: randomUUID(), at: this.clock().toISOString() });
    this.db.prepare('UPDATE tables SET doc = ? WHERE key = ?').run(JSON.stringify(updated), request.tableKey);
    this.db.prepare('INSERT INTO edits (id, table_key, doc) VALUES (?, ?, ?)').run(logged.id, logged.tableKey, JSON.stringify(logged));
    return logged;
  }

  async editLog(tableKey: string, limit = 100): Promise<EditLogEntry[]> {
    const rows = this.db.prepare('SELECT doc FROM edits WHERE table_key = ? ORDER BY seq DESC LIMIT ?').all(tableKey, limit) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as EditLogEntry);
  }

  async getEdit(id: string): Promise<EditLogEntry | undefined> {
    const row = this.db.prepare('SELECT doc FROM edits WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as EditLogEntry) : undefined;
  }

  async recentEdits(limit: number): Promise<EditLogEntry[]> {
    const rows = this.db.prepare('SELECT doc FROM edits ORDER BY seq DESC LIMIT ?').all(limit) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as EditLogEntry);
  }

  async recordSchemaChanges(changes: SchemaChange[]): Promise<void> {
    const put = this.db.prepare('INSERT OR IGNORE INTO schema_changes (id, table_key, at, doc) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const c of changes) put.run(c.id, c.tableKey, c.at, JSON.stringify(c));
    })();
  }

  async recentSchemaChanges(options: { tableKey?: string; limit: number }): Promise<SchemaChange[]> {
    const rows = (options.tableKey !== undefined
      ? this.db.prepare('SELECT doc FROM schema_changes WHERE table_key = ? ORDER BY at DESC, seq DESC LIMIT ?').all(options.tableKey, options.limit)
      : this.db.prepare('SELECT doc FROM schema_changes ORDER BY at DESC, seq DESC LIMIT ?').all(options.limit)) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as SchemaChange);
  }

  async stats(): Promise<GraphStats> {
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      tables: one('SELECT count(*) AS n FROM tables WHERE removed_at IS NULL'),
      columns: one("SELECT coalesce(sum(json_array_length(doc, '$.columns')), 0) AS n FROM tables WHERE removed_at IS NULL"),
      users: one('SELECT count(*) AS n FROM users'),
      dashboards: one('SELECT count(*) AS n FROM dashboards WHERE removed_at IS NULL'),
    };
  }
}

/** ISO times compare as text only in one form; loads are stored as `Date#toISOString`. */
function normalizeTime(at: IsoTime): IsoTime {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new UserError('bad_time', `"${at}" is not an ISO time`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Writes a source record over the stored table, keeping everything people set. */
function mergeRecord(record: TableRecord, previous: StoredTable | undefined): StoredTable {
  const humanColumnDescriptions = new Map((previous?.columns ?? []).filter((c) => c.humanDescription !== undefined).map((c) => [c.name, c.humanDescription]));
  const columns: Column[] = record.columns.map((c, i) => {
    const human = humanColumnDescriptions.get(c.name);
    return {
      name: c.name,
      type: c.type,
      position: c.position ?? i,
      ...(c.nullable !== undefined ? { nullable: c.nullable } : {}),
      ...(c.description ? { sourceDescription: c.description } : {}),
      ...(human !== undefined ? { humanDescription: human } : {}),
    };
  });
  return {
    key: record.key,
    database: record.database,
    cluster: record.cluster,
    schema: record.schema,
    name: record.name,
    kind: record.kind ?? 'table',
    ...(record.description ? { sourceDescription: record.description } : {}),
    ...(previous?.humanDescription !== undefined ? { humanDescription: previous.humanDescription } : {}),
    sourceTags: record.tags ?? [],
    ...(previous?.humanTags !== undefined ? { humanTags: previous.humanTags } : {}),
    badges: record.badges ?? [],
    sourceOwners: record.owners ?? [],
    ...(previous?.humanOwners !== undefined ? { humanOwners: previous.humanOwners } : {}),
    columns,
    readers: [...(record.readers ?? [])].sort((a, b) => b.count - a.count || a.user.localeCompare(b.user)),
    deprecated: previous?.humanDeprecated ?? record.deprecated ?? false,
    sourceDeprecated: record.deprecated ?? false,
    ...(previous?.humanDeprecated !== undefined ? { humanDeprecated: previous.humanDeprecated } : {}),
    ...(record.rowCount !== undefined ? { rowCount: record.rowCount } : {}),
    ...(record.sizeBytes !== undefined ? { sizeBytes: record.sizeBytes } : {}),
    ...(record.source !== undefined ? { source: record.source } : {}),
    version: previous?.version ?? 0,
  };
}
