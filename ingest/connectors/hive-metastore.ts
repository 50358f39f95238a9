import { Client } from 'pg';
import type mysql from 'mysql2/promise';
import { tableKey } from '../../src/domain/keys';
import type { TableRecord } from '../../src/domain/model';
import type { Logger } from '../../src/log/logger';
import { redactUrl } from '../../src/log/redact';
import { classifySourceError, urlPassword } from '../errors';
import type { TableFilterFn } from '../patterns';
import type { Connector, ExtractContext, ExtractedItem } from '../source';
import { openMysql } from './mysql';

export interface HiveMetastoreConnectorOptions {
  sourceId: string;
  sourceName: string;
  /** URL of the metastore's backing database: `mysql://`, `mariadb://` or `postgres://`. */
  url: string;
  /** The `{database}` part of keys (default `hive`). */
  database?: string;
  /** The `{cluster}` part of keys (default: the source id). */
  cluster?: string;
  filter: TableFilterFn;
  logger: Logger;
  /** How many recent partitions per table give load times (default 48). */
  recentPartitions?: number;
  connectTimeoutMs?: number;
}

/** The metastore's row values as both backends return them. */
type Row = Record<string, unknown>;

interface Sql {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Quotes a metastore identifier (`TBLS`, `TBL_NAME`): backticks on MySQL, double quotes on PostgreSQL. */
  q(name: string): string;
  /** A positional parameter. */
  p(i: number): string;
  close(): Promise<void>;
}

async function openSql(url: string, timeoutMs: number): Promise<Sql> {
  if (/^postgres(ql)?:/.test(url)) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'nansen-crawler' });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    return {
      query: async (sql, params) => (await client.query(sql, params as unknown[])).rows as Row[],
      q: (n) => `"${n}"`,
      p: (i) => `$${i}`,
      close: () => client.end(),
    };
  }
  const conn: mysql.Connection = await openMysql(url, timeoutMs);
  return {
    query: async (sql, params) => (await conn.query(sql, params))[0] as Row[],
    q: (n) => `\`${n}\``,
    p: () => '?',
    close: () => conn.end(),
  };
}

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const num = (v: unknown): number | undefined => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
const epochToIso = (s: number): string => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Reads a Hive metastore from its backing database (the official schema, 3.x): databases, tables and views,
 * columns and partition keys, table parameters (`comment`, `owner`, `transient_lastDdlTime`, `numRows`,
 * `totalSize`), and partitions. The newest partitions' creation times are the table's loads (the last one is
 * its last update); an unpartitioned table's load is its `transient_lastDdlTime`.
 */
export class HiveMetastoreConnector implements Connector {
  private sql: Sql | undefined;

  constructor(private readonly options: HiveMetastoreConnectorOptions) {}

  private fail(e: unknown): never {
    throw classifySourceError(e, { source: this.options.sourceId, target: redactUrl(this.options.url), secrets: [urlPassword(this.options.url)] });
  }

