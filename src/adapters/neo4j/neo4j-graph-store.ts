import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import { randomUUID } from 'node:crypto';
import type pino from 'pino';
import { planEdit } from '../../domain/edits';
import { BackendUnavailableError, UserError } from '../../domain/errors';
import { columnKey } from '../../domain/keys';
import { walkLineage } from '../../domain/lineage';
import type {
  Column,
  Dashboard,
  DashboardRecord,
  EditField,
  EditLogEntry,
  EditRequest,
  EditValue,
  IsoTime,
  ReadCount,
  SchemaChange,
  Table,
  TableKind,
  TableRecord,
  User,
} from '../../domain/model';
import type { GraphStats, GraphStore, LineageDirection, TableFilter } from '../../ports/graph-store';

export interface Neo4jGraphStoreOptions {
  /** `bolt://host:port` or `neo4j://host:port`. */
  url: string;
  /** Authentication is off when no username is given. */
  username?: string;
  password?: string;
  /** The database to use; the server's default when omitted. */
  database?: string;
  logger?: pino.Logger;
  /**
   * A namespace stored as the `ks` property of every node this store writes and part of every lookup, so
   * several stores can share one Neo4j database (Community has only one) without seeing each other's data.
   * Defaults to `default`.
   */
  keyspace?: string;
  clock?: () => Date;
  /**
   * How many table batches `upsertTables` writes at once, each in its own transaction (default 3). Batches hold
   * disjoint tables; the nodes they share are made first, in one transaction.
   */
  writeConcurrency?: number;
}

/** The node labels this store writes; constants, never built from data. */
const LABELS = ['Table', 'Column', 'User', 'Dashboard', 'Edit', 'SchemaChange', 'Sequence'] as const;

/**
 * Constraints and indexes. Every unique key is composite with `ks`, which keeps keyspaces apart and is still a
 * single index seek (equality on both properties). Columns have no unique key: every statement reaches a column
 * through its table (`(:Table {ks, key})-[:HAS_COLUMN]->(:Column {key})`), whose lock also keeps writers of one
 * table's columns one after another, and the uniqueness check made the first write of a catalog about a fifth
 * slower. They keep a plain index on the same properties (`nansen_column_lookup`, as cheap to write as none),
 * for stores of earlier versions sharing the graph: their statements seek columns by key, and their attempt to
 * make the unique constraint again fails on this index, which they take for the constraint being there.
 */
const SCHEMA: string[] = [
  'CREATE CONSTRAINT nansen_table_key IF NOT EXISTS FOR (n:Table) REQUIRE (n.ks, n.key) IS UNIQUE',
  'CREATE CONSTRAINT nansen_user_id IF NOT EXISTS FOR (n:User) REQUIRE (n.ks, n.id) IS UNIQUE',
  'CREATE CONSTRAINT nansen_dashboard_key IF NOT EXISTS FOR (n:Dashboard) REQUIRE (n.ks, n.key) IS UNIQUE',
  'CREATE CONSTRAINT nansen_edit_id IF NOT EXISTS FOR (n:Edit) REQUIRE (n.ks, n.id) IS UNIQUE',
  'CREATE CONSTRAINT nansen_schema_change_id IF NOT EXISTS FOR (n:SchemaChange) REQUIRE (n.ks, n.id) IS UNIQUE',
  'CREATE CONSTRAINT nansen_sequence_name IF NOT EXISTS FOR (n:Sequence) REQUIRE (n.ks, n.name) IS UNIQUE',
  'CREATE INDEX nansen_table_source IF NOT EXISTS FOR (n:Table) ON (n.ks, n.source)',
  'CREATE INDEX nansen_dashboard_source IF NOT EXISTS FOR (n:Dashboard) ON (n.ks, n.source)',
  'CREATE INDEX nansen_user_slack IF NOT EXISTS FOR (n:User) ON (n.ks, n.slackId)',
  'CREATE INDEX nansen_edit_table IF NOT EXISTS FOR (n:Edit) ON (n.ks, n.tableKey)',
  'CREATE INDEX nansen_edit_seq IF NOT EXISTS FOR (n:Edit) ON (n.ks, n.seq)',
  'CREATE INDEX nansen_schema_change_table IF NOT EXISTS FOR (n:SchemaChange) ON (n.ks, n.tableKey)',
  'CREATE INDEX nansen_schema_change_at IF NOT EXISTS FOR (n:SchemaChange) ON (n.ks, n.at)',
  'CREATE INDEX nansen_column_lookup IF NOT EXISTS FOR (n:Column) ON (n.ks, n.key)',
];

/**
 * Schema that earlier versions made and this one no longer wants, dropped before `SCHEMA` is made; each statement
 * is idempotent (`IF EXISTS`), so any number of stores may run them at any time.
 */
const RETIRED_SCHEMA: string[] = ['DROP CONSTRAINT nansen_column_key IF EXISTS'];

/**
 * Query text with its layout squeezed out. neo4j-driver does not set TCP_NODELAY, so a request longer than its
 * 1400-byte write buffer goes out in two writes and the second waits for the server's delayed ACK (~40 ms on
 * Linux); short texts keep common requests in one write.
 */
function cypher(strings: TemplateStringsArray, ...parts: string[]): string {
  return strings.reduce((text, s, i) => text + (i > 0 ? parts[i - 1]! : '') + s, '').replace(/\s+/g, ' ').trim();
}

/** Bytes of one request (BEGIN, RUN with text and parameters, PULL) that still go out in one socket write. */
const ONE_WRITE_BYTES = 1300;

/** Most tables (and most rows in all: tables + columns + edges) one `UNWIND` statement carries. */
const MAX_TABLES_PER_BATCH = 500;
const MAX_ROWS_PER_BATCH = 10000;
/** Table batches written at once by default (each its own transaction, on disjoint tables). */
const DEFAULT_WRITE_CONCURRENCY = 3;
const MAX_ROWS_PER_SIMPLE_BATCH = 1000;

/** What a read of table `t` returns: the node and everything around it, each a list (`fetchTables` maps it). */
const TABLE_PROJECTION = cypher`
t {.*} AS t,
  COLLECT { MATCH (t)-[:HAS_COLUMN]->(c:Column)
            RETURN c {.name, .type, .position, .nullable, .sourceDescription, .humanDescription} } AS columns,
  COLLECT { MATCH (u:User)-[r:READ]->(t) RETURN {user: u.id, count: r.count} } AS readers,
  COLLECT { MATCH (u:Table)-[:FEEDS]->(t) WHERE u.placeholder IS NULL RETURN u.key } AS upstream,
  COLLECT { MATCH (t)-[:FEEDS]->(d:Table) WHERE d.placeholder IS NULL RETURN d.key } AS downstream,
  COLLECT { MATCH (d:Dashboard)-[:READS]->(t) RETURN d.key } AS dashboards`;

/**
 * What `UPSERT_TABLES` returns of table `t`: `TABLE_PROJECTION`, except that a table that had no columns before the
 * statement (`hadColumns` false) does not read back the columns it was just given: they are the row's, with no
 * human descriptions (a table without columns has none), and `upsertedTables` fills them in from the row.
 */
