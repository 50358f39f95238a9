import { Client } from 'pg';
import { tableKey } from '../../src/domain/keys';
import type { ReadCount, TableRecord } from '../../src/domain/model';
import type { Logger } from '../../src/log/logger';
import { redactUrl } from '../../src/log/redact';
import { classifySourceError, urlPassword } from '../errors';
import type { TableFilterFn } from '../patterns';
import type { Connector, ExtractContext, ExtractedItem } from '../source';
import type { ConnectorState } from '../../src/domain/crawl';
import { mayRead, QueryReadsParser } from './query-reads';

export interface PostgresConnectorOptions {
  /** The source id, for errors and logs. */
  sourceId: string;
  /** The `source` field of the records (`postgres:warehouse`). */
  sourceName: string;
  url: string;
  /** The `{database}` part of keys (default `postgres`). */
  database?: string;
  /** The `{cluster}` part of keys (default: the database's name). */
  cluster?: string;
  filter: TableFilterFn;
  /** Only these schemas, when the include patterns name them literally. */
  schemas?: string[];
  logger: Logger;
  /** Tables whose columns are fetched per query (default 2000). */
  batchSize?: number;
  connectTimeoutMs?: number;
}

/** PostgreSQL write counters (`n_tup_ins + n_tup_upd + n_tup_del` per table key), kept between crawls. */
export interface PostgresState extends ConnectorState {
  writes: Record<string, number>;
}

/** Marks the crawler's own statements, so pg_stat_statements reads of them are not counted. */
const MARK = '/* nansen-crawler */';

const TABLES_SQL = `${MARK}
SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS relkind, d.description AS comment,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END AS row_estimate,
       CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples >= 0 THEN c.relpages::bigint * current_setting('block_size')::bigint END AS size_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY n.nspname, c.relname`;

