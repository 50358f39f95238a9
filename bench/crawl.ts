/**
 * Crawl benchmark: `npm run bench:crawl -- --tables N [--backend embedded|neo4j-es] [--workers N] [--json] [--profile]
 * [--write-concurrency N] [--keep-database] [--reuse-database NAME]` (`--write-concurrency`: table batches the Neo4j
 * store writes at once, default its own, 3; `--keep-database` leaves the generated PostgreSQL database in place and
 * names it on stderr, `--reuse-database` crawls such a database instead of generating one, so runs alternated in one
 * window skip the set-up).
 * With `--workers N` (neo4j-es): the tables as two sources, crawled by real worker processes on one Redis, one
 * worker against N (bench/crawl-workers.ts).
 *
 * Creates a PostgreSQL database (on the server of scripts/services.sh) with N tables of 20 columns in 10 schemas,
 * comments on half of them, then for each backend — in a child process of its own, so its peak memory is its
 * own — runs a full crawl into empty stores and a second crawl with nothing changed. Neo4j runs in a keyspace of
 * its own and Elasticsearch under a fresh index prefix; both are cleaned up after.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { crawlSource } from '../ingest/crawl';
import type { SourceConfig } from '../ingest/source';
import { Redis } from 'ioredis';
import { SqliteCrawlStore } from '../src/adapters/embedded/sqlite-crawl-store';
import { RedisCrawlStore } from '../src/adapters/redis/redis-crawl-store';
import { ElasticsearchVectorIndex } from '../src/adapters/elasticsearch/elasticsearch-vector-index';
import type { CrawlStateStore } from '../src/ports/crawl-state-store';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { ElasticsearchSearchIndex } from '../src/adapters/elasticsearch/elasticsearch-search-index';
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store';
import type { Stores } from '../src/catalog/publish';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import type { Backend } from '../src/main/stores';
import { dropIndexes, round2, timeMs, trackPeakRss } from './lib';
import { serviceEnv } from './service-env';
import { runWorkers, type WorkersFigures } from './crawl-workers';
import { callProfile } from './profile';

const BACKENDS: Backend[] = ['embedded', 'neo4j-es'];
const COLUMNS = 20;
const SCHEMAS = 10;
const TYPES = ['bigint', 'integer', 'text', 'varchar(64)', 'numeric(12,2)', 'timestamptz', 'boolean', 'date', 'double precision', 'jsonb'];

interface BackendFigures {
  firstS: number;
  secondS: number;
  tablesPerS: number;
  peakRssMb: number;
  /** What the second crawl wrote (should be nothing). */
  secondWrote: boolean;
  speedup: number;
  /** Where the crawl memory lived: Redis (neo4j-es with REDIS_URL, as in production) or crawls.sqlite. */
  state: 'redis' | 'local';
  /** With `--profile`: time per store call (summed wall time), and when the first graph read began (the extract before it). */
  profile?: { first: CrawlProfile; second: CrawlProfile };
}

interface CrawlProfile {
  extractMs: number;
  calls: Array<{ call: string; calls: number; ms: number }>;
}