const UPSERTED_TABLE_PROJECTION = cypher`
t {.*} AS t, hadColumns,
  CASE WHEN hadColumns THEN COLLECT { MATCH (t)-[:HAS_COLUMN]->(c:Column)
            RETURN c {.name, .type, .position, .nullable, .sourceDescription, .humanDescription} } ELSE [] END AS columns,
  COLLECT { MATCH (u:User)-[r:READ]->(t) RETURN {user: u.id, count: r.count} } AS readers,
  COLLECT { MATCH (u:Table)-[:FEEDS]->(t) WHERE u.placeholder IS NULL RETURN u.key } AS upstream,
  COLLECT { MATCH (t)-[:FEEDS]->(d:Table) WHERE d.placeholder IS NULL RETURN d.key } AS downstream,
  COLLECT { MATCH (d:Dashboard)-[:READS]->(t) RETURN d.key } AS dashboards`;

/**
 * The nodes several table batches share (upstream tables, readers), made in one transaction before the batches
 * run side by side, so concurrent batches only match them and never race to create the same node.
 */
const MERGE_SHARED_TABLES = cypher`
UNWIND $keys AS k
MERGE (u:Table {ks: $ks, key: k})
ON CREATE SET u.placeholder = true`;

const MERGE_SHARED_USERS = cypher`
UNWIND $ids AS id
MERGE (u:User {ks: $ks, id: id})
ON CREATE SET u.placeholder = true`;

/** Links a written table `t` to its `row.upstream` tables, placeholders for those the graph does not hold yet. */
const LINK_UPSTREAM = `CALL (t, row) {
  UNWIND row.upstream AS upKey
  MERGE (u:Table {ks: $ks, key: upKey})
  ON CREATE SET u.placeholder = true
  MERGE (u)-[:FEEDS]->(t)
}`;

/** Links a written table `t` to its `row.readers` with their read counts, placeholders for unknown users. */
const LINK_READERS = `CALL (t, row) {
  UNWIND row.readers AS reader
  MERGE (u:User {ks: $ks, id: reader.user})
  ON CREATE SET u.placeholder = true
  MERGE (u)-[r:READ]->(t)
  SET r.count = reader.count
}`;

/**
 * A table without columns yet (new, or a placeholder) gets its columns with `CREATE`: a column node exists only
 * under its table (its key is the table's key and its name), so none can be there. A table with columns merges
 * them under the table. Either way the `SET` on the table locks it first and the column check follows the lock,
 * so two transactions writing one table's columns run one after the other, the second seeing the first's columns.
 */
const UPSERT_TABLES = cypher`
UNWIND $rows AS row
MERGE (t:Table {ks: $ks, key: row.key})
SET t.database = row.database, t.cluster = row.cluster, t.schema = row.schema, t.name = row.name, t.kind = row.kind,
    t.sourceDescription = row.description, t.sourceTags = row.tags, t.badges = row.badges, t.sourceOwners = row.owners,
    t.sourceDeprecated = row.deprecated, t.deprecated = coalesce(t.humanDeprecated, row.deprecated),
    t.rowCount = row.rowCount, t.sizeBytes = row.sizeBytes, t.source = row.source,
    t.removedAt = null, t.placeholder = null, t.version = coalesce(t.version, 0)
WITH t, row
CALL (t, row) {
  UNWIND coalesce(t.updates, []) + row.updates AS u
  WITH DISTINCT u ORDER BY u
  RETURN collect(u) AS updates
}
SET t.updates = updates
WITH t, row, EXISTS { (t)-[:HAS_COLUMN]->(:Column) } AS hadColumns
CALL (t, row, hadColumns) {
  WITH t, row WHERE hadColumns
  MATCH (t)-[:HAS_COLUMN]->(old:Column)
  WHERE NOT old.key IN row.columnKeys
  DETACH DELETE old
}
CALL (t, row, hadColumns) {
  WITH t, row WHERE hadColumns
  UNWIND row.columns AS c
  MERGE (t)-[:HAS_COLUMN]->(col:Column {ks: $ks, key: c.key})
  SET col.name = c.name, col.type = c.type, col.position = c.position, col.nullable = c.nullable,
      col.sourceDescription = c.description, col.tableKey = row.key
}
CALL (t, row, hadColumns) {
  WITH t, row WHERE NOT hadColumns
  UNWIND row.columns AS c
  CREATE (t)-[:HAS_COLUMN]->(:Column {ks: $ks, key: c.key, name: c.name, type: c.type, position: c.position,
      nullable: c.nullable, sourceDescription: c.description, tableKey: row.key})
}
CALL (t, row) {
  MATCH (u:Table)-[f:FEEDS]->(t)
  WHERE NOT u.key IN row.upstream
  DELETE f
}
${LINK_UPSTREAM}
CALL (t, row) {
  MATCH (u:User)-[r:READ]->(t)
  WHERE NOT u.id IN [x IN row.readers | x.user]
  DELETE r
}
${LINK_READERS}
RETURN ${UPSERTED_TABLE_PROJECTION}`;

/** Which of `$keys` the graph holds as a table node (placeholder or not): the others are new to it. */
const EXISTING_TABLE_KEYS = cypher`
UNWIND $keys AS k
MATCH (t:Table {ks: $ks, key: k})
RETURN k`;

/**
 * `UPSERT_TABLES` for tables the graph does not hold at all (not even as a placeholder): nothing to merge, replace
 * or keep, so one `CREATE` of the table and its columns, with no human fields, no old edges and no `Eager` reads.
 * Nothing can point at a table that did not exist, so it has no downstream tables and no dashboards yet; the
 * columns are the row's (`upsertedTables` fills them in). If another transaction created one of these tables
 * meanwhile, the unique constraint refuses the batch and `upsertTables` writes it again with `UPSERT_TABLES`.
 */
const CREATE_TABLES = cypher`
UNWIND $rows AS row
CREATE (t:Table {ks: $ks, key: row.key, database: row.database, cluster: row.cluster, schema: row.schema, name: row.name,
    kind: row.kind, sourceDescription: row.description, sourceTags: row.tags, badges: row.badges, sourceOwners: row.owners,
    sourceDeprecated: row.deprecated, deprecated: row.deprecated, rowCount: row.rowCount, sizeBytes: row.sizeBytes,
    source: row.source, version: 0, updates: row.updates})
WITH t, row
CALL (t, row) {
  UNWIND row.columns AS c
  CREATE (t)-[:HAS_COLUMN]->(:Column {ks: $ks, key: c.key, name: c.name, type: c.type, position: c.position,
      nullable: c.nullable, sourceDescription: c.description, tableKey: row.key})
}
${LINK_UPSTREAM}
${LINK_READERS}
RETURN t {.*} AS t, false AS hadColumns, [] AS columns, [] AS downstream, [] AS dashboards,
  COLLECT { MATCH (u:User)-[r:READ]->(t) RETURN {user: u.id, count: r.count} } AS readers,
  COLLECT { MATCH (u:Table)-[:FEEDS]->(t) WHERE u.placeholder IS NULL RETURN u.key } AS upstream`;

const UPSERT_DASHBOARDS = cypher`
UNWIND $rows AS row
MERGE (d:Dashboard {ks: $ks, key: row.key})
SET d.name = row.name, d.description = row.description, d.owners = row.owners, d.url = row.url, d.source = row.source,
    d.removedAt = null
WITH d, row
CALL (d, row) {
  MATCH (d)-[r:READS]->(t:Table)
  WHERE NOT t.key IN row.tables
  DELETE r
}
CALL (d, row) {
  UNWIND row.tables AS tableKey
  MERGE (t:Table {ks: $ks, key: tableKey})
  ON CREATE SET t.placeholder = true
  MERGE (d)-[:READS]->(t)
}`;

