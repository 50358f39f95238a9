import { serviceEnv } from '../../bench/service-env';
import { OpenAiEmbedder } from '../../src/adapters/http/openai-embedder';
import { SqliteVectorIndex } from '../../src/adapters/embedded/sqlite-vector-index';
import { answer } from '../../src/answering/answer';
import type { Embedder } from '../../src/ports/embedder';
import type { SearchIndex } from '../../src/ports/search-index';
import { harness, type Harness } from './helpers';

const URL = process.env.EMBEDDINGS_URL ?? serviceEnv().EMBEDDINGS_URL ?? 'http://127.0.0.1:8089';

/**
 * The embedded stores read synchronously, so the question's embedding request must be on the wire before the
 * keyword search starts: the model server then works while Nansen searches, instead of after.
 */
describe('the question is embedded while the keyword search runs', () => {
  let h: Harness;
  let vectors: SqliteVectorIndex;
  beforeAll(async () => {
    h = await harness();
    vectors = new SqliteVectorIndex({ path: ':memory:' });
    await vectors.init();
  });
  afterAll(async () => {
    await vectors.close();
    await h.close();
  });

  it('sends the embedding request before the keyword search starts', async () => {
    const events: string[] = [];
    const search = new Proxy(h.deps.search, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'search' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          events.push('keyword search');
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as SearchIndex;
    const real = new OpenAiEmbedder({ url: URL, model: 'multilingual-e5-small', sendInputType: true });
    const embedder: Embedder = {
      model: () => real.model(),
      probe: (options) => real.probe(options),
      embed: (texts, role, options = {}) =>
        real.embed(texts, role, {
          ...options,
          onSent: () => {
            events.push('request sent');
            options.onSent?.();
          },
        }),
    };
    await answer({ text: `which table has daily order totals ${Date.now()}?` }, { ...h.deps, search, meaning: { embedder, vectors, queryTimeoutMs: 10_000 } });
    expect(events.slice(0, 2)).toEqual(['request sent', 'keyword search']);
  });
});
