/**
 * A Hive metastore for tests: the official schema script of `org.apache.hive:hive-standalone-metastore` 3.1.3
 * (from Maven Central, cached under NANSEN_SERVICES_DIR/cache/hive), run into a MariaDB database of its own, and
 * filled the way the metastore service fills it (DataNucleus ids, SDS/CDS/SERDES per table and partition,
 * TABLE_PARAMS and PARTITION_PARAMS with `transient_lastDdlTime`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { createMysqlDatabase } from './servers';

const VERSION = '3.1.3';
const SCRIPT = 'hive-schema-3.1.0.mysql.sql';
const IN_TARBALL = `apache-hive-metastore-${VERSION}-src/src/main/sql/mysql/${SCRIPT}`;
const TARBALL = `hive-standalone-metastore-${VERSION}-src.tar.gz`;
const CENTRAL = `https://repo1.maven.org/maven2/org/apache/hive/hive-standalone-metastore/${VERSION}/${TARBALL}`;

/** The MySQL schema script of the Hive metastore, downloaded once from Maven Central and cached. */
export function hiveSchemaScript(): string {
  const cache = join(process.env.NANSEN_SERVICES_DIR ?? '/tmp/nansen-services', 'cache', 'hive');
  const script = join(cache, SCRIPT);
  if (!existsSync(script)) {
    mkdirSync(cache, { recursive: true });
    const m2 = join(homedir(), '.m2', 'repository', 'org', 'apache', 'hive', 'hive-standalone-metastore', VERSION, TARBALL);
    const tarball = existsSync(m2) ? m2 : join(cache, TARBALL);
    if (!existsSync(tarball)) execFileSync('curl', ['-sSfL', '--retry', '3', '-o', tarball, CENTRAL], { stdio: 'inherit', timeout: 120_000 });
    execFileSync('tar', ['-xzf', tarball, '-C', cache, '--strip-components', '5', IN_TARBALL], { timeout: 60_000 });
  }
  return readFileSync(script, 'utf8');
}

export interface HiveColumn {
  name: string;
  type: string;
  comment?: string;
}

export interface HiveTable {
  db: string;
  name: string;
  owner?: string;
  type?: 'MANAGED_TABLE' | 'EXTERNAL_TABLE' | 'VIRTUAL_VIEW';
  columns: HiveColumn[];
  partitionKeys?: HiveColumn[];
  params?: Record<string, string>;
  createTime: number;
  viewText?: string;
}

const MODEL = 'org.apache.hadoop.hive.metastore.model.';

/** Writes metastore rows as the Hive metastore service (DataNucleus) does. */
export class HiveMetastoreWriter {
  private readonly next = new Map<string, number>();
  private readonly tables = new Map<string, { tblId: number; cdId: number; serdeId: number; keys: string[] }>();
  private readonly dbs = new Map<string, number>();

  constructor(readonly conn: mysql.Connection) {}

  private async id(model: string): Promise<number> {
    const n = this.next.get(model) ?? 1;
    this.next.set(model, n + 1);
    await this.conn.query('INSERT INTO SEQUENCE_TABLE (SEQUENCE_NAME, NEXT_VAL) VALUES (?, ?) ON DUPLICATE KEY UPDATE NEXT_VAL = VALUES(NEXT_VAL)', [MODEL + model, n + 1]);
    return n;
  }