const UPSERT_USERS = cypher`
UNWIND $rows AS row
MERGE (u:User {ks: $ks, id: row.id})
SET u.name = row.name, u.email = row.email, u.slackId = row.slackId, u.team = row.team, u.placeholder = null`;

const RECORD_LOADS = cypher`
UNWIND $rows AS row
MERGE (t:Table {ks: $ks, key: row.key})
ON CREATE SET t.placeholder = true
WITH t, row
CALL (t, row) {
  UNWIND coalesce(t.updates, []) + row.updates AS u
  WITH DISTINCT u ORDER BY u
  RETURN collect(u) AS updates
}
SET t.updates = updates`;

const MARK_REMOVED = cypher`
UNWIND $keys AS k
CALL (k) {
  MATCH (t:Table {ks: $ks, key: k})
  WHERE t.placeholder IS NULL
  SET t.removedAt = $at
}
CALL (k) {
  MATCH (d:Dashboard {ks: $ks, key: k})
  SET d.removedAt = $at
}`;

/** One statement for any number of tables: the table and everything around it, each a list. */
const GET_TABLES = cypher`
UNWIND $keys AS k
MATCH (t:Table {ks: $ks, key: k})
WHERE t.placeholder IS NULL
RETURN ${TABLE_PROJECTION}`;

const GET_DASHBOARDS = cypher`
UNWIND $keys AS k
MATCH (d:Dashboard {ks: $ks, key: k})
RETURN d {.key, .name, .description, .owners, .url, .source, .removedAt} AS d,
  COLLECT { MATCH (d)-[:READS]->(t:Table) RETURN t.key } AS tables`;

/** Locks the table (the `_lock` write) before reading it, so concurrent edits of one table serialise. */
const LOCK_TABLE_FOR_EDIT = cypher`
MATCH (t:Table {ks: $ks, key: $key})
WHERE t.placeholder IS NULL
SET t._lock = true
RETURN t {.*} AS t,
  COLLECT { MATCH (t)-[:HAS_COLUMN]->(c:Column)
            RETURN c {.name, .type, .position, .nullable, .sourceDescription, .humanDescription} } AS columns`;

const WRITE_EDIT = cypher`
MATCH (t:Table {ks: $ks, key: $key})
SET t.humanDescription = $human.description, t.humanTags = $human.tags, t.humanOwners = $human.owners,
    t.humanDeprecated = $human.deprecated, t.deprecated = $human.effectiveDeprecated, t.version = $version
REMOVE t._lock
WITH t
CALL (t) {
  MATCH (t)-[:HAS_COLUMN]->(c:Column {ks: $ks, key: $columnKey})
  SET c.humanDescription = $columnDescription
}
MERGE (s:Sequence {ks: $ks, name: 'edit'})
ON CREATE SET s.value = 0
SET s._lock = true
WITH t, s
SET s.value = s.value + 1
REMOVE s._lock
CREATE (e:Edit {ks: $ks, id: $edit.id, seq: s.value, tableKey: $edit.tableKey, field: $edit.field, oldValue: $edit.oldValue,
                newValue: $edit.newValue, actor: $edit.actor, at: $edit.at, revertOf: $edit.revertOf})
CREATE (e)-[:EDITS]->(t)`;

/** `applyEdits`: locks every table of the batch (as LOCK_TABLE_FOR_EDIT does one) and reads it. */
const LOCK_TABLES_FOR_EDIT = cypher`
UNWIND $keys AS k
MATCH (t:Table {ks: $ks, key: k})
WHERE t.placeholder IS NULL
SET t._lock = true
RETURN t {.*} AS t,
  COLLECT { MATCH (t)-[:HAS_COLUMN]->(c:Column)
            RETURN c {.name, .type, .position, .nullable, .sourceDescription, .humanDescription} } AS columns`;

/**
 * Write transactions move the store's change token through this many sequences, taking them in turn, so that writes
 * in flight at once rarely wait for each other's commit.
 */
const CHANGE_SLOTS = 8;

/**
 * Every write transaction's last statement: moves one of the change sequences. Taken last, its lock is held only
 * while the transaction commits, and no transaction waits for another lock while it holds it.
 */
const MOVE_CHANGE_TOKEN = cypher`
MERGE (s:Sequence {ks: $ks, name: $name})
ON CREATE SET s.value = 0, s.epoch = randomUUID()
SET s.value = s.value + 1`;

/** The change sequences; an epoch tells a sequence created again (after `clear`) from the one before. */
const READ_CHANGE_TOKEN = cypher`
MATCH (s:Sequence {ks: $ks})
WHERE s.name STARTS WITH 'changes:'
RETURN s.name AS name, s.epoch AS epoch, s.value AS value
ORDER BY name`;

/** `applyEdits`: takes `$n` consecutive edit sequence numbers; returns the one before the first. */
const TAKE_EDIT_SEQUENCE = cypher`
MERGE (s:Sequence {ks: $ks, name: 'edit'})
ON CREATE SET s.value = 0
SET s._lock = true
WITH s, s.value AS base
SET s.value = base + $n
REMOVE s._lock
RETURN base`;

/** `applyEdits`: each edited table's human fields and version as the batch left them. */
const WRITE_EDITED_TABLES = cypher`
UNWIND $rows AS row
MATCH (t:Table {ks: $ks, key: row.key})
SET t.humanDescription = row.description, t.humanTags = row.tags, t.humanOwners = row.owners,
    t.humanDeprecated = row.deprecated, t.deprecated = row.effectiveDeprecated, t.version = row.version
REMOVE t._lock`;

const WRITE_EDITED_COLUMNS = cypher`
UNWIND $rows AS row
MATCH (:Table {ks: $ks, key: row.tableKey})-[:HAS_COLUMN]->(c:Column {key: row.key})
SET c.humanDescription = row.description`;

const CREATE_EDITS = cypher`
UNWIND $rows AS row
MATCH (t:Table {ks: $ks, key: row.tableKey})
CREATE (e:Edit {ks: $ks, id: row.id, seq: $base + row.offset, tableKey: row.tableKey, field: row.field, oldValue: row.oldValue,
                newValue: row.newValue, actor: row.actor, at: row.at, revertOf: row.revertOf})
CREATE (e)-[:EDITS]->(t)`;

const EDIT_FIELDS = 'e {.id, .tableKey, .field, .oldValue, .newValue, .actor, .at, .revertOf} AS edit';

const STATS = cypher`
CALL () {
  MATCH (t:Table {ks: $ks})
  WHERE t.placeholder IS NULL AND t.removedAt IS NULL
  RETURN count(t) AS tables, sum(COUNT { (t)-[:HAS_COLUMN]->() }) AS columns
}
CALL () {
  MATCH (u:User {ks: $ks})
  WHERE u.placeholder IS NULL
  RETURN count(u) AS users
}
CALL () {
  MATCH (d:Dashboard {ks: $ks})
  WHERE d.removedAt IS NULL
  RETURN count(d) AS dashboards
}
RETURN tables, columns, users, dashboards`;