const COLUMNS_SQL = `${MARK}
SELECT a.attrelid::text AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable, d.description AS comment
FROM pg_attribute a
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE a.attrelid BETWEEN $1::oid AND $2::oid AND a.attrelid = ANY($3::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const WRITES_SQL = `${MARK}
SELECT schemaname AS schema, relname AS name, (n_tup_ins + n_tup_upd + n_tup_del)::text AS writes FROM pg_stat_user_tables`;

const STATEMENTS_EXTENSION_SQL = `${MARK}
SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`;

interface TableRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  comment: string | null;
  row_estimate: string | null;
  size_bytes: string | null;
}

interface ColumnRow {
  oid: string;
  name: string;
  type: string;
  nullable: boolean;
  comment: string | null;
}

/**
 * Reads a PostgreSQL database: schemas, tables, views, columns (type, nullability, comments), row estimates
 * and sizes; frequent users from pg_stat_statements (reads per role and table, from query text parsed by
 * node-sql-parser); loads observed as changes of pg_stat_user_tables' write counters since the last crawl.
 */
export class PostgresConnector implements Connector {
  private client: Client | undefined;

  constructor(private readonly options: PostgresConnectorOptions) {}

  private get target(): string {
    return redactUrl(this.options.url);
  }

  private fail(e: unknown): never {
    throw classifySourceError(e, { source: this.options.sourceId, target: this.target, secrets: [urlPassword(this.options.url)] });
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
      application_name: 'nansen-crawler',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      this.fail(e);
    }
    this.client = client;
    return client;
  }

  async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    const { logger, filter } = this.options;
    const client = await this.connect();
    try {
      const dbName = client.database ?? 'postgres';
      const database = this.options.database ?? 'postgres';
      const cluster = this.options.cluster ?? dbName.replace(/[./:]/g, '_');
      const keyOf = (schema: string, name: string): string => tableKey({ database, cluster, schema, name });

      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const tables = (await client.query<TableRow>(TABLES_SQL, [this.options.schemas ?? null])).rows.filter((t) => filter(t.schema, t.name));
      let skippedTables = 0;
      const valid = tables.filter((t) => {
        if (t.schema.includes('/')) {
          skippedTables++;
          return false;
        }
        return true;
      });
      yield { kind: 'total', tables: valid.length };
      if (skippedTables) yield { kind: 'count', name: 'skipped_tables', n: skippedTables };

      const previous = (context.state as PostgresState | undefined)?.writes;
      const writes: Record<string, number> = {};
      const wanted = new Set(valid.map((t) => keyOf(t.schema, t.name)));
      for (const r of (await client.query<{ schema: string; name: string; writes: string }>(WRITES_SQL)).rows) {
        const key = keyOf(r.schema, r.name);
        if (wanted.has(key)) writes[key] = Number(r.writes);
      }
      const loaded = new Set<string>();
      if (previous) {
        for (const [key, n] of Object.entries(writes)) {
          const before = previous[key];
          if (before !== undefined && n !== before && n > 0) loaded.add(key);
        }
      }

      const readers = await this.readers(client, valid, keyOf, context);
      for (const [name, n] of Object.entries(readers.counts)) if (n) yield { kind: 'count', name, n };

      // columns by ranges of table oids: an index range scan per batch instead of one lookup per table; the
      // batch's own oids filter the range in the server, so a source of some schemas does not fetch (and format)
      // the columns of the other tables whose oids fall in between
      const batchSize = this.options.batchSize ?? 2000;
      const at = context.now.toISOString();
      const byOid = [...valid].sort((a, b) => Number(a.oid) - Number(b.oid));
      for (let i = 0; i < byOid.length; i += batchSize) {
        if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
        const batch = byOid.slice(i, i + batchSize);
        const wantedOids = new Set(batch.map((t) => t.oid));
        const columns = new Map<string, ColumnRow[]>();
        for (const c of (await client.query<ColumnRow>(COLUMNS_SQL, [batch[0]!.oid, batch[batch.length - 1]!.oid, batch.map((t) => t.oid)])).rows) {
          if (!wantedOids.has(c.oid)) continue;
          let list = columns.get(c.oid);
          if (!list) columns.set(c.oid, (list = []));
          list.push(c);
        }
        for (const t of batch) {
          const key = keyOf(t.schema, t.name);
          const record: TableRecord = {
            key,
            database,
            cluster,
            schema: t.schema,
            name: t.name,
            kind: t.relkind === 'v' || t.relkind === 'm' ? 'view' : 'table',
            ...(t.comment ? { description: t.comment } : {}),
            columns: (columns.get(t.oid) ?? []).map((c, position) => ({
              name: c.name,
              type: c.type,
              position,
              nullable: c.nullable,
              ...(c.comment ? { description: c.comment } : {}),
            })),
            readers: readers.byTable.get(key) ?? [],
            ...(loaded.has(key) ? { updates: [at] } : {}),
            ...(t.row_estimate !== null ? { rowCount: Number(t.row_estimate) } : {}),
            ...(t.size_bytes !== null ? { sizeBytes: Number(t.size_bytes) } : {}),
            source: this.options.sourceName,
          };
          yield { kind: 'table', record };
        }
      }
      await client.query('COMMIT');
      const state: PostgresState = { writes };
      yield { kind: 'state', state };
      logger.debug({ source: this.options.sourceId, tables: valid.length, loads: loaded.size }, 'postgres extract done');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.fail(e);
    }
  }

  /** Reads per role and table from pg_stat_statements, when the extension is installed in this database. */
  private async readers(
    client: Client,
    tables: TableRow[],
    keyOf: (schema: string, name: string) => string,
    context: ExtractContext,
  ): Promise<{ byTable: Map<string, ReadCount[]>; counts: Record<string, number> }> {
    const counts: Record<string, number> = { parsed_queries: 0, skipped_queries: 0, unresolved_reads: 0 };
    const byTable = new Map<string, ReadCount[]>();
    const ext = (await client.query<{ schema: string }>(STATEMENTS_EXTENSION_SQL)).rows[0];
    if (!ext) {
      counts.readers_unavailable = 1;
      return { byTable, counts };
    }
    const view = `${client.escapeIdentifier(ext.schema)}.pg_stat_statements`;
    const rows = (
      await client.query<{ role: string; query: string; calls: string }>(
        `${MARK} SELECT r.rolname AS role, s.query, sum(s.calls)::text AS calls FROM ${view} s JOIN pg_roles r ON r.oid = s.userid
         WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY r.rolname, s.query`,
      )
    ).rows;
    const exact = new Map<string, string>();
    const byName = new Map<string, string[]>();
    for (const t of tables) {
      const key = keyOf(t.schema, t.name);
      exact.set(`${t.schema}\u0000${t.name}`, key);
      const list = byName.get(t.name) ?? [];
      list.push(t.schema);
      byName.set(t.name, list);
    }
    const resolve = (schema: string | undefined, name: string): string | undefined => {
      for (const n of name === name.toLowerCase() ? [name] : [name, name.toLowerCase()]) {
        if (schema !== undefined) {
          const k = exact.get(`${schema}\u0000${n}`) ?? exact.get(`${schema.toLowerCase()}\u0000${n}`);
          if (k) return k;
          continue;
        }
        const schemas = byName.get(n);
        if (!schemas) continue;
        const pick = schemas.includes('public') ? 'public' : schemas.length === 1 ? schemas[0] : undefined;
        if (pick !== undefined) return exact.get(`${pick}\u0000${n}`);
      }
      return undefined;
    };
    const parser = new QueryReadsParser('Postgresql');
    const reads = new Map<string, Map<string, number>>();
    for (const row of rows) {
      if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
      if (row.query.includes(MARK) || !mayRead(row.query)) continue;
      const parsed = parser.reads(row.query);
      if (!parsed.ok) {
        counts.skipped_queries!++;
        continue;
      }
      counts.parsed_queries!++;
      for (const ref of parsed.reads) {
        const key = resolve(ref.schema, ref.name);
        if (!key) {
          if (ref.schema !== 'pg_catalog' && ref.schema !== 'information_schema') counts.unresolved_reads!++;
          continue;
        }
        const perRole = reads.get(key) ?? new Map<string, number>();
        perRole.set(row.role, (perRole.get(row.role) ?? 0) + Number(row.calls));
        reads.set(key, perRole);
      }
    }
    for (const [key, perRole] of reads) {
      byTable.set(
        key,
        [...perRole].map(([user, count]) => ({ user, count })).sort((a, b) => b.count - a.count || (a.user < b.user ? -1 : 1)),
      );
    }
    return { byTable, counts };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