  async createDatabase(name: string, options: { desc?: string; owner?: string } = {}): Promise<void> {
    const id = await this.id('MDatabase');
    await this.conn.query('INSERT INTO DBS (DB_ID, `DESC`, DB_LOCATION_URI, NAME, OWNER_NAME, OWNER_TYPE, CTLG_NAME) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      id,
      options.desc ?? null,
      `hdfs://nn:8020/warehouse/tablespace/managed/hive/${name}.db`,
      name,
      options.owner ?? 'hive',
      'USER',
      'hive',
    ]);
    this.dbs.set(name, id);
  }

  private async storage(cdId: number, location: string): Promise<{ sdId: number; serdeId: number }> {
    const serdeId = await this.id('MSerDeInfo');
    await this.conn.query('INSERT INTO SERDES (SERDE_ID, NAME, SLIB) VALUES (?, NULL, ?)', [serdeId, 'org.apache.hadoop.hive.ql.io.orc.OrcSerde']);
    const sdId = await this.id('MStorageDescriptor');
    await this.conn.query(
      'INSERT INTO SDS (SD_ID, CD_ID, INPUT_FORMAT, IS_COMPRESSED, IS_STOREDASSUBDIRECTORIES, LOCATION, NUM_BUCKETS, OUTPUT_FORMAT, SERDE_ID) VALUES (?, ?, ?, 0, 0, ?, -1, ?, ?)',
      [sdId, cdId, 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat', location, 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat', serdeId],
    );
    return { sdId, serdeId };
  }

  async createTable(t: HiveTable): Promise<void> {
    const dbId = this.dbs.get(t.db);
    if (dbId === undefined) throw new Error(`no database ${t.db}`);
    const cdId = await this.id('MColumnDescriptor');
    await this.conn.query('INSERT INTO CDS (CD_ID) VALUES (?)', [cdId]);
    for (const [i, c] of t.columns.entries()) {
      await this.conn.query('INSERT INTO COLUMNS_V2 (CD_ID, COMMENT, COLUMN_NAME, TYPE_NAME, INTEGER_IDX) VALUES (?, ?, ?, ?, ?)', [cdId, c.comment ?? null, c.name, c.type, i]);
    }
    const location = `hdfs://nn:8020/warehouse/tablespace/managed/hive/${t.db}.db/${t.name}`;
    const { sdId, serdeId } = await this.storage(cdId, location);
    const tblId = await this.id('MTable');
    const type = t.type ?? 'MANAGED_TABLE';
    await this.conn.query(
      'INSERT INTO TBLS (TBL_ID, CREATE_TIME, DB_ID, LAST_ACCESS_TIME, OWNER, OWNER_TYPE, RETENTION, SD_ID, TBL_NAME, TBL_TYPE, VIEW_EXPANDED_TEXT, VIEW_ORIGINAL_TEXT, IS_REWRITE_ENABLED) VALUES (?, ?, ?, 0, ?, ?, 0, ?, ?, ?, ?, ?, 0)',
      [tblId, t.createTime, dbId, t.owner ?? 'hive', 'USER', sdId, t.name, type, t.viewText ?? null, t.viewText ?? null],
    );
    const params: Record<string, string> = { transient_lastDdlTime: String(t.createTime), ...(type === 'EXTERNAL_TABLE' ? { EXTERNAL: 'TRUE' } : {}), ...(t.params ?? {}) };
    for (const [k, v] of Object.entries(params)) await this.conn.query('INSERT INTO TABLE_PARAMS (TBL_ID, PARAM_KEY, PARAM_VALUE) VALUES (?, ?, ?)', [tblId, k, v]);
    for (const [i, k] of (t.partitionKeys ?? []).entries()) {
      await this.conn.query('INSERT INTO PARTITION_KEYS (TBL_ID, PKEY_COMMENT, PKEY_NAME, PKEY_TYPE, INTEGER_IDX) VALUES (?, ?, ?, ?, ?)', [tblId, k.comment ?? null, k.name, k.type, i]);
    }
    this.tables.set(`${t.db}.${t.name}`, { tblId, cdId, serdeId, keys: (t.partitionKeys ?? []).map((k) => k.name) });
  }

  /** `ALTER TABLE ... ADD PARTITION`: the partition's own SD over the table's columns, its key values and params. */
  async addPartition(db: string, table: string, values: string[], createTime: number): Promise<void> {
    const t = this.tables.get(`${db}.${table}`);
    if (!t) throw new Error(`no table ${db}.${table}`);
    const partName = t.keys.map((k, i) => `${k}=${values[i]}`).join('/');
    const { sdId } = await this.storage(t.cdId, `hdfs://nn:8020/warehouse/tablespace/managed/hive/${db}.db/${table}/${partName}`);
    const partId = await this.id('MPartition');
    await this.conn.query('INSERT INTO PARTITIONS (PART_ID, CREATE_TIME, LAST_ACCESS_TIME, PART_NAME, SD_ID, TBL_ID) VALUES (?, ?, 0, ?, ?, ?)', [partId, createTime, partName, sdId, t.tblId]);
    for (const [i, v] of values.entries()) await this.conn.query('INSERT INTO PARTITION_KEY_VALS (PART_ID, PART_KEY_VAL, INTEGER_IDX) VALUES (?, ?, ?)', [partId, v, i]);
    await this.conn.query('INSERT INTO PARTITION_PARAMS (PART_ID, PARAM_KEY, PARAM_VALUE) VALUES (?, ?, ?)', [partId, 'transient_lastDdlTime', String(createTime)]);
  }

  async setTableParam(db: string, table: string, key: string, value: string): Promise<void> {
    const t = this.tables.get(`${db}.${table}`)!;
    await this.conn.query('INSERT INTO TABLE_PARAMS (TBL_ID, PARAM_KEY, PARAM_VALUE) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE PARAM_VALUE = VALUES(PARAM_VALUE)', [t.tblId, key, value]);
  }

  async addColumn(db: string, table: string, column: HiveColumn): Promise<void> {
    const t = this.tables.get(`${db}.${table}`)!;
    const [rows] = await this.conn.query('SELECT COALESCE(MAX(INTEGER_IDX), -1) + 1 AS n FROM COLUMNS_V2 WHERE CD_ID = ?', [t.cdId]);
    const n = Number((rows as Array<{ n: number | string }>)[0]!.n);
    await this.conn.query('INSERT INTO COLUMNS_V2 (CD_ID, COMMENT, COLUMN_NAME, TYPE_NAME, INTEGER_IDX) VALUES (?, ?, ?, ?, ?)', [t.cdId, column.comment ?? null, column.name, column.type, n]);
  }
}

/** A fresh metastore database with the official schema; `drop()` removes it. */
export async function createHiveMetastore(): Promise<{ url: string; writer: HiveMetastoreWriter; drop(): Promise<void> }> {
  const script = hiveSchemaScript();
  const db = await createMysqlDatabase();
  await db.conn.query(script);
  await db.conn.query('SET FOREIGN_KEY_CHECKS = 1');
  const writer = new HiveMetastoreWriter(db.conn);
  await writer.createDatabase('default', { desc: 'Default Hive database', owner: 'public' });
  return { url: db.url, writer, drop: () => db.drop() };
}