/** Properties of a stored table node as they come back (`t {.*}`); neo4j stores no nulls, so absent is undefined. */
interface TableNode {
  key: string;
  database?: string;
  cluster?: string;
  schema?: string;
  name?: string;
  kind?: string;
  sourceDescription?: string;
  humanDescription?: string;
  sourceTags?: string[];
  humanTags?: string[];
  badges?: string[];
  sourceOwners?: string[];
  humanOwners?: string[];
  sourceDeprecated?: boolean;
  humanDeprecated?: boolean;
  deprecated?: boolean;
  rowCount?: number;
  sizeBytes?: number;
  source?: string;
  removedAt?: string;
  version?: number;
  updates?: string[];
}

interface ColumnNode {
  name: string;
  type: string;
  position: number;
  nullable: boolean | null;
  sourceDescription: string | null;
  humanDescription: string | null;
}

type EditableTable = Omit<Table, 'upstream' | 'downstream' | 'dashboards' | 'updates'>;

/**
 * The Neo4j `GraphStore`: Cypher through neo4j-driver, writes in managed transactions batched with `UNWIND`,
 * every value a parameter. The graph is Amundsen-shaped: `(:Table)-[:HAS_COLUMN]->(:Column)`,
 * `(:User)-[:READ {count}]->(:Table)`, `(:Table)-[:FEEDS]->(:Table)` (upstream feeds downstream),
 * `(:Dashboard)-[:READS]->(:Table)`, `(:Edit)-[:EDITS]->(:Table)` and `(:SchemaChange)` nodes. Owners are kept as
 * properties (source and human lists). An edge to a table or user not stored yet goes to a placeholder node
 * (`placeholder: true`, only a key), which no read returns until a real record arrives.
 */
export class Neo4jGraphStore implements GraphStore {
  private driver: Driver | undefined;
  private readonly ks: string;
  /** The change sequence this store moved last; each write moves the next (the first chosen at random, so processes spread). */
  private changeSlot = Math.floor(Math.random() * CHANGE_SLOTS);
  private readonly clock: () => Date;

  constructor(private readonly options: Neo4jGraphStoreOptions) {
    this.ks = options.keyspace ?? 'default';
    this.clock = options.clock ?? (() => new Date());
  }

  /** The keyspace this store reads and writes. */
  get keyspace(): string {
    return this.ks;
  }

  async init(): Promise<void> {
    if (!this.driver) {
      const { url, username, password } = this.options;
      let driver: Driver;
      try {
        driver = neo4j.driver(url, username ? neo4j.auth.basic(username, password ?? '') : undefined, {
          disableLosslessIntegers: true,
          connectionTimeout: 5_000,
          connectionAcquisitionTimeout: 30_000,
          maxTransactionRetryTime: 15_000,
          userAgent: 'nansen',
        });
      } catch (e) {
        throw new BackendUnavailableError('neo4j', url, e);
      }
      try {
        await driver.verifyConnectivity(this.options.database ? { database: this.options.database } : {});
      } catch (e) {
        await driver.close().catch(() => undefined);
        throw new BackendUnavailableError('neo4j', url, conciseCause(e));
      }
      this.driver = driver;
    }
    await this.createSchema();
    this.options.logger?.debug({ url: this.options.url, keyspace: this.ks }, 'neo4j graph store ready');
  }

  async close(): Promise<void> {
    const driver = this.driver;
    this.driver = undefined;
    await driver?.close();
  }

  /**
   * Moves with every committed write of any process (each write transaction moves one of its sequences as its last
   * statement). With no sequence yet (a store only ever written by older versions, or just cleared) every call gives a new token, so a
   * reader keeps nothing until a write creates one.
   */
  async changeToken(): Promise<string> {
    const session = this.session('READ');
    try {
      const rows = (await session.run(READ_CHANGE_TOKEN, { ks: this.ks })).records;
      return rows.length ? rows.map((r) => `${String(r.get('epoch'))}:${String(r.get('value'))}`).join(',') : `none:${randomUUID()}`;
    } catch (e) {
      throw this.translate(e);
    } finally {
      await session.close();
    }
  }

