/**
 * Embedding benchmark: `npm run bench:embed -- --tables N [--columns on|off] [--questions Q] [--json]`.
 *
 * Imports N generated tables into fresh embedded stores, embeds them all through the embeddings server
 * (NANSEN_EMBEDDINGS_URL, else the one scripts/services.sh started), then imports the same catalog again and
 * re-embeds: nothing changed, so no text goes to the model. Then asks Q generated questions, hybrid, and times
 * them, the question's own embedding call included. Prints throughput, answer latency and peak RSS as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { SqliteVectorIndex } from '../src/adapters/embedded/sqlite-vector-index';
import { answer } from '../src/answering/answer';
import { prepareIntentExamples } from '../src/answering/classify';
import { embedPending } from '../src/catalog/embed';
import { importCatalog } from '../src/catalog/import';
import { loadConfig } from '../src/config/config';
import { embedderFromConfig } from '../src/main/stores';
import { generateCatalog } from './generate-catalog';
import { percentile, round2, seededRandom, trackPeakRss } from './lib';
import { serviceEnv } from './service-env';

const QUESTION_WORDS = ['latency by country', 'daily revenue per platform', 'crash count by device', 'purchase refunds', 'guild retention', '국가별 매출', '일별 접속 유저', '서버별 레이턴시', 'ad campaign clicks', 'login sessions hourly'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tables: { type: 'string', default: '10000' }, columns: { type: 'string', default: 'off' }, questions: { type: 'string', default: '200' }, json: { type: 'boolean', default: false } } });
  const tables = Number(values.tables);
  const questions = Number(values.questions);
  if (!Number.isInteger(tables) || tables < 1) throw new Error('--tables must be a positive integer');
  const env = serviceEnv();
  const url = process.env.NANSEN_EMBEDDINGS_URL || env.EMBEDDINGS_URL;
  if (!url) throw new Error('no embeddings server: set NANSEN_EMBEDDINGS_URL or run `npm run services -- up`');
  const config = loadConfig({ ...process.env, NANSEN_EMBEDDINGS_URL: url, NANSEN_EMBEDDINGS_INPUT_TYPE: process.env.NANSEN_EMBEDDINGS_INPUT_TYPE ?? 'on' });
  const embedder = embedderFromConfig(config)!;
  const columns = values.columns === 'on';
  const dir = mkdtempSync(join(tmpdir(), 'nansen-bench-embed-'));
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const vectors = new SqliteVectorIndex({ path: join(dir, 'vectors.sqlite') });
  const rss = trackPeakRss();
  try {
    await Promise.all([graph.init(), search.init(), vectors.init()]);
    const catalog = generateCatalog(tables);
    const stores = { graph, search, vectors: { index: vectors, columns } };
    await importCatalog(catalog, stores);
    const deps = { graph, vectors, embedder, columns };
    let t0 = performance.now();
    const full = await embedPending(deps, { onProgress: (p) => process.stderr.isTTY && process.stderr.write(`\rembedding ${p.done}/${p.total}`) });
    const fullS = (performance.now() - t0) / 1000;
    if (process.stderr.isTTY) process.stderr.write('\n');
    await importCatalog(catalog, stores);
    t0 = performance.now();
    const again = await embedPending(deps);
    const againS = (performance.now() - t0) / 1000;

    await prepareIntentExamples(embedder);
    const rand = seededRandom(7);
    const now = new Date(catalog.now ?? Date.now());
    const answering = { graph, search, now: () => now, timeZone: 'Asia/Seoul', meaning: { embedder, vectors, queryTimeoutMs: config.NANSEN_EMBEDDINGS_QUERY_TIMEOUT_MS } };
    await answer({ text: 'warm up' }, answering);
    const latencies: number[] = [];
    for (let i = 0; i < questions; i++) {
      // distinct texts, so the question cache does not hide the model call
      const text = `which table has ${QUESTION_WORDS[Math.floor(rand() * QUESTION_WORDS.length)]} ${i}?`;
      const started = performance.now();
      await answer({ text }, answering);
      latencies.push(performance.now() - started);
    }
    const subjects = full.embedded + full.unchanged;
    const out = {
      bench: 'embed',
      tables,
      columns,
      model: config.NANSEN_EMBEDDINGS_MODEL,
      full: { subjects, seconds: round2(fullS), tablesPerS: round2(tables / fullS), subjectsPerS: round2(subjects / fullS) },
      noChange: { embedded: again.embedded, unchanged: again.unchanged, seconds: round2(againS), tablesPerS: round2(tables / againS) },
      answerMs: { questions, p50: round2(percentile(latencies, 50)), p95: round2(percentile(latencies, 95)), max: round2(Math.max(...latencies)) },
      peakRssMb: rss.stop(),
    };
    console.log(values.json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
  } finally {
    await Promise.allSettled([graph.close(), search.close(), vectors.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:embed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
