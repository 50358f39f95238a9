import mysql from 'mysql2/promise';
import { tableKey } from '../../src/domain/keys';
import type { TableRecord } from '../../src/domain/model';
import type { Logger } from '../../src/log/logger';
import { redactUrl } from '../../src/log/redact';
import { classifySourceError, urlPassword } from '../errors';
import type { TableFilterFn } from '../patterns';
import type { Connector, ExtractContext, ExtractedItem } from '../source';

export interface MysqlConnectorOptions {
  sourceId: string;
  sourceName: string;
  url: string;
  /** The `{database}` part of keys (default `mysql`). */
  database?: string;
  /** The `{cluster}` part of keys (default: the source id). */
  cluster?: string;
  filter: TableFilterFn;
  schemas?: string[];
  logger: Logger;
  connectTimeoutMs?: number;
}

const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

interface TableRow {
  TABLE_SCHEMA: string;
  TABLE_NAME: string;
  TABLE_TYPE: string;
  ENGINE: string | null;
  TABLE_ROWS: number | string | null;
  DATA_LENGTH: number | string | null;
  INDEX_LENGTH: number | string | null;
  UPDATE_TIME: string | null;
  TABLE_COMMENT: string | null;
}

interface ColumnRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: string;
  COLUMN_COMMENT: string | null;
}

/** Opens a mysql2 connection for a crawl: UTC session, dates as text, errors classified. */
export async function openMysql(url: string, connectTimeoutMs = 10_000): Promise<mysql.Connection> {
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ...(u.pathname.length > 1 ? { database: decodeURIComponent(u.pathname.slice(1)) } : {}),
    connectTimeout: connectTimeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'utf8mb4',
    timezone: 'Z',
  });
  conn.on('error', () => undefined);
  await conn.query("SET time_zone = '+00:00'");
  return conn;
}

/** MySQL/MariaDB `DATETIME` text of a UTC session (`2026-11-24 08:05:00`) as ISO time. */
export function mysqlTimeToIso(t: string): string {
  return `${t.replace(' ', 'T')}Z`;
}

/**
 * Reads a MySQL or MariaDB server from information_schema: schemas (MySQL databases), tables, views, columns
 * (type, nullability, comments), row estimates and sizes, and `UPDATE_TIME` as a load where the engine keeps it.
 */
export class MysqlConnector implements Connector {
  private conn: mysql.Connection | undefined;

  constructor(private readonly options: MysqlConnectorOptions) {}

  private fail(e: unknown): never {
    throw classifySourceError(e, { source: this.options.sourceId, target: redactUrl(this.options.url), secrets: [urlPassword(this.options.url)] });
  }

  async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    const { filter } = this.options;
    try {
      this.conn = await openMysql(this.options.url, this.options.connectTimeoutMs);
    } catch (e) {
      this.fail(e);
    }
    const conn = this.conn;
    try {
      const database = this.options.database ?? 'mysql';
      const cluster = this.options.cluster ?? this.options.sourceId;
      const schemaFilter = this.options.schemas?.length ? ' AND TABLE_SCHEMA IN (?)' : '';
      const params: unknown[] = [SYSTEM_SCHEMAS, ...(this.options.schemas?.length ? [this.options.schemas] : [])];
      const [tableRows] = await conn.query(
        `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, UPDATE_TIME, TABLE_COMMENT
         FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?)${schemaFilter} ORDER BY TABLE_SCHEMA, TABLE_NAME`,
        params,
      );
      const tables = (tableRows as TableRow[]).filter((t) => filter(t.TABLE_SCHEMA, t.TABLE_NAME) && !t.TABLE_SCHEMA.includes('/'));
      yield { kind: 'total', tables: tables.length };
      const bySchema = new Map<string, TableRow[]>();
      for (const t of tables) {
        const list = bySchema.get(t.TABLE_SCHEMA) ?? [];
        list.push(t);
        bySchema.set(t.TABLE_SCHEMA, list);
      }
      for (const [schema, list] of bySchema) {
        if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
        const [columnRows] = await conn.query(
          `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_COMMENT FROM information_schema.COLUMNS
           WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
          [schema],
        );
        const columns = new Map<string, ColumnRow[]>();
        for (const c of columnRows as ColumnRow[]) {
          const l = columns.get(c.TABLE_NAME) ?? [];
          l.push(c);
          columns.set(c.TABLE_NAME, l);
        }
        for (const t of list) {
          const view = t.TABLE_TYPE === 'VIEW';
          const comment = view ? undefined : t.TABLE_COMMENT || undefined;
          const size = t.DATA_LENGTH !== null ? Number(t.DATA_LENGTH) + Number(t.INDEX_LENGTH ?? 0) : undefined;
          const record: TableRecord = {
            key: tableKey({ database, cluster, schema, name: t.TABLE_NAME }),
            database,
            cluster,
            schema,
            name: t.TABLE_NAME,
            kind: view ? 'view' : 'table',
            ...(comment ? { description: comment } : {}),
            columns: (columns.get(t.TABLE_NAME) ?? []).map((c, position) => ({
              name: c.COLUMN_NAME,
              type: c.COLUMN_TYPE,
              position,
              nullable: c.IS_NULLABLE === 'YES',
              ...(c.COLUMN_COMMENT ? { description: c.COLUMN_COMMENT } : {}),
            })),
            ...(t.UPDATE_TIME ? { updates: [mysqlTimeToIso(t.UPDATE_TIME)] } : {}),
            ...(!view && t.TABLE_ROWS !== null ? { rowCount: Number(t.TABLE_ROWS) } : {}),
            ...(!view && size !== undefined ? { sizeBytes: size } : {}),
            source: this.options.sourceName,
          };
          yield { kind: 'table', record };
        }
      }
    } catch (e) {
      this.fail(e);
    }
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    await c?.end().catch(() => undefined);
  }
}
