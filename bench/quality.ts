/**
 * Answer quality against baselines, in one run: `npm run bench:quality -- [--sets dev,real-gitlab] [--eval-dir D] [--json]`.
 *
 * For each evaluation set: Nansen with embeddings (hybrid), Nansen lexical-only, and three references on the find
 * questions — a plain lexical search box (MiniSearch, Amundsen-style field boosts, no vocabulary), dense retrieval
 * alone (the same embeddings server over the same passages), and a reciprocal-rank fusion of the two. The
 * embeddings server is NANSEN_EMBEDDINGS_URL or the one scripts/services.sh started; vectors are cached between
 * runs in the system's temporary folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { CachedEmbedder } from '../src/adapters/embedded/sqlite-embedding-cache';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { SqliteVectorIndex } from '../src/adapters/embedded/sqlite-vector-index';
import type { EvalQuestion } from '../src/answering/evaluation';
import { parseJsonl } from '../src/answering/evaluation';
import { embedPending } from '../src/catalog/embed';
import { importCatalog, readCatalogFile } from '../src/catalog/import';
import type { Catalog } from '../src/catalog/catalog-file';
import { loadConfig } from '../src/config/config';
import { runEvaluation } from '../src/main/eval';
import { embedderFromConfig, embeddingRequestShape } from '../src/main/stores';
import { round2 } from './lib';
import { serviceEnv } from './service-env';

interface Recall {
  r1: number;
  r3: number;
  ko?: number;
  en?: number;
}

const RRF_K = 60;

function recall(questions: EvalQuestion[], ranked: Map<string, string[]>): Recall {
  const finds = questions.filter((q) => q.expect.kind === 'find');
  const rankOf = (q: EvalQuestion): number => {
    const accepted = (q.expect.tables as string[] | undefined) ?? [];
    return (ranked.get(q.id) ?? []).findIndex((k) => accepted.includes(k)) + 1;
  };
  const share = (qs: EvalQuestion[], atMost: number): number => (qs.length ? round2(qs.filter((q) => rankOf(q) >= 1 && rankOf(q) <= atMost).length / qs.length) : 0);
  const ko = finds.filter((q) => q.lang === 'ko');
  const en = finds.filter((q) => q.lang === 'en');
  return { r1: share(finds, 1), r3: share(finds, 3), ...(ko.length ? { ko: share(ko, 1) } : {}), ...(en.length ? { en: share(en, 1) } : {}) };
}

/** The plain search box: one document per table, field boosts as Amundsen's search gives them, no vocabulary. */
function plainSearch(catalog: Catalog, questions: EvalQuestion[]): Map<string, string[]> {
  const mini = new MiniSearch<{ id: string; name: string; schema: string; description: string; columns: string; tags: string }>({
    fields: ['name', 'schema', 'description', 'columns', 'tags'],
    searchOptions: { boost: { name: 3, schema: 1.5, description: 1, columns: 1, tags: 1.5 }, fuzzy: 0.2, prefix: true, combineWith: 'OR' },
  });
  mini.addAll(
    catalog.tables.map((t) => ({
      id: t.key,
      name: t.name,
      schema: t.schema,
      description: t.description ?? '',
      columns: t.columns.map((c) => `${c.name} ${c.description ?? ''}`).join(' '),
      tags: (t.tags ?? []).join(' '),
    })),
  );
  return new Map(questions.map((q) => [q.id, mini.search(q.ask).slice(0, 10).map((r) => String(r.id))]));
}

async function denseSearch(catalogFile: string, questions: EvalQuestion[], url: string): Promise<Map<string, string[]>> {
  const config = loadConfig({ ...process.env, NANSEN_EMBEDDINGS_URL: url, NANSEN_EMBEDDINGS_INPUT_TYPE: process.env.NANSEN_EMBEDDINGS_INPUT_TYPE ?? 'on' });
  const embedder = new CachedEmbedder(embedderFromConfig(config)!, config.NANSEN_EMBEDDINGS_MODEL, join(tmpdir(), 'nansen-embeddings-cache.sqlite'), embeddingRequestShape(config));
  const dir = mkdtempSync(join(tmpdir(), 'nansen-bench-quality-'));
  const graph = new SqliteGraphStore({ path: ':memory:' });
  const search = new SqliteSearchIndex({ path: ':memory:' });
  const vectors = new SqliteVectorIndex({ path: join(dir, 'vectors.sqlite') });
  try {
    await Promise.all([graph.init(), search.init(), vectors.init()]);
    await importCatalog(await readCatalogFile(catalogFile), { graph, search, vectors: { index: vectors, columns: false } });
    await embedPending({ graph, vectors, embedder, columns: false });
    const out = new Map<string, string[]>();
    const queryVectors = await embedder.embed(questions.map((q) => q.ask), 'query');
    for (const [i, q] of questions.entries()) {
      const hits = await vectors.nearest({ vector: queryVectors[i]!, limit: 10, kinds: ['table'] });
      out.set(q.id, hits.map((h) => h.key));
    }
    return out;
  } finally {
    await Promise.allSettled([graph.close(), search.close(), vectors.close()]);
    embedder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function reciprocalRankFusion(...runs: Array<Map<string, string[]>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of runs[0]!.keys()) {
    const score = new Map<string, number>();
    for (const run of runs) (run.get(id) ?? []).forEach((k, rank) => score.set(k, (score.get(k) ?? 0) + 1 / (RRF_K + rank + 1)));
    out.set(id, [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k));
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sets: { type: 'string', default: 'dev,real-gitlab' }, 'eval-dir': { type: 'string', default: resolve(__dirname, '../../shared/eval') }, json: { type: 'boolean', default: false } } });
  const url = process.env.NANSEN_EMBEDDINGS_URL || serviceEnv().EMBEDDINGS_URL;
  if (!url) throw new Error('no embeddings server: set NANSEN_EMBEDDINGS_URL or run `npm run services -- up`');
  process.env.NANSEN_EMBEDDINGS_INPUT_TYPE ??= 'on';
  const results: Record<string, unknown> = {};
  for (const set of values.sets.split(',').map((s) => s.trim()).filter(Boolean)) {
    const catalogFile = join(values['eval-dir'], `${set}.catalog.json`);
    const questionsFile = join(values['eval-dir'], `${set}.questions.jsonl`);
    const questions = parseJsonl<EvalQuestion>(readFileSync(questionsFile, 'utf8'), questionsFile);
    const common = { catalog: catalogFile, questions: questionsFile, backend: 'embedded' as const, json: true, timeZone: 'Asia/Seoul' };
    const summary = (r: Awaited<ReturnType<typeof runEvaluation>>['report']) => ({ overall: r.overall, find: r.find, unknown: r.byKind.unknown ?? null, byLang: r.byLang, latencyMs: r.latencyMs });
    const hybrid = await runEvaluation({ ...common, embeddings: url });
    const lexical = await runEvaluation({ ...common, embeddings: 'off' });
    const plain = plainSearch(await readCatalogFile(catalogFile), questions);
    const dense = await denseSearch(catalogFile, questions, url);
    results[set] = {
      nansenHybrid: summary(hybrid.report),
      nansenLexical: summary(lexical.report),
      plainLexicalSearch: recall(questions, plain),
      denseOnly: recall(questions, dense),
      plainPlusDenseRrf: recall(questions, reciprocalRankFusion(plain, dense)),
    };
  }
  console.log(values.json ? JSON.stringify(results) : JSON.stringify(results, null, 2));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:quality: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
