import { z } from 'zod';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Embedder } from '../ports/embedder';
import { dot } from '../search/vectors';
import type { Attribute } from './intents';

/** What a message can be classified as by its meaning: a search, or a question about one attribute of a table. */
export type IntentLabel = 'find' | Attribute;

const LABELS: IntentLabel[] = ['find', 'last_updated', 'cadence', 'owners', 'frequent_users', 'columns', 'lineage', 'dashboards'];

const ExamplesSchema = z.record(z.enum(LABELS as [IntentLabel, ...IntentLabel[]]), z.record(z.string(), z.array(z.string().min(3))));

/** Example questions by label, all languages together. */
export type IntentExamples = Partial<Record<IntentLabel, string[]>>;

/** The examples shipped with Nansen (`data/intents/examples.yml`), found by walking up from this file. */
export function bundledIntentExamples(): IntentExamples {
  let dir = __dirname;
  let file = resolve(__dirname, '..', '..', 'data', 'intents', 'examples.yml');
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'intents', 'examples.yml');
    if (existsSync(candidate)) {
      file = candidate;
      break;
    }
    dir = dirname(dir);
  }
  const parsed = ExamplesSchema.parse(parseYaml(readFileSync(file, 'utf8')));
  return Object.fromEntries(Object.entries(parsed).map(([label, byLang]) => [label, Object.values(byLang).flat()])) as IntentExamples;
}

interface Prepared {
  labels: IntentLabel[];
  vectors: Float32Array[];
}

const prepared = new WeakMap<Embedder, Promise<Prepared | undefined>>();
let bundled: IntentExamples | undefined;

/** The example vectors of an embedder's model, embedded once (in the background on first use). */
function examplesOf(embedder: Embedder, examples: IntentExamples | undefined): Promise<Prepared | undefined> {
  let p = prepared.get(embedder);
  if (!p) {
    const all = examples ?? (bundled ??= bundledIntentExamples());
    const labels = LABELS.flatMap((l) => (all[l] ?? []).map(() => l));
    const texts = LABELS.flatMap((l) => all[l] ?? []);
    p = embedder.embed(texts, 'query').then(
      (vectors) => ({ labels, vectors }),
      () => {
        prepared.delete(embedder);
        return undefined;
      },
    );
    prepared.set(embedder, p);
  }
  return p;
}

/** Embeds the examples now (a composition root calls it at start, an evaluation before its first question). */
export async function prepareIntentExamples(embedder: Embedder, examples?: IntentExamples): Promise<boolean> {
  return !!(await examplesOf(embedder, examples));
}

/**
 * How close a message is to each intent: the highest cosine between its vector and the intent's examples. Undefined
 * while the examples are not embedded yet (the first questions after a start are read by the grammar alone).
 */
export async function intentSimilarities(vector: Float32Array, embedder: Embedder, examples?: IntentExamples): Promise<Map<IntentLabel, number> | undefined> {
  const p = examplesOf(embedder, examples);
  const ready = await Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
  if (ready === 'pending' || !ready || ready.vectors[0]?.length !== vector.length) return undefined;
  const out = new Map<IntentLabel, number>();
  ready.vectors.forEach((v, i) => {
    const label = ready.labels[i]!;
    const s = dot(vector, v);
    if (s > (out.get(label) ?? -2)) out.set(label, s);
  });
  return out;
}
