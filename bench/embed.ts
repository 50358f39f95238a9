/**
 * Embedding benchmark: `npm run bench:embed -- --tables N [--backend embedded|neo4j-es] [--columns on|off]
 * [--catalog-vectors model|random] [--questions Q] [--settle] [--cpu-profile FILE] [--json]`.
 *
 * Imports N generated tables into fresh stores (embedded files, or a fresh Neo4j keyspace and Elasticsearch index
 * prefix, removed after), embeds them all through the embeddings server (NANSEN_EMBEDDINGS_URL, else the one
 * scripts/services.sh started), then imports the same catalog again (timed: it compares every passage with its
 * stored vector's) and re-embeds: nothing changed, so nothing is pending and no text goes to the model. Then
 * asks Q generated questions, hybrid, and times them, the question's own embedding call
 * included; between answers it times the embedding call alone (another distinct text), so both come from the same
 * window, and the same question again, its vector now cached: the answer's own work, dense path included. Prints
 * throughput, answer latency, the answer's wall time beyond its own embedding call (what Nansen adds to the server's
 * latency), the store calls per answer (each one request to Neo4j or Elasticsearch, or more when
 * an adapter splits it; vector searches by kind), their summed wall time per answer, and peak RSS as JSON.
 *
 * `--catalog-vectors random` gives the catalog seeded random unit vectors under the real model's name and dimension
 * instead of the model's (the catalog loads in seconds; no embedding throughput is measured). The question's
 * embedding is always the real server's call. `--settle` asks the questions only once Elasticsearch has merged what
 * the import wrote (a steady index, as between crawls; without it, right after a full import). `--cpu-profile FILE` writes a V8 CPU profile of the question loop.
 */
import { Client } from '@elastic/elasticsearch';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ElasticsearchSearchIndex } from '../src/adapters/elasticsearch/elasticsearch-search-index';
import { ElasticsearchVectorIndex } from '../src/adapters/elasticsearch/elasticsearch-vector-index';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { SqliteVectorIndex } from '../src/adapters/embedded/sqlite-vector-index';
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store';
import { answer } from '../src/answering/answer';
import { prepareIntentExamples } from '../src/answering/classify';
import { embedPending } from '../src/catalog/embed';
import { importCatalog } from '../src/catalog/import';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import type { Embedder, EmbeddingModel } from '../src/ports/embedder';
import type { GraphStore } from '../src/ports/graph-store';
import type { SearchIndex } from '../src/ports/search-index';
import type { VectorIndex } from '../src/ports/vector-index';
import { embedderFromConfig, type Backend } from '../src/main/stores';
import { generateCatalog } from './generate-catalog';
import { percentile, removeBenchStores, round2, seededRandom, trackPeakRss } from './lib';
import { serviceEnv } from './service-env';

const QUESTION_WORDS = ['latency by country', 'daily revenue per platform', 'crash count by device', 'purchase refunds', 'guild retention', '국가별 매출', '일별 접속 유저', '서버별 레이턴시', 'ad campaign clicks', 'login sessions hourly'];
const BACKENDS: Backend[] = ['embedded', 'neo4j-es'];

/** Seeded random unit vectors in the real model's name and dimension: a catalog that loads in seconds. */
function randomEmbedder(model: EmbeddingModel, seed: number): Embedder {
  const rand = seededRandom(seed);
  const unit = (): Float32Array => {
    const v = new Float32Array(model.dimensions);
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += (v[i] = rand() * 2 - 1) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  };
  return { embed: async (texts) => texts.map(unit), model: () => model, probe: async () => model };
}

/** Store calls by `store.method`: how many, and their summed wall time (calls that overlap each count whole). */
type CallCounts = Map<string, { n: number; ms: number }>;

/** A vector search's kinds, as `(column)`, so each kind of request is timed apart; '' for other calls. */
function kindsOf(arg: unknown): string {
  const kinds = (arg as { kinds?: unknown } | undefined)?.kinds;
  return Array.isArray(kinds) ? `(${kinds.join('+')})` : '';
}

/** The store, with each of its method calls counted and timed under `name.method` while `counting.on`. */
function counted<T extends object>(store: T, name: string, calls: CallCounts, counting: { on: boolean }): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!counting.on) return out;
        const id = `${name}.${String(prop)}${kindsOf(args[0])}`;
        const entry = calls.get(id) ?? { n: 0, ms: 0 };
        calls.set(id, entry);
        entry.n++;
        if (!(out instanceof Promise)) return out;
        const started = performance.now();
        return out.finally(() => (entry.ms += performance.now() - started));
      };
    },
  });
}