  async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    try {
      this.sql = await openSql(this.options.url, this.options.connectTimeoutMs ?? 10_000);
    } catch (e) {
      this.fail(e);
    }
    const { q, p } = this.sql;
    const sql = this.sql;
    try {
      const database = this.options.database ?? 'hive';
      const cluster = this.options.cluster ?? this.options.sourceId;
      const recent = this.options.recentPartitions ?? 48;
      const tables = (
        await sql.query(
          `SELECT t.${q('TBL_ID')} AS tbl_id, d.${q('NAME')} AS db, t.${q('TBL_NAME')} AS name, t.${q('TBL_TYPE')} AS type,
                  t.${q('OWNER')} AS owner, s.${q('CD_ID')} AS cd_id, d.${q('DESC')} AS db_desc
           FROM ${q('TBLS')} t JOIN ${q('DBS')} d ON d.${q('DB_ID')} = t.${q('DB_ID')}
           LEFT JOIN ${q('SDS')} s ON s.${q('SD_ID')} = t.${q('SD_ID')}
           ORDER BY d.${q('NAME')}, t.${q('TBL_NAME')}`,
        )
      ).filter((t) => {
        const db = str(t.db) ?? '';
        return !db.includes('/') && this.options.filter(db, str(t.name) ?? '');
      });
      yield { kind: 'total', tables: tables.length };
      const ids = new Set(tables.map((t) => String(t.tbl_id)));
      const cds = new Set(tables.map((t) => str(t.cd_id)).filter((x): x is string => x !== undefined));

      const params = new Map<string, Map<string, string>>();
      for (const r of await sql.query(
        `SELECT ${q('TBL_ID')} AS tbl_id, ${q('PARAM_KEY')} AS k, ${q('PARAM_VALUE')} AS v FROM ${q('TABLE_PARAMS')}
         WHERE ${q('PARAM_KEY')} IN (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
        ['comment', 'owner', 'transient_lastDdlTime', 'numRows', 'totalSize', 'EXTERNAL'],
      )) {
        const id = String(r.tbl_id);
        if (!ids.has(id)) continue;
        const m = params.get(id) ?? new Map<string, string>();
        m.set(String(r.k), str(r.v) ?? '');
        params.set(id, m);
      }

      const columns = new Map<string, Array<{ name: string; type: string; comment?: string }>>();
      for (const r of await sql.query(
        `SELECT ${q('CD_ID')} AS cd_id, ${q('COLUMN_NAME')} AS name, ${q('TYPE_NAME')} AS type, ${q('COMMENT')} AS comment
         FROM ${q('COLUMNS_V2')} ORDER BY ${q('CD_ID')}, ${q('INTEGER_IDX')}`,
      )) {
        const cd = String(r.cd_id);
        if (!cds.has(cd)) continue;
        const l = columns.get(cd) ?? [];
        const comment = str(r.comment);
        l.push({ name: str(r.name)!, type: str(r.type) ?? 'unknown', ...(comment ? { comment } : {}) });
        columns.set(cd, l);
      }

      const partitionKeys = new Map<string, Array<{ name: string; type: string; comment?: string }>>();
      for (const r of await sql.query(
        `SELECT ${q('TBL_ID')} AS tbl_id, ${q('PKEY_NAME')} AS name, ${q('PKEY_TYPE')} AS type, ${q('PKEY_COMMENT')} AS comment
         FROM ${q('PARTITION_KEYS')} ORDER BY ${q('TBL_ID')}, ${q('INTEGER_IDX')}`,
      )) {
        const id = String(r.tbl_id);
        if (!ids.has(id)) continue;
        const l = partitionKeys.get(id) ?? [];
        const comment = str(r.comment);
        l.push({ name: str(r.name)!, type: str(r.type) ?? 'string', ...(comment ? { comment } : {}) });
        partitionKeys.set(id, l);
      }

      const partitions = new Map<string, Array<{ name: string; created: number }>>();
      let partitionCount = 0;
      for (const r of await sql.query(
        `SELECT tbl_id, part_name, create_time FROM (
           SELECT ${q('TBL_ID')} AS tbl_id, ${q('PART_NAME')} AS part_name, ${q('CREATE_TIME')} AS create_time,
                  ROW_NUMBER() OVER (PARTITION BY ${q('TBL_ID')} ORDER BY ${q('CREATE_TIME')} DESC, ${q('PART_NAME')} DESC) AS rn
           FROM ${q('PARTITIONS')}) x
         WHERE rn <= ${p(1)}`,
        [recent],
      )) {
        const id = String(r.tbl_id);
        if (!ids.has(id)) continue;
        const l = partitions.get(id) ?? [];
        l.push({ name: str(r.part_name) ?? '', created: num(r.create_time) ?? 0 });
        partitions.set(id, l);
        partitionCount++;
      }
      yield { kind: 'count', name: 'partitions_read', n: partitionCount };

      for (const t of tables) {
        if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
        const id = String(t.tbl_id);
        const schema = str(t.db)!;
        const name = str(t.name)!;
        const ps = params.get(id) ?? new Map<string, string>();
        const type = str(t.type) ?? 'MANAGED_TABLE';
        const owner = ps.get('owner') || str(t.owner);
        const parts = partitions.get(id) ?? [];
        const ddl = num(ps.get('transient_lastDdlTime'));
        const updates = parts.length ? parts.filter((x) => x.created > 0).map((x) => epochToIso(x.created)) : ddl ? [epochToIso(ddl)] : [];
        const cols = [...(columns.get(str(t.cd_id) ?? '') ?? []), ...(partitionKeys.get(id) ?? [])];
        const record: TableRecord = {
          key: tableKey({ database, cluster, schema, name }),
          database,
          cluster,
          schema,
          name,
          kind: type === 'VIRTUAL_VIEW' || type === 'MATERIALIZED_VIEW' ? 'view' : 'table',
          ...(ps.get('comment') ? { description: ps.get('comment') } : {}),
          ...(owner ? { owners: [owner] } : {}),
          ...(type === 'EXTERNAL_TABLE' || ps.get('EXTERNAL')?.toUpperCase() === 'TRUE' ? { tags: ['external'] } : {}),
          columns: cols.map((c, position) => ({ name: c.name, type: c.type, position, ...(c.comment ? { description: c.comment } : {}) })),
          ...(updates.length ? { updates } : {}),
          ...(num(ps.get('numRows')) !== undefined && num(ps.get('numRows'))! >= 0 ? { rowCount: num(ps.get('numRows'))! } : {}),
          ...(num(ps.get('totalSize')) !== undefined ? { sizeBytes: num(ps.get('totalSize'))! } : {}),
          source: this.options.sourceName,
        };
        yield { kind: 'table', record };
      }
    } catch (e) {
      this.fail(e);
    }
  }

  async close(): Promise<void> {
    const s = this.sql;
    this.sql = undefined;
    await s?.close().catch(() => undefined);
  }
}
