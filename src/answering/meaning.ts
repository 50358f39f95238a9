import type { Logger } from '../log/logger';
import { EmbeddingsUnavailableError, type Embedder } from '../ports/embedder';
import type { VectorIndex, VectorKind } from '../ports/vector-index';
import { dot, median } from '../search/vectors';

/** What answering needs to match by meaning: the model server, the catalog's vectors, and how long to wait. */
export interface MeaningDeps {
  embedder: Embedder;
  vectors: VectorIndex;
  /** How long a question's embedding may take before the answer goes lexical (default 1500 ms). */
  queryTimeoutMs?: number;
  /** Where a failing server is said, once per change of state. */
  log?: Logger;
}

/** The distribution of a question's similarity to the catalog in general: what "clearly similar" is measured against. */
export interface Background {
  median: number;
  /** Half the spread between the quartiles; a robust stand-in for the standard deviation. */
  spread: number;
}

/** How long a failing server is left alone before a question tries it again. */
const COOL_OFF_MS = 30_000;
/** Questions whose vectors are kept (people ask the same things; threads repeat themselves). */
const CACHE_SIZE = 500;
/** Vectors of the catalog a question is compared with to know what ordinary similarity is. */
const BACKGROUND_SAMPLE = 256;

interface State {
  cache: Map<string, Float32Array>;
  downUntil: number;
  down: boolean;
}

const states = new WeakMap<Embedder, State>();

function stateOf(embedder: Embedder): State {
  let s = states.get(embedder);
  if (!s) states.set(embedder, (s = { cache: new Map(), downUntil: 0, down: false }));
  return s;
}

/**
 * A question's vector, or undefined when meaning is not available right now: no embeddings server, a server that
 * just failed (left alone for a while), a timeout, or an index whose vectors come from another model. Never throws;
 * a failure is logged once, and its recovery once. `onSent` is called when the request to the server has left (see
 * `Embedder`), if there is one and the adapter tells.
 */
export async function embedQuestion(text: string, deps: MeaningDeps | undefined, onSent?: () => void): Promise<Float32Array | undefined> {
  if (!deps || !text.trim()) return undefined;
  const state = stateOf(deps.embedder);
  const hit = state.cache.get(text);
  if (hit) {
    state.cache.delete(text);
    state.cache.set(text, hit);
    return hit;
  }
  if (Date.now() < state.downUntil) return undefined;
  try {
    const [vector] = await deps.embedder.embed([text], 'query', { timeoutMs: deps.queryTimeoutMs ?? 1500, ...(onSent ? { onSent } : {}) });
    if (state.down) deps.log?.info('embeddings server answers again: answers match by meaning again');
    state.down = false;
    if (!vector) return undefined;
    state.cache.set(text, vector);
    if (state.cache.size > CACHE_SIZE) state.cache.delete(state.cache.keys().next().value!);
    return vector;
  } catch (err) {
    state.downUntil = Date.now() + COOL_OFF_MS;
    if (!state.down) {
      const e = err instanceof EmbeddingsUnavailableError ? { code: err.code, reason: err.message } : { code: 'error', reason: (err as Error).message };
      deps.log?.warn(e, 'embeddings server failed: answering lexically for now');
    }
    state.down = true;
    return undefined;
  }
}

/** Whether the index's vectors are in the question's space (same model, same dimension). */
export async function sameSpace(deps: MeaningDeps, vector: Float32Array): Promise<boolean> {
  const model = await deps.vectors.model();
  const asked = deps.embedder.model();
  return !!model && model.dimensions === vector.length && (!asked || asked.name === model.name);
}

/** How similar the question is to the catalog in general, over a fixed sample of its vectors of one kind. */
export async function backgroundOf(vector: Float32Array, deps: MeaningDeps, kind: VectorKind): Promise<Background | undefined> {
  const sample = await deps.vectors.sample(kind, BACKGROUND_SAMPLE);
  if (sample.length < 8) return undefined;
  const sims = sample.map((v) => dot(vector, v)).sort((a, b) => a - b);
  const q = (p: number): number => sims[Math.min(sims.length - 1, Math.floor(p * (sims.length - 1)))]!;
  return { median: median(sims), spread: Math.max(1e-6, (q(0.75) - q(0.25)) / 2) };
}