interface BenchStores {
  graph: GraphStore;
  search: SearchIndex;
  vectors: VectorIndex;
  /** Resolves once the backend's background work on what was written (Elasticsearch's segment merges) is done. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Polls Elasticsearch until no merge has run on the bench's indices for three polls in a row (at most 10 min). */
async function mergesDone(node: string, prefix: string): Promise<void> {
  const client = new Client({ node });
  const until = Date.now() + 10 * 60_000;
  for (let quiet = 0; quiet < 3 && Date.now() < until; await new Promise((r) => setTimeout(r, 2_000))) {
    const stats = await client.indices.stats({ index: `${prefix}-*`, metric: 'merge' });
    quiet = stats._all.total?.merges?.current ? 0 : quiet + 1;
  }
  await client.close();
}

function openBenchStores(backend: Backend, dir: string, config: ReturnType<typeof loadConfig>): BenchStores {
  if (backend === 'embedded') {
    const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
    const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
    const vectors = new SqliteVectorIndex({ path: join(dir, 'vectors.sqlite') });
    return { graph, search, vectors, settle: async () => undefined, close: async () => void (await Promise.allSettled([graph.close(), search.close(), vectors.close()])) };
  }
  const logger = silentLogger();
  const graph = new Neo4jGraphStore({ url: config.NEO4J_URL, username: config.NEO4J_USER, password: config.NEO4J_PASSWORD, logger, keyspace: config.NEO4J_KEYSPACE });
  const search = new ElasticsearchSearchIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX, logger });
  const vectors = new ElasticsearchVectorIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX, logger });
  return {
    graph,
    search,
    vectors,
    settle: () => mergesDone(config.ELASTICSEARCH_URL, config.ELASTICSEARCH_INDEX_PREFIX),
    async close() {
      await Promise.allSettled([graph.close(), search.close(), vectors.close()]);
      await removeBenchStores(config);
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tables: { type: 'string', default: '10000' },
      backend: { type: 'string', default: 'embedded' },
      columns: { type: 'string', default: 'off' },
      'catalog-vectors': { type: 'string', default: 'model' },
      questions: { type: 'string', default: '200' },
      'cpu-profile': { type: 'string' },
      settle: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const tables = Number(values.tables);
  const questions = Number(values.questions);
  const backend = values.backend as Backend;
  const randomVectors = values['catalog-vectors'] === 'random';
  if (!Number.isInteger(tables) || tables < 1) throw new Error('--tables must be a positive integer');
  if (!BACKENDS.includes(backend)) throw new Error(`--backend takes one of ${BACKENDS.join(', ')}`);
  if (!['model', 'random'].includes(values['catalog-vectors']!)) throw new Error('--catalog-vectors takes model or random');
  const env = serviceEnv();
  const url = process.env.NANSEN_EMBEDDINGS_URL || env.EMBEDDINGS_URL;
  if (!url) throw new Error('no embeddings server: set NANSEN_EMBEDDINGS_URL or run `npm run services -- up`');
  const tag = randomBytes(4).toString('hex');
  const config = loadConfig({
    ...process.env,
    ...env,
    NANSEN_EMBEDDINGS_URL: url,
    NANSEN_EMBEDDINGS_INPUT_TYPE: process.env.NANSEN_EMBEDDINGS_INPUT_TYPE ?? 'on',
    NEO4J_KEYSPACE: `bench-embed-${tag}`,
    ELASTICSEARCH_INDEX_PREFIX: `bench-embed-${tag}`,
  });
  const embedder = embedderFromConfig(config)!;
  const columns = values.columns === 'on';
  const dir = mkdtempSync(join(tmpdir(), 'nansen-bench-embed-'));
  const stores = openBenchStores(backend, dir, config);
  const { graph, search, vectors } = stores;
  const rss = trackPeakRss();
  try {
    await graph.init();
    await search.init();
    await vectors.init();
    const catalog = generateCatalog(tables);
    const publishTo = { graph, search, vectors: { index: vectors, columns } };
    await importCatalog(catalog, publishTo);
    const catalogEmbedder = randomVectors ? randomEmbedder(await embedder.probe(), 11) : embedder;
    const deps = { graph, vectors, embedder: catalogEmbedder, columns };
    let t0 = performance.now();
    const full = await embedPending(deps, { onProgress: (p) => process.stderr.isTTY && process.stderr.write(`\rembedding ${p.done}/${p.total}`) });
    const fullS = (performance.now() - t0) / 1000;
    if (process.stderr.isTTY) process.stderr.write('\n');
    // the same catalog again: the import finds every passage unchanged and marks nothing, so it is timed too
    t0 = performance.now();
    await importCatalog(catalog, publishTo);
    const reimportS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const again = await embedPending(deps);
    const againS = (performance.now() - t0) / 1000;

    t0 = performance.now();
    if (values.settle) await stores.settle();
    const settleS = (performance.now() - t0) / 1000;
    await prepareIntentExamples(embedder);
    const rand = seededRandom(7);
    const now = new Date(catalog.now ?? Date.now());
    const calls: CallCounts = new Map();
    const counting = { on: false };
    const answering = {
      graph: counted(graph, 'graph', calls, counting),
      search: counted(search, 'search', calls, counting),
      now: () => now,
      timeZone: 'Asia/Seoul',
      meaning: { embedder: counted(embedder, 'embedder', calls, counting), vectors: counted(vectors, 'vectors', calls, counting), queryTimeoutMs: config.NANSEN_EMBEDDINGS_QUERY_TIMEOUT_MS },
    };
    await answer({ text: 'warm up' }, answering);
    counting.on = true;
    const session = values['cpu-profile'] ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const latencies: number[] = [];
    const embedOnly: number[] = [];
    const cachedVector: number[] = [];
    // each answer's wall time beyond its own embedding call: what Nansen adds to the server's latency
    const beyondEmbedding: number[] = [];
    for (let i = 0; i < questions; i++) {
      // distinct texts, so the question cache does not hide the model call
      const words = QUESTION_WORDS[Math.floor(rand() * QUESTION_WORDS.length)];
      const text = `which table has ${words} ${i}?`;
      const embeddingBefore = calls.get('embedder.embed')?.ms ?? 0;
      let started = performance.now();
      await answer({ text }, answering);
      latencies.push(performance.now() - started);
      beyondEmbedding.push(latencies.at(-1)! - ((calls.get('embedder.embed')?.ms ?? 0) - embeddingBefore));
      started = performance.now();
      await embedder.embed([`which table holds ${words} ${i}?`], 'query');
      embedOnly.push(performance.now() - started);
      // the same question again: its vector is cached, so this is the answer's own work, the dense path included
      started = performance.now();
      await answer({ text }, answering);
      cachedVector.push(performance.now() - started);
    }
    counting.on = false;
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(values['cpu-profile']!, JSON.stringify(profile));
      session.disconnect();
    }
    const subjects = full.embedded + full.unchanged;
    const out = {
      bench: 'embed',
      backend,
      tables,
      columns,
      model: config.NANSEN_EMBEDDINGS_MODEL,
      catalogVectors: randomVectors ? 'random' : 'model',
      ...(values.settle ? { settledSeconds: round2(settleS) } : {}),
      ...(randomVectors
        ? {}
        : {
            full: { subjects, seconds: round2(fullS), tablesPerS: round2(tables / fullS), subjectsPerS: round2(subjects / fullS) },
            noChange: { embedded: again.embedded, unchanged: again.unchanged, seconds: round2(againS), tablesPerS: round2(tables / againS), reimportSeconds: round2(reimportS) },
          }),
      answerMs: { questions, p50: round2(percentile(latencies, 50)), p95: round2(percentile(latencies, 95)), max: round2(Math.max(...latencies)) },
      answerBeyondEmbeddingMs: { questions, p50: round2(percentile(beyondEmbedding, 50)), p95: round2(percentile(beyondEmbedding, 95)) },
      embeddingCallMs: { calls: questions, p50: round2(percentile(embedOnly, 50)), p95: round2(percentile(embedOnly, 95)) },
      answerCachedVectorMs: { questions, p50: round2(percentile(cachedVector, 50)), p95: round2(percentile(cachedVector, 95)) },
      storeCallsPerAnswer: Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b)).map(([method, c]) => [method, round2(c.n / (2 * questions))])),
      storeMsPerAnswer: Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b)).map(([method, c]) => [method, round2(c.ms / (2 * questions))])),
      peakRssMb: rss.stop(),
    };
    console.log(values.json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:embed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