  /** Deletes every node of this store's keyspace (tests and tools); the schema stays. */
  async clear(): Promise<void> {
    for (const label of LABELS) {
      // `CALL ... IN TRANSACTIONS` needs an auto-commit transaction; the label comes from the constant list above.
      const session = this.session('WRITE');
      try {
        await session.run(`MATCH (n:${label} {ks: $ks}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, { ks: this.ks });
      } catch (e) {
        throw this.translate(e);
      } finally {
        await session.close();
      }
    }
  }

  async upsertUsers(users: User[]): Promise<void> {
    const rows = lastPerKey(users, (_, later) => later, (u) => u.id).map((u) => ({ id: u.id, name: u.name, email: u.email ?? null, slackId: u.slackId ?? null, team: u.team ?? null }));
    for (const batch of chunk(rows, MAX_ROWS_PER_SIMPLE_BATCH)) {
      await this.write((tx) => tx.run(UPSERT_USERS, { ks: this.ks, rows: batch }));
    }
  }

  /**
   * Batches of at most `MAX_TABLES_PER_BATCH` tables (`MAX_ROWS_PER_BATCH` rows), one `UNWIND` statement each,
   * `writeConcurrency` of them at once. Each statement returns its tables as stored, so no read-back follows; the
   * lineage between tables of different batches is settled here, as a read after the last batch would see it.
   */
  async upsertTables(records: TableRecord[]): Promise<Table[]> {
    const rows = lastPerKey(records.map(tableRow), (earlier, later) => ({
      ...later,
      updates: [...new Set([...earlier.updates, ...later.updates])].sort(),
    }));
    if (!rows.length) return [];
    const lanes = Math.max(1, this.options.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY);
    const batches = balancedChunks(rows, MAX_TABLES_PER_BATCH, MAX_ROWS_PER_BATCH, lanes, (r) => 1 + r.columns.length + r.upstream.length + r.readers.length);
    const concurrency = Math.min(lanes, batches.length);
    if (concurrency > 1) {
      const sharedTables = [...new Set(rows.flatMap((r) => r.upstream))].sort();
      const sharedUsers = [...new Set(rows.flatMap((r) => r.readers.map((x) => x.user)))].sort();
      if (sharedTables.length || sharedUsers.length) {
        await this.write(async (tx) => {
          for (const keys of chunk(sharedTables, MAX_ROWS_PER_BATCH)) await tx.run(MERGE_SHARED_TABLES, { ks: this.ks, keys });
          for (const ids of chunk(sharedUsers, MAX_ROWS_PER_BATCH)) await tx.run(MERGE_SHARED_USERS, { ks: this.ks, ids });
        });
      }
    }
    const written = await mapConcurrently(batches, concurrency, (batch) => this.writeTableBatch(batch));
    return settleLineage(written.flat(), rows);
  }

  /**
   * One batch in one transaction: the tables the graph does not hold yet with `CREATE_TABLES`, the others with
   * `UPSERT_TABLES`. A table created by another transaction between the check and the write makes the unique
   * constraint refuse the batch; it is then written again, all of it with `UPSERT_TABLES`.
   */
  private async writeTableBatch(batch: TableRow[]): Promise<Table[]> {
    try {
      return await this.write(async (tx) => {
        const existing = new Set((await tx.run(EXISTING_TABLE_KEYS, { ks: this.ks, keys: batch.map((r) => r.key) })).records.map((r) => r.get('k') as string));
        const fresh = batch.filter((r) => !existing.has(r.key));
        const known = batch.filter((r) => existing.has(r.key));
        return [...(fresh.length ? await this.fetchTables(tx, fresh, CREATE_TABLES) : []), ...(known.length ? await this.fetchTables(tx, known, UPSERT_TABLES) : [])];
      });
    } catch (e) {
      if (!isConstraintViolation(e)) throw e;
      this.options.logger?.debug({ keyspace: this.ks, tables: batch.length }, 'a new table appeared meanwhile: batch written again with merges');
      return this.write((tx) => this.fetchTables(tx, batch, UPSERT_TABLES));
    }
  }

  async upsertDashboards(records: DashboardRecord[]): Promise<void> {
    const rows = lastPerKey(records, (_, later) => later).map((r) => ({
      key: r.key,
      name: r.name,
      description: r.description ?? null,
      owners: r.owners ?? [],
      url: r.url ?? null,
      source: r.source ?? null,
      tables: [...new Set(r.tables ?? [])],
    }));
    for (const batch of weightedChunks(rows, MAX_TABLES_PER_BATCH, MAX_ROWS_PER_BATCH, (r) => 1 + r.tables.length)) {
      await this.write((tx) => tx.run(UPSERT_DASHBOARDS, { ks: this.ks, rows: batch }));
    }
  }

  async recordLoads(loads: Array<{ tableKey: string; at: IsoTime }>): Promise<void> {
    const byTable = new Map<string, Set<string>>();
    for (const l of loads) {
      const set = byTable.get(l.tableKey) ?? new Set<string>();
      set.add(normalizeTime(l.at));
      byTable.set(l.tableKey, set);
    }
    const rows = [...byTable].map(([key, ats]) => ({ key, updates: [...ats].sort() }));
    for (const batch of weightedChunks(rows, MAX_ROWS_PER_SIMPLE_BATCH, MAX_ROWS_PER_BATCH, (r) => 1 + r.updates.length)) {
      await this.write((tx) => tx.run(RECORD_LOADS, { ks: this.ks, rows: batch }));
    }
  }

  async markRemoved(keys: string[], at: IsoTime): Promise<void> {
    for (const batch of chunk([...new Set(keys)], MAX_ROWS_PER_SIMPLE_BATCH)) {
      await this.write((tx) => tx.run(MARK_REMOVED, { ks: this.ks, keys: batch, at }));
    }
  }

  async getTable(key: string): Promise<Table | undefined> {
    return (await this.getTables([key]))[0];
  }

  /**
   * One statement for all keys, unless the keys would make the request too long for one socket write (see
   * `cypher`): then statements of fewer keys each, run side by side, which is faster than one stalled request.
   */
  async getTables(keys: string[]): Promise<Table[]> {
    const unique = [...new Set(keys)];
    if (!unique.length) return [];
    const groups = groupByBytes(unique, ONE_WRITE_BYTES - Buffer.byteLength(GET_TABLES) - Buffer.byteLength(this.ks));
    if (groups.length === 1) return this.read((tx) => this.fetchTables(tx, unique));
    const parts = await Promise.all(groups.map((group) => this.read((tx) => this.fetchTables(tx, group))));
    return parts.flat();
  }

  async getDashboard(key: string): Promise<Dashboard | undefined> {
    return (await this.getDashboards([key]))[0];
  }

  async getDashboards(keys: string[]): Promise<Dashboard[]> {
    const unique = [...new Set(keys)];
    if (!unique.length) return [];
    const res = await this.read((tx) => tx.run(GET_DASHBOARDS, { ks: this.ks, keys: unique }));
    return res.records.map((r) => {
      const d = r.get('d') as Record<string, unknown>;
      return compact<Dashboard>({
        key: d.key as string,
        name: d.name as string,
        description: d.description ?? undefined,
        owners: (d.owners as string[] | null) ?? [],
        tables: [...(r.get('tables') as string[])].sort(),
        url: d.url ?? undefined,
        source: d.source ?? undefined,
        removedAt: d.removedAt ?? undefined,
      });
    });
  }

  async getUsers(ids: string[]): Promise<User[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const res = await this.read((tx) =>
      tx.run(
        'UNWIND $ids AS id MATCH (u:User {ks: $ks, id: id}) WHERE u.placeholder IS NULL RETURN u {.id, .name, .email, .slackId, .team} AS u',
        { ks: this.ks, ids: unique },
      ),
    );
    const found = new Map(res.records.map((r) => {
      const u = toUser(r.get('u') as Record<string, unknown>);
      return [u.id, u] as const;
    }));
    return unique.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }

  async getUserBySlackId(slackId: string): Promise<User | undefined> {
    const res = await this.read((tx) =>
      tx.run(
        'MATCH (u:User {ks: $ks, slackId: $slackId}) WHERE u.placeholder IS NULL RETURN u {.id, .name, .email, .slackId, .team} AS u ORDER BY u.id LIMIT 1',
        { ks: this.ks, slackId },
      ),
    );
    const rec = res.records[0];
    return rec ? toUser(rec.get('u') as Record<string, unknown>) : undefined;
  }

  async listUsers(): Promise<User[]> {
    const res = await this.read((tx) =>
      tx.run('MATCH (u:User {ks: $ks}) WHERE u.placeholder IS NULL RETURN u {.id, .name, .email, .slackId, .team} AS u ORDER BY u.id', { ks: this.ks }),
    );
    return res.records.map((r) => toUser(r.get('u') as Record<string, unknown>));
  }

  async tablesOfPerson(userId: string): Promise<{ owned: string[]; read: Array<{ table: string; count: number }> }> {
    const [owned, read] = await Promise.all([
      this.read((tx) =>
        tx.run(
          'MATCH (t:Table {ks: $ks}) WHERE t.placeholder IS NULL AND t.removedAt IS NULL AND $id IN coalesce(t.humanOwners, t.sourceOwners, []) RETURN t.key AS key ORDER BY key',
          { ks: this.ks, id: userId },
        ),
      ),
      this.read((tx) =>
        tx.run(
          'MATCH (u:User {ks: $ks, id: $id})-[r:READ]->(t:Table) WHERE t.placeholder IS NULL AND t.removedAt IS NULL RETURN t.key AS key, r.count AS count ORDER BY count DESC, key',
          { ks: this.ks, id: userId },
        ),
      ),
    ]);
    return {
      owned: owned.records.map((r) => r.get('key') as string),
      read: read.records.map((r) => ({ table: r.get('key') as string, count: Number(r.get('count')) })),
    };
  }

  async listTableKeys(filter: TableFilter = {}): Promise<string[]> {
    const query = filter.source !== undefined
      ? 'MATCH (t:Table {ks: $ks, source: $source}) WHERE t.placeholder IS NULL AND ($includeRemoved OR t.removedAt IS NULL) RETURN t.key AS key ORDER BY key'
      : 'MATCH (t:Table {ks: $ks}) WHERE t.placeholder IS NULL AND ($includeRemoved OR t.removedAt IS NULL) RETURN t.key AS key ORDER BY key';
    const res = await this.read((tx) => tx.run(query, { ks: this.ks, source: filter.source ?? null, includeRemoved: filter.includeRemoved ?? false }));
    return res.records.map((r) => r.get('key') as string);
  }

  async listDashboardKeys(filter: TableFilter = {}): Promise<string[]> {
    const query = filter.source !== undefined
      ? 'MATCH (d:Dashboard {ks: $ks, source: $source}) WHERE $includeRemoved OR d.removedAt IS NULL RETURN d.key AS key ORDER BY key'
      : 'MATCH (d:Dashboard {ks: $ks}) WHERE $includeRemoved OR d.removedAt IS NULL RETURN d.key AS key ORDER BY key';
    const res = await this.read((tx) => tx.run(query, { ks: this.ks, source: filter.source ?? null, includeRemoved: filter.includeRemoved ?? false }));
    return res.records.map((r) => r.get('key') as string);
  }

  /**
   * Breadth-first, one parameterised statement per hop inside one read transaction: variable-length patterns
   * need their bounds in the query text, and a hop-by-hop walk never enumerates paths.
   */
  async lineage(key: string, direction: LineageDirection, depth = 1): Promise<string[]> {
    const step = direction === 'upstream'
      ? cypher`UNWIND range(0, size($frontier) - 1) AS i
         MATCH (:Table {ks: $ks, key: $frontier[i]})<-[:FEEDS]-(n:Table)
         WHERE n.placeholder IS NULL
         RETURN i, n.key AS key ORDER BY i, key`
      : cypher`UNWIND range(0, size($frontier) - 1) AS i
         MATCH (:Table {ks: $ks, key: $frontier[i]})-[:FEEDS]->(n:Table)
         WHERE n.placeholder IS NULL
         RETURN i, n.key AS key ORDER BY i, key`;
    return this.read((tx) =>
      walkLineage(key, depth, async (frontier) => (await tx.run(step, { ks: this.ks, frontier })).records.map((r) => r.get('key') as string)),
    );
  }

  async applyEdit(request: EditRequest): Promise<{ entry: EditLogEntry; table: Table }> {
    return this.write(async (tx) => {
      const locked = await tx.run(LOCK_TABLE_FOR_EDIT, { ks: this.ks, key: request.tableKey });
      const rec = locked.records[0];
      if (!rec) throw new UserError('unknown_table', `There is no table ${request.tableKey}.`, { tableKey: request.tableKey });
      const node = rec.get('t') as TableNode;
      const stored = toEditableTable(node, rec.get('columns') as ColumnNode[]);
      const { updated, entry } = planEdit(stored, request, { id: randomUUID(), at: this.clock().toISOString() }, effectiveDeprecated(node));
      const column = request.field.kind === 'column_description' ? request.field.column : undefined;
      await tx.run(WRITE_EDIT, {
        ks: this.ks,
        key: request.tableKey,
        version: neo4j.int(updated.version),
        human: {
          description: updated.humanDescription ?? null,
          tags: updated.humanTags ?? null,
          owners: updated.humanOwners ?? null,
          deprecated: updated.humanDeprecated ?? null,
          effectiveDeprecated: updated.deprecated,
        },
        columnKey: column !== undefined ? columnKey(request.tableKey, column) : null,
        columnDescription: column !== undefined ? (updated.columns.find((c) => c.name === column)?.humanDescription ?? null) : null,
        edit: {
          id: entry.id,
          tableKey: entry.tableKey,
          field: JSON.stringify(entry.field),
          oldValue: JSON.stringify(entry.oldValue),
          newValue: JSON.stringify(entry.newValue),
          actor: entry.actor,
          at: entry.at,
          revertOf: entry.revertOf ?? null,
        },
      });
      const [table] = await this.fetchTables(tx, [request.tableKey]);
      return { entry, table: table! };
    });
  }

  /**
   * `applyEdit` for many requests in one transaction of five statements, however many requests: lock and read the
   * tables, apply the requests in order in memory (versions checked as each would be), then write the tables'
   * human fields, the edited columns, and the log entries with consecutive sequence numbers.
   */
  async applyEdits(requests: EditRequest[]): Promise<EditLogEntry[]> {
    if (!requests.length) return [];
    return this.write(async (tx) => {
      const keys = [...new Set(requests.map((r) => r.tableKey))];
      const locked = await tx.run(LOCK_TABLES_FOR_EDIT, { ks: this.ks, keys });
      const tables = new Map<string, { node: TableNode; table: EditableTable }>();
      for (const rec of locked.records) {
        const node = rec.get('t') as TableNode;
        tables.set(node.key, { node, table: toEditableTable(node, rec.get('columns') as ColumnNode[]) });
      }
      const columns = new Map<string, { tableKey: string; column: string }>();
      const entries: EditLogEntry[] = requests.map((request) => {
        const held = tables.get(request.tableKey);
        if (!held) throw new UserError('unknown_table', `There is no table ${request.tableKey}.`, { tableKey: request.tableKey });
        const { updated, entry } = planEdit(held.table, request, { id: randomUUID(), at: this.clock().toISOString() }, effectiveDeprecated(held.node));
        held.table = updated;
        if (request.field.kind === 'column_description') columns.set(columnKey(request.tableKey, request.field.column), { tableKey: request.tableKey, column: request.field.column });
        return entry;
      });
      const base = (await tx.run(TAKE_EDIT_SEQUENCE, { ks: this.ks, n: neo4j.int(entries.length) })).records[0]!.get('base') as number;
      const tableRows = keys.map((key) => {
        const t = tables.get(key)!.table;
        return {
          key,
          description: t.humanDescription ?? null,
          tags: t.humanTags ?? null,
          owners: t.humanOwners ?? null,
          deprecated: t.humanDeprecated ?? null,
          effectiveDeprecated: t.deprecated,
          version: neo4j.int(t.version),
        };
      });
      await tx.run(WRITE_EDITED_TABLES, { ks: this.ks, rows: tableRows });
      const columnRows = [...columns].map(([key, c]) => ({
        key,
        tableKey: c.tableKey,
        description: tables.get(c.tableKey)!.table.columns.find((col) => col.name === c.column)?.humanDescription ?? null,
      }));
      if (columnRows.length) await tx.run(WRITE_EDITED_COLUMNS, { ks: this.ks, rows: columnRows });
      const editRows = entries.map((e, i) => ({
        offset: neo4j.int(i + 1),
        id: e.id,
        tableKey: e.tableKey,
        field: JSON.stringify(e.field),
        oldValue: JSON.stringify(e.oldValue),
        newValue: JSON.stringify(e.newValue),
        actor: e.actor,
        at: e.at,
        revertOf: e.revertOf ?? null,
      }));
      for (const rows of chunk(editRows, MAX_ROWS_PER_BATCH)) await tx.run(CREATE_EDITS, { ks: this.ks, base: neo4j.int(base), rows });
      return entries;
    });
  }

  async editLog(tableKey: string, limit = 100): Promise<EditLogEntry[]> {
    const res = await this.read((tx) =>
      tx.run(`MATCH (e:Edit {ks: $ks, tableKey: $tableKey}) RETURN ${EDIT_FIELDS} ORDER BY e.seq DESC LIMIT $limit`, {
        ks: this.ks,
        tableKey,
        limit: neo4j.int(limit),
      }),
    );
    return res.records.map((r) => toEdit(r.get('edit') as Record<string, unknown>));
  }

  async getEdit(id: string): Promise<EditLogEntry | undefined> {
    const res = await this.read((tx) => tx.run(`MATCH (e:Edit {ks: $ks, id: $id}) RETURN ${EDIT_FIELDS}`, { ks: this.ks, id }));
    const rec = res.records[0];
    return rec ? toEdit(rec.get('edit') as Record<string, unknown>) : undefined;
  }

  async recentEdits(limit: number): Promise<EditLogEntry[]> {
    const res = await this.read((tx) =>
      tx.run(`MATCH (e:Edit {ks: $ks}) WHERE e.seq IS NOT NULL RETURN ${EDIT_FIELDS} ORDER BY e.seq DESC LIMIT $limit`, {
        ks: this.ks,
        limit: neo4j.int(limit),
      }),
    );
    return res.records.map((r) => toEdit(r.get('edit') as Record<string, unknown>));
  }

  async recordSchemaChanges(changes: SchemaChange[]): Promise<void> {
    const rows = changes.map((c) => ({
      id: c.id,
      props: {
        id: c.id,
        source: c.source,
        crawlId: c.crawlId,
        at: c.at,
        tableKey: c.tableKey,
        kind: c.kind,
        column: c.column ?? null,
        oldValue: c.oldValue ?? null,
        newValue: c.newValue ?? null,
      },
    }));
    for (const batch of chunk(rows, MAX_ROWS_PER_SIMPLE_BATCH)) {
      await this.write((tx) =>
        tx.run('UNWIND $rows AS row MERGE (s:SchemaChange {ks: $ks, id: row.id}) ON CREATE SET s += row.props', { ks: this.ks, rows: batch }),
      );
    }
  }

  async recentSchemaChanges(options: { tableKey?: string; limit: number }): Promise<SchemaChange[]> {
    const fields = 's {.id, .source, .crawlId, .at, .tableKey, .kind, .column, .oldValue, .newValue} AS change';
    const query = options.tableKey !== undefined
      ? `MATCH (s:SchemaChange {ks: $ks, tableKey: $tableKey}) RETURN ${fields} ORDER BY s.at DESC, s.id DESC LIMIT $limit`
      : `MATCH (s:SchemaChange {ks: $ks}) WHERE s.at IS NOT NULL RETURN ${fields} ORDER BY s.at DESC, s.id DESC LIMIT $limit`;
    const res = await this.read((tx) => tx.run(query, { ks: this.ks, tableKey: options.tableKey ?? null, limit: neo4j.int(options.limit) }));
    return res.records.map((r) => compact<SchemaChange>(nullsToUndefined(r.get('change') as Record<string, unknown>)));
  }

  async stats(): Promise<GraphStats> {
    const res = await this.read((tx) => tx.run(STATS, { ks: this.ks }));
    const r = res.records[0]!;
    return {
      tables: (r.get('tables') as number) ?? 0,
      columns: (r.get('columns') as number) ?? 0,
      users: (r.get('users') as number) ?? 0,
      dashboards: (r.get('dashboards') as number) ?? 0,
    };
  }

  /** Runs `GET_TABLES` for `keys`, or `UPSERT_TABLES` / `CREATE_TABLES` for `rows` (which return the same projection, with `hadColumns`). */
  private async fetchTables(tx: ManagedTransaction, keys: string[]): Promise<Table[]>;
  private async fetchTables(tx: ManagedTransaction, rows: TableRow[], statement: typeof UPSERT_TABLES | typeof CREATE_TABLES): Promise<Table[]>;
  private async fetchTables(tx: ManagedTransaction, keysOrRows: string[] | TableRow[], statement?: string): Promise<Table[]> {
    const upserted = statement !== undefined;
    const res = upserted ? await tx.run(statement, { ks: this.ks, rows: keysOrRows }) : await tx.run(GET_TABLES, { ks: this.ks, keys: keysOrRows });
    const rowByKey = upserted ? new Map((keysOrRows as TableRow[]).map((row) => [row.key, row])) : undefined;
    return res.records.map((r) => {
      const node = r.get('t') as TableNode;
      const given = rowByKey && r.get('hadColumns') === false ? rowByKey.get(node.key) : undefined;
      const stored = toEditableTable(node, given ? columnNodesOf(given) : (r.get('columns') as ColumnNode[]));
      const readers = (r.get('readers') as ReadCount[]).sort((a, b) => b.count - a.count || compareText(a.user, b.user));
      return {
        ...stored,
        readers,
        upstream: (r.get('upstream') as string[]).sort(compareText),
        downstream: (r.get('downstream') as string[]).sort(compareText),
        dashboards: (r.get('dashboards') as string[]).sort(compareText),
        updates: [...(node.updates ?? [])].sort(compareText),
      };
    });
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    if (!this.driver) throw new Error('Neo4jGraphStore used before init() or after close()');
    return this.driver.session({
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(this.options.database ? { database: this.options.database } : {}),
    });
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('READ');
    try {
      return await session.executeRead(work);
    } catch (e) {
      throw this.translate(e);
    } finally {
      await session.close();
    }
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('WRITE');
    const slot = (this.changeSlot = (this.changeSlot + 1) % CHANGE_SLOTS);
    try {
      return await session.executeWrite(async (tx) => {
        const out = await work(tx);
        await tx.run(MOVE_CHANGE_TOKEN, { ks: this.ks, name: `changes:${slot}` });
        return out;
      });
    } catch (e) {
      throw this.translate(e);
    } finally {
      await session.close();
    }
  }

  private translate(e: unknown): unknown {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ServiceUnavailable' || code === 'SessionExpired') return new BackendUnavailableError('neo4j', this.options.url, conciseCause(e));
    return e;
  }

  private async createSchema(): Promise<void> {
    for (const statement of [...RETIRED_SCHEMA, ...SCHEMA]) await this.runSchemaStatement(statement);
    const session = this.session('READ');
    try {
      await session.run('CALL db.awaitIndexes(300)');
    } catch (e) {
      throw this.translate(e);
    } finally {
      await session.close();
    }
  }

  /** One schema statement, done once whichever store gets there first; a transient failure is tried again. */
  private async runSchemaStatement(statement: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const session = this.session('WRITE');
      try {
        await session.run(statement);
        return;
      } catch (e) {
        const code = String((e as { code?: unknown }).code ?? '');
        // Another store creating (or dropping) the same constraint at the same moment.
        if (/AlreadyExists|DropFailed|NotFound/.test(code)) return;
        if (attempt < 5 && (/TransientError|ServiceUnavailable/.test(code) || /Deadlock/i.test(code))) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        throw this.translate(e);
      } finally {
        await session.close();
      }
    }
  }

}

type TableRow = ReturnType<typeof tableRow>;

/**
 * The tables one `upsertTables` call returns, as a read after its last batch would see them: a batch that ran
 * before another saw that batch's tables as placeholders (left out of its lineage) and their old upstream edges.
 */
function settleLineage(tables: Table[], rows: TableRow[]): Table[] {
  const written = new Set(rows.map((r) => r.key));
  const feeds = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const up of r.upstream) {
      const down = feeds.get(up) ?? new Set<string>();
      down.add(r.key);
      feeds.set(up, down);
    }
  }
  const upstreamOf = new Map(rows.map((r) => [r.key, r.upstream]));
  return tables.map((t) => {
    const upstream = new Set(t.upstream);
    for (const up of upstreamOf.get(t.key) ?? []) if (written.has(up)) upstream.add(up);
    const downstream = new Set(t.downstream.filter((d) => !written.has(d)));
    for (const d of feeds.get(t.key) ?? []) downstream.add(d);
    return { ...t, upstream: [...upstream].sort(compareText), downstream: [...downstream].sort(compareText) };
  });
}

/** Runs `work` over `items`, at most `limit` at once; results in the order of `items`. */
async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** The parameter row of one table record: everything `UPSERT_TABLES` reads, with nulls for absent values. */
function tableRow(record: TableRecord) {
  const columns = record.columns.map((c, i) => ({
    key: columnKey(record.key, c.name),
    name: c.name,
    type: c.type,
    position: integer(c.position ?? i),
    nullable: c.nullable ?? null,
    description: c.description ? c.description : null,
  }));
  return {
    key: record.key,
    database: record.database,
    cluster: record.cluster,
    schema: record.schema,
    name: record.name,
    kind: record.kind ?? 'table',
    description: record.description ? record.description : null,
    tags: record.tags ?? [],
    badges: record.badges ?? [],
    owners: record.owners ?? [],
    deprecated: record.deprecated ?? false,
    rowCount: record.rowCount !== undefined ? integer(record.rowCount) : null,
    sizeBytes: record.sizeBytes !== undefined ? integer(record.sizeBytes) : null,
    source: record.source ?? null,
    updates: [...new Set((record.updates ?? []).map(normalizeTime))].sort(),
    columns,
    columnKeys: columns.map((c) => c.key),
    upstream: [...new Set(record.upstream ?? [])],
    readers: (record.readers ?? []).map((r) => ({ user: r.user, count: integer(r.count) })),
  };
}

/** The column nodes `UPSERT_TABLES` creates for a table that had none: the row's columns, no human descriptions. */
function columnNodesOf(row: TableRow): ColumnNode[] {
  return row.columns.map((c) => ({
    name: c.name,
    type: c.type,
    position: typeof c.position === 'number' ? c.position : c.position.toNumber(),
    nullable: c.nullable,
    sourceDescription: c.description,
    humanDescription: null,
  }));
}

/** A table's effective `deprecated` after an edit: the human flag over the source's. */
function effectiveDeprecated(node: TableNode): (updated: EditableTable) => void {
  return (updated) => {
    updated.deprecated = updated.humanDeprecated ?? node.sourceDeprecated ?? false;
  };
}

function toEditableTable(node: TableNode, columnNodes: ColumnNode[]): EditableTable {
  const columns: Column[] = columnNodes
    .map((c) =>
      compact<Column>({
        name: c.name,
        type: c.type,
        position: c.position,
        nullable: c.nullable ?? undefined,
        sourceDescription: c.sourceDescription ?? undefined,
        humanDescription: c.humanDescription ?? undefined,
      }),
    )
    .sort((a, b) => a.position - b.position || compareText(a.name, b.name));
  return compact<EditableTable>({
    key: node.key,
    database: node.database ?? '',
    cluster: node.cluster ?? '',
    schema: node.schema ?? '',
    name: node.name ?? '',
    kind: (node.kind ?? 'table') as TableKind,
    sourceDescription: node.sourceDescription,
    humanDescription: node.humanDescription,
    sourceTags: node.sourceTags ?? [],
    humanTags: node.humanTags,
    badges: node.badges ?? [],
    sourceOwners: node.sourceOwners ?? [],
    humanOwners: node.humanOwners,
    columns,
    readers: [],
    deprecated: node.humanDeprecated ?? node.sourceDeprecated ?? node.deprecated ?? false,
    humanDeprecated: node.humanDeprecated,
    rowCount: node.rowCount,
    sizeBytes: node.sizeBytes,
    source: node.source,
    removedAt: node.removedAt,
    version: node.version ?? 0,
  });
}

function toUser(u: Record<string, unknown>): User {
  return compact<User>(nullsToUndefined(u) as unknown as User);
}

function toEdit(e: Record<string, unknown>): EditLogEntry {
  return compact<EditLogEntry>({
    id: e.id as string,
    tableKey: e.tableKey as string,
    field: JSON.parse(e.field as string) as EditField,
    oldValue: JSON.parse(e.oldValue as string) as EditValue,
    newValue: JSON.parse(e.newValue as string) as EditValue,
    actor: e.actor as string,
    at: e.at as string,
    revertOf: (e.revertOf as string | null) ?? undefined,
  });
}

/** Drops properties whose value is undefined, so results compare equal to objects built without them. */
function compact<T>(o: { [K in keyof T]?: unknown }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function nullsToUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Whole numbers go to Neo4j as integers (a JS number would be stored as a float). */
function integer(n: number) {
  return Number.isSafeInteger(n) ? neo4j.int(n) : n;
}

/** A write the server refused because it would break a uniqueness constraint. */
function isConstraintViolation(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'Neo.ClientError.Schema.ConstraintValidationFailed';
}

/**
 * The driver's connection errors carry a paragraph of advice before the real reason (`Caused by: connect
 * ECONNREFUSED ...`); keep just the reason, with the driver's error as its cause.
 */
function conciseCause(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const reason = /Caused by: (.+)$/s.exec(e.message)?.[1]?.trim();
  return reason ? new Error(reason, { cause: e }) : e;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO times compare as text only in one form; loads are stored as `Date#toISOString` without zero milliseconds. */
function normalizeTime(at: IsoTime): IsoTime {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new UserError('bad_time', `"${at}" is not an ISO time`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * One row per key, as if the rows were written one after another (`merge` folds a later row into an earlier one),
 * so a statement never sees a key twice.
 */
function lastPerKey<T>(rows: T[], merge: (earlier: T, later: T) => T, keyOf: (row: T) => string = (row) => (row as { key: string }).key): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row);
    const earlier = byKey.get(key);
    byKey.set(key, earlier === undefined ? row : merge(earlier, row));
  }
  return [...byKey.values()];
}

/** Splits keys into groups whose encoded size stays within `budget` bytes (a key longer than that goes alone). */
function groupByBytes(keys: string[], budget: number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const key of keys) {
    const bytes = Buffer.byteLength(key) + 3;
    if (current.length && size + bytes > budget) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(key);
    size += bytes;
  }
  if (current.length) out.push(current);
  return out;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Splits rows into batches of at most `maxItems` rows and (unless one row alone is heavier) `maxWeight` weight, of
 * about equal weight, and into at least `minBatches` when there are that many rows: `writeConcurrency` lanes then
 * each get a full share instead of two full batches and a small remainder.
 */
function balancedChunks<T>(items: T[], maxItems: number, maxWeight: number, minBatches: number, weight: (item: T) => number): T[][] {
  if (!items.length) return [];
  const weights = items.map(weight);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const batches = Math.min(items.length, Math.max(minBatches, Math.ceil(items.length / maxItems), Math.ceil(total / maxWeight)));
  // one item's weight of slack, so rounding never leaves a batch of one item over
  const share = Math.ceil(total / batches) + weights.reduce((max, w) => Math.max(max, w), 0);
  return weightedChunks(items, Math.min(maxItems, Math.ceil(items.length / batches)), Math.min(maxWeight, share), weight);
}

/** Splits rows into batches of at most `maxItems` rows and (unless one row alone is heavier) `maxWeight` weight. */
function weightedChunks<T>(items: T[], maxItems: number, maxWeight: number, weight: (item: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let load = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length && (current.length >= maxItems || load + w > maxWeight)) {
      out.push(current);
      current = [];
      load = 0;
    }
    current.push(item);
    load += w;
  }
  if (current.length) out.push(current);
  return out;
}
