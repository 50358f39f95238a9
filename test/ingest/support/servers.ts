import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { serviceEnv } from '../../../bench/service-env';
import { SqliteGraphStore } from '../../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../../src/adapters/embedded/sqlite-search-index';
import type { Stores } from '../../../src/catalog/publish';
import { SqliteCrawlStore } from '../../../src/adapters/embedded/sqlite-crawl-store';

/** Connection URLs of the servers scripts/services.sh started (env first, then its env.json). */
export function serverUrls(): { pg: string; mysql: string } {
  const env = { ...serviceEnv(), ...process.env };
  return {
    pg: env.PG_URL ?? 'postgres://nansen:nansen@127.0.0.1:54329/nansen',
    mysql: env.MYSQL_URL ?? 'mysql://nansen:nansen@127.0.0.1:33069/nansen',
  };
}

/** A unique lower-case name for a database, schema or role of one test file. */
export function uniqueName(prefix = 'nansen_t'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** The same URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a PostgreSQL database of its own; `drop()` removes it (forcing out connections). */
export async function createPgDatabase(): Promise<{ name: string; url: string; query(sql: string, params?: unknown[]): Promise<unknown[]>; drop(): Promise<void> }> {
  const admin = serverUrls().pg;
  const name = uniqueName();
  const c = new Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = withDatabase(admin, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    async query(sql, params) {
      return (await client.query(sql, params as unknown[])).rows;
    },
    async drop() {
      await client.end().catch(() => undefined);
      const a = new Client({ connectionString: admin });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Creates a MariaDB database (schema) of its own; `drop()` removes it. */
export async function createMysqlDatabase(): Promise<{ name: string; url: string; conn: mysql.Connection; drop(): Promise<void> }> {
  const admin = serverUrls().mysql;
  const name = uniqueName();
  const u = new URL(admin);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    multipleStatements: true,
    charset: 'utf8mb4',
  });
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await conn.query(`USE \`${name}\``);
  return {
    name,
    url: withDatabase(admin, name),
    conn,
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Embedded stores and a crawl store in a fresh temporary folder. */
export async function embeddedStores(): Promise<{ stores: Stores; crawlStore: SqliteCrawlStore; dir: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-ingest-'));
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const crawlStore = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
  await graph.init();
  await search.init();
  await crawlStore.init();
  return {
    stores: { graph, search },
    crawlStore,
    dir,
    async close() {
      await graph.close();
      await search.close();
      await crawlStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
