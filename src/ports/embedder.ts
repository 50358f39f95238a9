/** Whether a text is a question (the query) or catalog text to be found (a passage); models embed them differently. */
export type EmbeddingRole = 'query' | 'passage';

/** What a vector space is: vectors from two different models never mix. */
export interface EmbeddingModel {
  /** The model's name as configured (`multilingual-e5-small`). */
  name: string;
  /** Length of its vectors. */
  dimensions: number;
}

/** The embeddings server could not answer (down, timed out, refused the key, answered garbage). */
export class EmbeddingsUnavailableError extends Error {
  constructor(
    /** `unreachable`, `timeout`, `http_<status>`, `bad_response`, `wrong_dimension`. */
    readonly code: string,
    message: string,
    /** Whether trying again later may work (false for a refused key or a request the server rejects). */
    readonly retryable: boolean,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'EmbeddingsUnavailableError';
  }
}

export interface EmbedOptions {
  /** Bounds the whole call, retries included. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Called once the call's first request has been written to the network, so that a caller can do synchronous work
   * while the server computes. An adapter that cannot tell never calls it (and one that needs no server, a cache
   * hit, need not).
   */
  onSent?: () => void;
}

/**
 * Turns texts into vectors of one model: a multilingual model puts a Korean question and the English text that
 * answers it near each other.
 *
 * Contract (`test/contract/embedder.contract.ts` runs it against the real server):
 * - `embed` answers one vector per text, in order, each of `model().dimensions` finite numbers with unit length
 *   (the adapter normalises), so a dot product is the cosine;
 * - the same text and role give the same vector;
 * - a failure is an `EmbeddingsUnavailableError`, never a partial or reordered answer;
 * - `model()` is known once a call has succeeded (the server says the dimension); before, it is undefined.
 */
export interface Embedder {
  /** Embeds texts in their role, batching and retrying as the adapter sees fit; `timeoutMs` bounds the whole call. */
  embed(texts: string[], role: EmbeddingRole, options?: EmbedOptions): Promise<Float32Array[]>;
  /** The model and its dimension, once a call has told it; undefined before. */
  model(): EmbeddingModel | undefined;
  /** Asks the server once (a one-word text) to learn the model's dimension; throws `EmbeddingsUnavailableError`. */
  probe(options?: { timeoutMs?: number }): Promise<EmbeddingModel>;
}
