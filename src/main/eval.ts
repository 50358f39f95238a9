/**
 * Question-answering evaluation: imports a catalog into fresh stores, asks every question of a question set (with
 * its thread) at the catalog's present moment, writes the structured answers and scores them as
 * shared/eval/score.mjs does.
 *
 *   npm run eval -- --catalog <file> --questions <file> [--backend embedded|neo4j-es] [--answers-out <file>] [--json]
 *                   [--embeddings <url>|off] [--embeddings-cache <file>] [--tuning <json>]
 *
 * With an embeddings server (`--embeddings`, else NANSEN_EMBEDDINGS_URL and its settings), the catalog is embedded
 * after the import and answers are hybrid; vectors are kept in a cache file between runs, so only new text costs
 * the model anything.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteGraphStore } from '../adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../adapters/embedded/sqlite-search-index';
import { answer } from '../answering/answer';
import type { Answer } from '../answering/types';
import type { EvalAnswer, EvalQuestion, ScoreReport } from '../answering/evaluation';
import { parseJsonl, scoreAnswers, toEvalAnswer } from '../answering/evaluation';
import { importCatalog, readCatalogFile } from '../catalog/import';
import type { Stores } from '../catalog/publish';
import { UserError } from '../domain/errors';
import { loadConfig } from '../config/config';
import { CachedEmbedder } from '../adapters/embedded/sqlite-embedding-cache';
import { SqliteVectorIndex } from '../adapters/embedded/sqlite-vector-index';
import { embedPending } from '../catalog/embed';
import { prepareIntentExamples } from '../answering/classify';
import type { FindTuning } from '../answering/tuning';
import { embedderFromConfig, embeddingRequestShape } from './stores';
import { vocabularyFromConfig } from './settings';

type Backend = 'embedded' | 'neo4j-es';

export interface Options {
  catalog: string;
  questions: string;
  backend: Backend;
  answersOut?: string;
  json: boolean;
  timeZone: string;
  /** The embeddings server's URL, `off`, or undefined for the configured one. */
  embeddings?: string;
  /** Where vectors are remembered between runs (default: a file in the system's temporary folder). */
  embeddingsCache?: string;
  tuning?: Partial<FindTuning>;
  /** Writes each question with its full structured answer (evidence, ranking paths) as JSON lines, for tuning. */
  debugOut?: string;
}

const USAGE =
  'usage: npm run eval -- --catalog <file> --questions <file> [--backend embedded|neo4j-es] [--answers-out <file>] [--json] [--time-zone <IANA zone>] [--embeddings <url>|off] [--embeddings-cache <file>] [--tuning <json>] [--debug-out <file>]';

