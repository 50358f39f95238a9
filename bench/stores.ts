/**
 * Store benchmark: `npm run bench:stores -- --tables N [--backend embedded|neo4j-es] [--json]`.
 * Each backend runs in a child process of its own so its peak memory is its own. The Neo4j+Elasticsearch run
 * uses the servers of scripts/services.sh, with a fresh index prefix and Neo4j keyspace, removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store';
import { importCatalog } from '../src/catalog/import';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import { openStores, type Backend } from '../src/main/stores';
import { analyze } from '../src/text/analyze';
import { BENCH_QUERIES, generateCatalog } from './generate-catalog';
import { percentile, round2, seededRandom, timeMs, trackPeakRss } from './lib';
import { serviceEnv } from './service-env';

const BACKENDS: Backend[] = ['embedded', 'neo4j-es'];

interface BackendFigures {
  importTablesPerS: number;
  searchMs: { p50: number; p95: number };
  getTableMs: { p50: number; p95: number };
  peakRssMb: number;
}

async function runOne(backend: Backend, tables: number): Promise<BackendFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nansen-bench-'));
  const env = { ...process.env, ...serviceEnv(), NANSEN_DATA_DIR: dataDir, ELASTICSEARCH_INDEX_PREFIX: `bench-${Date.now()}`, NEO4J_KEYSPACE: `bench-${Date.now()}` };
  const config = loadConfig(env);
  const memory = trackPeakRss();
  const stores = await openStores(config, silentLogger(), backend);
  try {
    const catalog = generateCatalog(tables);
    const importMs = await timeMs(() => importCatalog(catalog, stores, { batchSize: 1000 }));
    const queries = BENCH_QUERIES.map((q) => ({ clauses: analyze(q).map((term) => ({ term, boost: 1 })), limit: 10, now: catalog.now }));
    for (const q of queries) await stores.search.search(q);
    const searchMs: number[] = [];
    for (let round = 0; round < 10; round++) for (const q of queries) searchMs.push(await timeMs(() => stores.search.search(q)));
    const rand = seededRandom(7);
    const getTableMs: number[] = [];
    for (let i = 0; i < 300; i++) {
      const key = catalog.tables[Math.floor(rand() * catalog.tables.length)]!.key;
      getTableMs.push(await timeMs(() => stores.graph.getTable(key)));
    }
    return {
      importTablesPerS: round2(tables / (importMs / 1000)),
      searchMs: { p50: round2(percentile(searchMs, 50)), p95: round2(percentile(searchMs, 95)) },
      getTableMs: { p50: round2(percentile(getTableMs, 50)), p95: round2(percentile(getTableMs, 95)) },
      peakRssMb: memory.stop(),
    };
  } finally {
    if (stores.graph instanceof Neo4jGraphStore) await stores.graph.clear();
    if (backend === 'neo4j-es') await dropBenchIndexes(config.ELASTICSEARCH_URL, config.ELASTICSEARCH_INDEX_PREFIX);
    await stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dropBenchIndexes(node: string, prefix: string): Promise<void> {
  await fetch(`${node}/${prefix}-*`, { method: 'DELETE' }).catch(() => undefined);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tables: { type: 'string', default: '10000' }, backend: { type: 'string' }, json: { type: 'boolean', default: false }, child: { type: 'boolean', default: false } } });
  const tables = Number(values.tables);
  if (!Number.isInteger(tables) || tables <= 0) throw new Error('--tables takes a positive whole number');
  if (values.backend && !BACKENDS.includes(values.backend as Backend)) throw new Error(`--backend takes one of ${BACKENDS.join(', ')}`);
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await runOne(values.backend as Backend, tables))}\n`);
    return;
  }
  const backends = values.backend ? [values.backend as Backend] : BACKENDS;
  const result: { tables: number; backends: Record<string, BackendFigures> } = { tables, backends: {} };
  for (const backend of backends) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', '--backend', backend, '--tables', String(tables)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      process.stderr.write(`bench:stores: the ${backend} run failed (exit ${child.status})\n`);
      process.exitCode = 1;
      continue;
    }
    result.backends[backend] = JSON.parse(child.stdout.trim().split('\n').pop()!) as BackendFigures;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else console.table(Object.fromEntries(Object.entries(result.backends).map(([b, f]) => [b, { 'import t/s': f.importTablesPerS, 'search p50': f.searchMs.p50, 'search p95': f.searchMs.p95, 'get p50': f.getTableMs.p50, 'get p95': f.getTableMs.p95, 'rss MB': f.peakRssMb }])));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:stores failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
