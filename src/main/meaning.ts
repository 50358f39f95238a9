/**
 * Matching by meaning, composed once for every root: the question side (`MeaningDeps`, with the configured query
 * timeout) and the catalog side (a background catch-up that embeds pending tables). Nothing here is needed: with
 * no embeddings server configured, both are absent and answers are lexical.
 */
import type { MeaningDeps } from '../answering/meaning';
import { prepareIntentExamples } from '../answering/classify';
import { EmbeddingCatchUp, embedPending, type EmbedProgress, type EmbedReport } from '../catalog/embed';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import type { OpenStores } from './stores';

/** Meaning for a running process; `stop()` ends the catch-up (idempotent). */
export interface RunningMeaning {
  meaning?: MeaningDeps;
  catchUp?: EmbeddingCatchUp;
  stop(): Promise<void>;
}

/**
 * Starts meaning for a long-running root (bot, terminal chat, worker): the catch-up embeds what is pending now and
 * whenever a publish marks more, and the intent examples are embedded once. A server that is down delays both and
 * fails nothing: answers are lexical until it answers.
 */
export function startMeaning(stores: OpenStores, config: Config, log: Logger, options: { catchUp?: boolean; intervalMs?: number } = {}): RunningMeaning {
  if (!stores.embedder || !stores.vectors) return { stop: async () => undefined };
  const { embedder } = stores;
  const vectors = stores.vectors.index;
  const meaning: MeaningDeps = { embedder, vectors, queryTimeoutMs: config.NANSEN_EMBEDDINGS_QUERY_TIMEOUT_MS, log };
  const catchUp = options.catchUp === false ? undefined : new EmbeddingCatchUp({ graph: stores.graph, vectors, embedder, columns: stores.vectors.columns, log }, options.intervalMs ? { intervalMs: options.intervalMs } : {});
  catchUp?.start();
  prepareIntentExamples(embedder).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'intent examples not embedded yet; intents are read by their wording'));
  log.info({ model: config.NANSEN_EMBEDDINGS_MODEL }, 'matching by meaning with the embeddings server');
  return { meaning, ...(catchUp ? { catchUp } : {}), stop: async () => catchUp?.stop() };
}

/**
 * Embeds what an import or a crawl left pending, reporting progress; for the CLI. Returns undefined without an
 * embeddings server. A failing server is not an error: the tables stay pending and the report says how many.
 */
export async function embedNow(stores: OpenStores, onProgress?: (p: EmbedProgress) => void): Promise<{ report?: EmbedReport; failed?: string; pending: number } | undefined> {
  if (!stores.embedder || !stores.vectors) return undefined;
  try {
    const report = await embedPending({ graph: stores.graph, vectors: stores.vectors.index, embedder: stores.embedder, columns: stores.vectors.columns }, onProgress ? { onProgress } : {});
    return { report, pending: report.pending };
  } catch (err) {
    return { failed: (err as Error).message, pending: await stores.vectors.index.pendingCount() };
  }
}