function parseArgs(argv: string[]): Options {
  const opts: Partial<Options> = { backend: 'embedded', json: false, timeZone: loadConfig().NANSEN_TIMEZONE, embeddingsCache: join(tmpdir(), 'nansen-embeddings-cache.sqlite') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UserError('bad_args', `${arg} needs a value\n${USAGE}`);
      return v;
    };
    switch (arg) {
      case '--catalog':
        opts.catalog = value();
        break;
      case '--questions':
        opts.questions = value();
        break;
      case '--backend': {
        const b = value();
        if (b !== 'embedded' && b !== 'neo4j-es') throw new UserError('bad_args', `--backend must be embedded or neo4j-es\n${USAGE}`);
        opts.backend = b;
        break;
      }
      case '--answers-out':
        opts.answersOut = value();
        break;
      case '--time-zone':
        opts.timeZone = value();
        break;
      case '--json':
        opts.json = true;
        break;
      case '--embeddings':
        opts.embeddings = value();
        break;
      case '--debug-out':
        opts.debugOut = value();
        break;
      case '--embeddings-cache':
        opts.embeddingsCache = value();
        break;
      case '--tuning':
        try {
          opts.tuning = JSON.parse(value()) as Partial<FindTuning>;
        } catch {
          throw new UserError('bad_args', `--tuning needs a JSON object\n${USAGE}`);
        }
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new UserError('bad_args', `unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (!opts.catalog || !opts.questions) throw new UserError('bad_args', USAGE);
  return opts as Options;
}

interface OpenedStores extends Stores {
  close(): Promise<void>;
}

async function openEmbedded(withVectors: boolean): Promise<OpenedStores> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-eval-'));
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const vectors = withVectors ? new SqliteVectorIndex({ path: join(dir, 'vectors.sqlite') }) : undefined;
  await graph.init();
  await search.init();
  await vectors?.init();
  return {
    graph,
    search,
    ...(vectors ? { vectors: { index: vectors, columns: true } } : {}),
    async close() {
      await Promise.allSettled([graph.close(), search.close(), ...(vectors ? [vectors.close()] : [])]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Service URLs from the environment, else from the services script's env.json. */
function serviceEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const file = join(process.env.NANSEN_SERVICES_DIR ?? '/tmp/nansen-services', 'env.json');
  if (existsSync(file)) {
    const fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(fromFile)) if (env[k] === undefined && typeof v === 'string') env[k] = v;
  }
  return env;
}

/**
 * Neo4j + Elasticsearch through the composition root, isolated from anything else on the same servers: a fresh
 * Neo4j keyspace and a fresh Elasticsearch index prefix, both unique to this run and removed when it ends.
 */
async function openNeo4jEs(embeddingsUrl: string | undefined): Promise<OpenedStores> {
  const [{ openStores }, { loadConfig }, { createLogger }, { Client }] = await Promise.all([
    import('./stores'),
    import('../config/config'),
    import('../log/logger'),
    import('@elastic/elasticsearch'),
  ]);
  const run = `eval-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    ...serviceEnv(),
    NANSEN_BACKEND: 'neo4j-es',
    ELASTICSEARCH_INDEX_PREFIX: `nansen-${run}`,
    NEO4J_KEYSPACE: run,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NANSEN_EMBEDDINGS_URL: embeddingsUrl ?? '',
  });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'nansen-eval' });
  const stores = await openStores(config, logger, 'neo4j-es');
  if ((await stores.graph.stats()).tables > 0) {
    await stores.close();
    throw new UserError('not_empty', `Neo4j keyspace ${run} at ${config.NEO4J_URL} is not empty`);
  }
  return {
    graph: stores.graph,
    search: stores.search,
    ...(stores.vectors ? { vectors: stores.vectors } : {}),
    async close() {
      const graph = stores.graph as unknown as { clear?: () => Promise<void> };
      await graph.clear?.call(stores.graph).catch(() => undefined);
      await stores.close();
      const es = new Client({ node: config.ELASTICSEARCH_URL });
      try {
        const indices = Object.keys(await es.indices.get({ index: `${config.ELASTICSEARCH_INDEX_PREFIX}-*`, ignore_unavailable: true, allow_no_indices: true }));
        if (indices.length) await es.indices.delete({ index: indices, ignore_unavailable: true });
      } catch {
        // best effort: a leftover index of an evaluation run holds only catalog test data
      } finally {
        await es.close();
      }
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export interface EvalResult extends ScoreReport {
  backend: Backend;
  /** Whether answers matched by meaning too. */
  hybrid: boolean;
  latencyMs: { p50: number; p95: number; max: number; mean: number };
}

/** Runs an evaluation and returns its report and the answers. */
export async function runEvaluation(opts: Options): Promise<{ report: EvalResult; answers: EvalAnswer[]; full: Answer[] }> {
  const catalog = await readCatalogFile(opts.catalog);
  const questions = parseJsonl<EvalQuestion>(readFileSync(opts.questions, 'utf8'), opts.questions);
  const config = loadConfig();
  const vocabulary = vocabularyFromConfig(config);
  const url = opts.embeddings === 'off' ? undefined : (opts.embeddings ?? config.NANSEN_EMBEDDINGS_URL);
  const embeddingConfig = { ...config, NANSEN_EMBEDDINGS_URL: url };
  const inner = url ? embedderFromConfig(embeddingConfig) : undefined;
  const cacheFile = opts.embeddingsCache ?? join(tmpdir(), 'nansen-embeddings-cache.sqlite');
  const embedder = inner ? new CachedEmbedder(inner, config.NANSEN_EMBEDDINGS_MODEL, cacheFile, embeddingRequestShape(embeddingConfig)) : undefined;
  const stores = opts.backend === 'embedded' ? await openEmbedded(!!embedder) : await openNeo4jEs(url);
  try {
    await importCatalog(catalog, stores);
    if (embedder && stores.vectors) {
      const t0 = performance.now();
      const embedded = await embedPending(
        { graph: stores.graph, vectors: stores.vectors.index, embedder, columns: stores.vectors.columns },
        { onProgress: (p) => process.stderr.isTTY && process.stderr.write(`\rembedding the catalog: ${p.done}/${p.total}`) },
      );
      if (process.stderr.isTTY) process.stderr.write('\n');
      await prepareIntentExamples(embedder);
      process.stderr.write(`embedded ${embedded.embedded + embedded.unchanged} subjects in ${Math.round(performance.now() - t0)} ms\n`);
    }
    const now = new Date(catalog.now ?? new Date().toISOString());
    const deps = {
      graph: stores.graph,
      search: stores.search,
      now: () => now,
      vocabulary,
      timeZone: opts.timeZone,
      // the evaluation measures answers, not a loaded machine: a question waits up to 10 s for its vector unless told otherwise
      ...(embedder && stores.vectors ? { meaning: { embedder, vectors: stores.vectors.index, queryTimeoutMs: process.env.NANSEN_EMBEDDINGS_QUERY_TIMEOUT_MS ? loadConfig().NANSEN_EMBEDDINGS_QUERY_TIMEOUT_MS : 10_000 } } : {}),
      ...(opts.tuning ? { tuning: opts.tuning } : {}),
    };
    // one warm-up question, so the first real one does not pay for loading caches
    await answer({ text: 'warm up' }, deps);
    const answers: EvalAnswer[] = [];
    const full: Answer[] = [];
    const latencies: number[] = [];
    for (const q of questions) {
      const started = performance.now();
      const a = await answer({ text: q.ask, ...(q.thread?.length ? { thread: q.thread } : {}) }, deps);
      latencies.push(performance.now() - started);
      full.push(a);
      answers.push(toEvalAnswer(q.id, a));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const r = (x: number): number => Math.round(x * 10) / 10;
    const report: EvalResult = {
      ...scoreAnswers(questions, answers),
      backend: opts.backend,
      hybrid: !!deps.meaning,
      latencyMs: { p50: r(percentile(sorted, 50)), p95: r(percentile(sorted, 95)), max: r(sorted[sorted.length - 1] ?? 0), mean: r(latencies.reduce((s, x) => s + x, 0) / (latencies.length || 1)) },
    };
    return { report, answers, full };
  } finally {
    await stores.close();
    embedder?.close();
  }
}

function printTable(report: EvalResult): void {
  const fmt = (x: number | null): string => (x === null ? '  -  ' : x.toFixed(3));
  const lines: string[] = [];
  lines.push(`backend ${report.backend}${report.hybrid ? ' (hybrid)' : ' (lexical)'}   questions ${report.questions}   overall ${fmt(report.overall)}`);
  lines.push(`find     r@1 ${fmt(report.find.r1)}   r@3 ${fmt(report.find.r3)}   r@5 ${fmt(report.find.r5)}   mrr ${fmt(report.find.mrr)}`);
  lines.push('');
  lines.push('kind             score');
  for (const [k, v] of Object.entries(report.byKind)) lines.push(`  ${k.padEnd(15)} ${fmt(v)}`);
  lines.push('language         score');
  for (const [k, v] of Object.entries(report.byLang)) lines.push(`  ${k.padEnd(15)} ${fmt(v)}`);
  lines.push(`latency ms       p50 ${report.latencyMs.p50}   p95 ${report.latencyMs.p95}   max ${report.latencyMs.max}`);
  if (report.failures.length) {
    lines.push('');
    lines.push(`failures (${report.failures.length})`);
    for (const f of report.failures) lines.push(`  ✗ ${f.id.padEnd(6)} ${f.why} — ${f.ask}`);
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const { report, answers, full } = await runEvaluation(opts);
  if (opts.answersOut) writeFileSync(opts.answersOut, answers.map((a) => JSON.stringify(a)).join('\n') + '\n');
  if (opts.debugOut) {
    const questions = parseJsonl<EvalQuestion>(readFileSync(opts.questions, 'utf8'), opts.questions);
    writeFileSync(opts.debugOut, full.map((a, i) => JSON.stringify({ question: questions[i], answer: { ...a, refs: undefined } })).join('\n') + '\n');
  }
  if (opts.json) {
    const { overall, find, byKind, byLang, latencyMs, failures, questions, backend, hybrid } = report;
    console.log(JSON.stringify({ overall, find, byKind, byLang, latencyMs: { p50: latencyMs.p50, p95: latencyMs.p95 }, failures, questions, backend, hybrid }));
  } else printTable(report);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof UserError ? e.message : e);
    process.exit(e instanceof UserError ? 2 : 1);
  });
}