function pgUrl(): string {
  return { ...serviceEnv(), ...process.env }.PG_URL ?? 'postgres://nansen:nansen@127.0.0.1:54329/nansen';
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function createBenchDatabase(tables: number): Promise<string> {
  const name = `nansen_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: pgUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const c = new Client({ connectionString: withDatabase(pgUrl(), name) });
  await c.connect();
  try {
    await c.query(Array.from({ length: SCHEMAS }, (_, s) => `CREATE SCHEMA s${s};`).join('\n'));
    const batch: string[] = [];
    for (let i = 0; i < tables; i++) {
      const t = `s${i % SCHEMAS}.t${String(i).padStart(6, '0')}`;
      const cols = Array.from({ length: COLUMNS }, (_, j) => `c${j} ${TYPES[(i + j) % TYPES.length]}${j === 0 ? ' NOT NULL' : ''}`);
      batch.push(`CREATE TABLE ${t} (${cols.join(', ')});`);
      if (i % 2 === 0) {
        batch.push(`COMMENT ON TABLE ${t} IS 'Benchmark table ${i}: player sessions by country and platform';`);
        for (let j = 0; j < COLUMNS; j++) batch.push(`COMMENT ON COLUMN ${t}.c${j} IS 'column ${j} of table ${i}';`);
      }
      if (batch.length >= 2000) {
        await c.query(batch.join('\n'));
        batch.length = 0;
      }
    }
    if (batch.length) await c.query(batch.join('\n'));
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
  return name;
}

async function dropBenchDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: pgUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

async function runOne(backend: Backend, tables: number, database: string, opts: { profile: boolean; vectors: boolean; writeConcurrency?: number }): Promise<BackendFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nansen-bench-crawl-'));
  const env = { ...process.env, ...serviceEnv(), NANSEN_DATA_DIR: dataDir };
  const config = loadConfig(env);
  const tag = randomBytes(4).toString('hex');
  const keyspace = `bench-crawl-${tag}`;
  const indexPrefix = `bench-crawl-${tag}`;
  const logger = silentLogger();
  const graph =
    backend === 'embedded'
      ? new SqliteGraphStore({ path: join(dataDir, 'graph.sqlite') })
      : new Neo4jGraphStore({ url: config.NEO4J_URL, username: config.NEO4J_USER, password: config.NEO4J_PASSWORD, logger, keyspace, ...(opts.writeConcurrency ? { writeConcurrency: opts.writeConcurrency } : {}) });
  const search = backend === 'embedded' ? new SqliteSearchIndex({ path: join(dataDir, 'search.sqlite') }) : new ElasticsearchSearchIndex({ node: config.ELASTICSEARCH_URL, indexPrefix, logger });
  const redis = backend === 'neo4j-es' && config.REDIS_URL ? new Redis(config.REDIS_URL) : undefined;
  const redisPrefix = `bench-crawl-${tag}`;
  const state = redis ? new RedisCrawlStore({ client: redis, prefix: `${redisPrefix}:crawl` }) : new SqliteCrawlStore({ path: join(dataDir, 'crawls.sqlite') });
  const vectors = opts.vectors && backend === 'neo4j-es' ? new ElasticsearchVectorIndex({ node: config.ELASTICSEARCH_URL, indexPrefix, logger }) : undefined;
  const memory = trackPeakRss();
  const profiler = callProfile();
  try {
    await graph.init();
    await search.init();
    await state.init();
    await vectors?.init();
    const stores: Stores = opts.profile
      ? { graph: profiler.wrap(graph, 'graph'), search: profiler.wrap(search, 'search'), ...(vectors ? { vectors: { index: profiler.wrap(vectors, 'vectors'), columns: true } } : {}) }
      : { graph, search, ...(vectors ? { vectors: { index: vectors, columns: true } } : {}) };
    const crawlState: CrawlStateStore = opts.profile ? profiler.wrap(state, 'state') : state;
    const source: SourceConfig = { id: 'bench', type: 'postgres', urlEnv: 'BENCH_PG_URL', cluster: 'bench' };
    const deps = { stores, logger, state: crawlState, env: { BENCH_PG_URL: withDatabase(pgUrl(), database) } };
    let first: Awaited<ReturnType<typeof crawlSource>> | undefined;
    let second: Awaited<ReturnType<typeof crawlSource>> | undefined;
    const profileOf = (): CrawlProfile => ({ extractMs: Math.round(profiler.firstCallAt('graph.listTableKeys') ?? 0), calls: profiler.totals() });
    const firstMs = await timeMs(async () => {
      first = await crawlSource(source, deps, { batchSize: 1000 });
    });
    const firstProfile = profileOf();
    profiler.reset();
    if (first!.added.length !== tables) throw new Error(`first crawl added ${first!.added.length} tables, expected ${tables}`);
    const secondMs = await timeMs(async () => {
      second = await crawlSource(source, deps, { batchSize: 1000 });
    });
    const secondProfile = profileOf();
    return {
      state: redis ? 'redis' : 'local',
      ...(opts.profile ? { profile: { first: firstProfile, second: secondProfile } } : {}),
      firstS: round2(firstMs / 1000),
      secondS: round2(secondMs / 1000),
      tablesPerS: round2(tables / (firstMs / 1000)),
      peakRssMb: memory.stop(),
      secondWrote: second!.wrote,
      speedup: round2(firstMs / secondMs),
    };
  } finally {
    await state.close();
    if (redis) {
      const keys = await redis.keys(`${redisPrefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await vectors?.close().catch(() => undefined);
    if (graph instanceof Neo4jGraphStore) await graph.clear().catch(() => undefined);
    await search.close().catch(() => undefined);
    await graph.close().catch(() => undefined);
    if (backend === 'neo4j-es') await dropIndexes(config.ELASTICSEARCH_URL, indexPrefix).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tables: { type: 'string', default: '1000' }, backend: { type: 'string' }, json: { type: 'boolean', default: false }, child: { type: 'boolean', default: false }, database: { type: 'string' }, workers: { type: 'string' }, profile: { type: 'boolean', default: false }, vectors: { type: 'boolean', default: false }, 'write-concurrency': { type: 'string' }, 'keep-database': { type: 'boolean', default: false }, 'reuse-database': { type: 'string' } },
  });
  const tables = Number(values.tables);
  if (!Number.isInteger(tables) || tables <= 0) throw new Error('--tables takes a positive whole number');
  if (values.backend && !BACKENDS.includes(values.backend as Backend)) throw new Error(`--backend takes one of ${BACKENDS.join(', ')}`);
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await runOne(values.backend as Backend, tables, values.database!, { profile: values.profile!, vectors: values.vectors!, ...(values['write-concurrency'] ? { writeConcurrency: Number(values['write-concurrency']) } : {}) }))}\n`);
    return;
  }
  const backends = values.backend ? [values.backend as Backend] : BACKENDS;
  if (values.workers !== undefined) {
    const workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers takes a positive whole number');
    if (values.backend && values.backend !== 'neo4j-es') throw new Error('--workers runs on neo4j-es (with Redis)');
    const reusedDb = values['reuse-database'];
    const database = reusedDb ?? (await createBenchDatabase(tables));
    if (values['keep-database'] && !reusedDb) process.stderr.write(`kept database ${database}\n`);
    const result: { tables: number; backend: 'neo4j-es'; sources: number; runs: WorkersFigures[] } = { tables, backend: 'neo4j-es', sources: 2, runs: [] };
    try {
      for (const n of [...new Set([1, workers])]) {
        if (!values.json) process.stderr.write(`crawling with ${n} worker(s)\n`);
        result.runs.push(await runWorkers(n, tables, withDatabase(pgUrl(), database)));
      }
    } finally {
      if (!reusedDb && !values['keep-database']) await dropBenchDatabase(database);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else console.table(result.runs);
    return;
  }
  const setupMs = Date.now();
  const reused = values['reuse-database'];
  const database = reused ?? (await createBenchDatabase(tables));
  if (!values.json && !reused) process.stderr.write(`created ${tables} tables in ${((Date.now() - setupMs) / 1000).toFixed(1)} s\n`);
  if (values['keep-database'] && !reused) process.stderr.write(`kept database ${database}\n`);
  const result: { tables: number; backends: Record<string, BackendFigures> } = { tables, backends: {} };
  try {
    for (const backend of backends) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', '--backend', backend, '--tables', String(tables), '--database', database, ...(values.profile ? ['--profile'] : []), ...(values.vectors ? ['--vectors'] : []), ...(values['write-concurrency'] ? ['--write-concurrency', values['write-concurrency']] : [])], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24,
      });
      if (child.status !== 0) throw new Error(`the ${backend} run failed (exit ${child.status})`);
      result.backends[backend] = JSON.parse(child.stdout.trim().split('\n').pop()!) as BackendFigures;
    }
  } finally {
    if (!reused && !values['keep-database']) await dropBenchDatabase(database);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    console.table(
      Object.fromEntries(Object.entries(result.backends).map(([b, f]) => [b, { 'first s': f.firstS, 'second s': f.secondS, 'speedup': f.speedup, 'tables/s': f.tablesPerS, 'rss MB': f.peakRssMb, 'second wrote': f.secondWrote }])),
    );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:crawl failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
