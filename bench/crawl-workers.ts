/**
 * The scale-out part of the crawl benchmark (`--workers N`, neo4j-es with Redis): the N-table database crawled as
 * two sources (schemas s0–s4 and s5–s9) by real worker processes (src/main/worker.ts) on one Redis, with one
 * worker and then with N, each into empty stores (a keyspace, index prefix and Redis prefix of its own): the wall
 * time from queueing both crawls until both are recorded ok, for a first crawl and for a no-change crawl, and
 * the duplicates (tables in the graph and the index beyond N; crawls beyond one per source and round).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ElasticsearchSearchIndex } from '../src/adapters/elasticsearch/elasticsearch-search-index';
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store';
import { RedisCrawlStore } from '../src/adapters/redis/redis-crawl-store';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import { createCrawlQueue, enqueueCrawl } from '../workers/queues';
import { round2 } from './lib';
import { serviceEnv } from './service-env';

const ROOT = join(__dirname, '..');
const SOURCES = ['bench-a', 'bench-b'];

/** Figures of one configuration (a number of worker processes). */
export interface WorkersFigures {
  workers: number;
  firstS: number;
  secondS: number;
  /** Crawls recorded per round, across workers (two sources: 2 means no duplicate crawl). */
  crawlsFirst: number;
  crawlsSecond: number;
  tablesInGraph: number;
  docsInIndex: number;
  duplicates: number;
}

interface Proc {
  child: ChildProcess;
  finished(): number;
  started(): boolean;
}

function startWorker(env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/main/worker.ts')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return {
    child,
    finished: () => (log.match(/"msg":"crawl finished"/g) ?? []).length,
    started: () => log.includes('"msg":"crawl worker started"'),
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs one configuration: `workers` processes, a first crawl of both sources, then a no-change crawl. */
export async function runWorkers(workers: number, tables: number, databaseUrl: string): Promise<WorkersFigures> {
  const base = { ...process.env, ...serviceEnv() } as Record<string, string>;
  const config = loadConfig(base);
  const tag = `bench-workers-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'nansen-bench-workers-'));
  const sourcesFile = join(dir, 'sources.yml');
  const schemas = (from: number): string => `[${Array.from({ length: 5 }, (_, i) => `"s${from + i}.*"`).join(', ')}]`;
  writeFileSync(
    sourcesFile,
    `version: 1\nsources:\n${SOURCES.map((id, i) => `  - id: ${id}\n    type: postgres\n    urlEnv: BENCH_PG_URL\n    cluster: bench\n    schedule: "0 0 1 1 *"\n    include: ${schemas(i * 5)}\n`).join('')}`,
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    NANSEN_BACKEND: 'neo4j-es',
    NEO4J_URL: config.NEO4J_URL,
    ...(config.NEO4J_USER ? { NEO4J_USER: config.NEO4J_USER } : {}),
    ...(config.NEO4J_PASSWORD ? { NEO4J_PASSWORD: config.NEO4J_PASSWORD } : {}),
    NEO4J_KEYSPACE: tag,
    ELASTICSEARCH_URL: config.ELASTICSEARCH_URL,
    ELASTICSEARCH_INDEX_PREFIX: tag,
    REDIS_URL: config.REDIS_URL,
    NANSEN_REDIS_PREFIX: tag,
    NANSEN_SOURCES: sourcesFile,
    NANSEN_DIGEST_CRON: 'off',
    BENCH_PG_URL: databaseUrl,
    LOG_LEVEL: 'info',
  };
  if (!config.REDIS_URL) throw new Error('--workers needs REDIS_URL (scripts/services.sh up)');
  const redis = new Redis(config.REDIS_URL);
  const status = new RedisCrawlStore({ client: redis, prefix: `${tag}:crawl` });
  await status.init();
  const queue = createCrawlQueue({ connection: { url: config.REDIS_URL }, prefix: tag });
  const procs = Array.from({ length: workers }, (_, i) => startWorker({ ...env, NANSEN_DATA_DIR: join(dir, `w${i}`) }));
  const graph = new Neo4jGraphStore({ url: config.NEO4J_URL, username: config.NEO4J_USER, password: config.NEO4J_PASSWORD, keyspace: tag, logger: silentLogger() });
  const search = new ElasticsearchSearchIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: tag, logger: silentLogger() });
  try {
    await until(() => procs.every((p) => p.started()), 120_000, 'the workers to start');
    const round = async (): Promise<{ s: number; crawls: number }> => {
      const before = procs.reduce((n, p) => n + p.finished(), 0);
      const ids = new Map<string, string | undefined>();
      for (const id of SOURCES) ids.set(id, (await status.getStatus(id))?.crawlId);
      const t0 = process.hrtime.bigint();
      for (const sourceId of SOURCES) await enqueueCrawl(queue, { sourceId, requestedBy: 'bench' });
      await until(async () => {
        for (const id of SOURCES) {
          const s = await status.getStatus(id);
          if (!s || s.outcome === 'running' || s.crawlId === ids.get(id)) return false;
          if (s.outcome !== 'ok') throw new Error(`${id}: crawl ${s.outcome}: ${s.lastError?.message ?? ''}`);
        }
        return true;
      }, 600_000, 'both crawls');
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      await new Promise((r) => setTimeout(r, 500));
      return { s, crawls: procs.reduce((n, p) => n + p.finished(), 0) - before };
    };
    const first = await round();
    const second = await round();
    await graph.init();
    await search.init();
    const tablesInGraph = (await graph.listTableKeys()).length;
    const docsInIndex = await search.count();
    return {
      workers,
      firstS: round2(first.s),
      secondS: round2(second.s),
      crawlsFirst: first.crawls,
      crawlsSecond: second.crawls,
      tablesInGraph,
      docsInIndex,
      duplicates: Math.max(0, tablesInGraph - tables) + Math.max(0, docsInIndex - tables) + Math.max(0, first.crawls - SOURCES.length) + Math.max(0, second.crawls - SOURCES.length),
    };
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(undefined) : p.child.once('exit', r)))));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await status.close();
    const keys = await redis.keys(`${tag}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await graph.clear().catch(() => undefined);
    await graph.close().catch(() => undefined);
    await search.close().catch(() => undefined);
    const res = await fetch(`${config.ELASTICSEARCH_URL}/_cat/indices/${tag}-*?format=json&h=index`).catch(() => undefined);
    const names = res?.ok ? ((await res.json()) as Array<{ index: string }>).map((i) => i.index) : [];
    if (names.length) await fetch(`${config.ELASTICSEARCH_URL}/${names.join(',')}`, { method: 'DELETE' });
    rmSync(dir, { recursive: true, force: true });
  }
}
