import type {
  Dashboard,
  DashboardRecord,
  EditLogEntry,
  EditRequest,
  IsoTime,
  SchemaChange,
  Table,
  TableRecord,
  User,
} from '../domain/model';

/** Which tables to list. */
export interface TableFilter {
  /** Only tables last published by this source. */
  source?: string;
  /** Include tables marked removed (default false). */
  includeRemoved?: boolean;
}

export type LineageDirection = 'upstream' | 'downstream';

/** Counts of what the store holds (tables and dashboards not removed). */
export interface GraphStats {
  tables: number;
  columns: number;
  users: number;
  dashboards: number;
}

/**
 * The metadata graph: tables, columns, users, dashboards and the edges between them (ownership, reads,
 * lineage, dashboard→table), plus load history, the human edit log and observed schema changes.
 *
 * Contract (checked by `test/contract/graph-store.contract.ts` against every adapter):
 * - writes are durable once their promise resolves;
 * - `upsertTables` replaces what the *source* said (description, tags, owners, columns' source descriptions,
 *   readers, upstream edges of the record's table, badges, deprecation) and merges load history; it never
 *   touches human fields (`humanDescription`, `humanTags`, `humanOwners`, columns' `humanDescription`) and it
 *   clears `removedAt`; a column's human description survives as long as the column keeps its name;
 * - upstream keys that name no stored table are kept as edges and resolve once that table arrives;
 * - `applyEdit` is atomic: it checks `expectedVersion` against the table's `version` (throwing
 *   `EditConflictError` on mismatch), writes the field, bumps `version` and appends the edit log entry, all
 *   or nothing; an unknown table is a `UserError` with code `unknown_table`;
 * - `applyEdits` is several `applyEdit`s in order as one atomic step: each request's `expectedVersion` is checked
 *   against the version the earlier requests of the batch left, every request bumps the version and gets its own
 *   log entry (in request order, newest last), and any conflict or error writes none of them;
 * - `markRemoved` is a soft delete: the table stays readable by `getTable`, is left out of `listTableKeys` unless
 *   `includeRemoved`, and comes back when a source publishes it again;
 * - `recordSchemaChanges` is idempotent by change id;
 * - all values are passed as parameters, never spliced into query text.
 */
export interface GraphStore {
  /** Creates schema, constraints and indexes if missing; idempotent. */
  init(): Promise<void>;
  /** Closes the driver or file; the store is unusable afterwards. */
  close(): Promise<void>;

  /** Creates or replaces users by id. */
  upsertUsers(users: User[]): Promise<void>;
  /**
   * Creates or replaces what the source says of tables, never their human fields (see the contract above), and
   * returns the written tables as `getTables` would return them right after (human fields, edges and load history
   * included), so a publish need not read them back.
   */
  upsertTables(records: TableRecord[]): Promise<Table[]>;
  /** Creates or replaces dashboards and their edges to tables. */
  upsertDashboards(records: DashboardRecord[]): Promise<void>;
  /** Appends observed load times (deduplicated) to tables' load histories. */
  recordLoads(loads: Array<{ tableKey: string; at: IsoTime }>): Promise<void>;
  /** Soft-deletes tables (and dashboards, by key). */
  markRemoved(keys: string[], at: IsoTime): Promise<void>;

  /** One table with its columns, edges and history, removed ones included; undefined when unknown. */
  getTable(key: string): Promise<Table | undefined>;
  /** Several tables at once, in no particular order; unknown keys are left out. */
  getTables(keys: string[]): Promise<Table[]>;
  /**
   * A token that changes whenever anything in the store changes, written by this process or another: a reader may
   * keep what it derived from tables and dashboards while the token stays the same. Left out by a store that
   * cannot tell cheaply (then nothing is kept).
   */
  changeToken?(): Promise<string>;
  /** One dashboard, or undefined. */
  getDashboard(key: string): Promise<Dashboard | undefined>;
  /** Several dashboards at once, in no particular order; unknown keys are left out. */
  getDashboards(keys: string[]): Promise<Dashboard[]>;
  /** Users by id, in no particular order; unknown ids are left out. */
  getUsers(ids: string[]): Promise<User[]>;
  /** The catalog user with this Slack id, if any. */
  getUserBySlackId(slackId: string): Promise<User | undefined>;
  /** Every user, by id: people are named in questions ("what does Hana Cho own?"). */
  listUsers(): Promise<User[]>;
  /** The tables (not removed) a person owns, by key, and those they read, most reads first. */
  tablesOfPerson(userId: string): Promise<{ owned: string[]; read: Array<{ table: string; count: number }> }>;
  /** Keys of tables, removed ones only when asked. */
  listTableKeys(filter?: TableFilter): Promise<string[]>;
  /** Keys of dashboards, removed ones only when asked. */
  listDashboardKeys(filter?: TableFilter): Promise<string[]>;
  /** Tables reachable along lineage in one direction, nearest first, up to `depth` hops (default 1). */
  lineage(key: string, direction: LineageDirection, depth?: number): Promise<string[]>;

  /** Applies a person's edit atomically, checking the table's version: the log entry and the table after it. */
  applyEdit(request: EditRequest): Promise<{ entry: EditLogEntry; table: Table }>;
  /**
   * Applies several edits in one atomic step, in order (a later edit of a table sees the earlier ones): each as
   * `applyEdit` would, all or nothing. The log entries, in request order. For bulk writers such as a migration.
   */
  applyEdits(requests: EditRequest[]): Promise<EditLogEntry[]>;
  /** A table's edits, newest first. */
  editLog(tableKey: string, limit?: number): Promise<EditLogEntry[]>;
  /** One edit log entry (to revert it), or undefined. */
  getEdit(id: string): Promise<EditLogEntry | undefined>;
  /** Edits across all tables, newest first. */
  recentEdits(limit: number): Promise<EditLogEntry[]>;

  /** Keeps observed schema changes; a change id seen before is ignored. */
  recordSchemaChanges(changes: SchemaChange[]): Promise<void>;
  /** Schema changes, newest first, optionally of one table. */
  recentSchemaChanges(options: { tableKey?: string; limit: number }): Promise<SchemaChange[]>;

  /** How much the store holds. */
  stats(): Promise<GraphStats>;
}
