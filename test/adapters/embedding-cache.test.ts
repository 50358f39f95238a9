import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedEmbedder } from '../../src/adapters/embedded/sqlite-embedding-cache';
import { embeddingRequestShape } from '../../src/main/stores';
import { loadConfig } from '../../src/config/config';
import type { Embedder, EmbeddingRole } from '../../src/ports/embedder';

/** An embedder that answers a different vector for each request shape it stands for, and counts its calls. */
function shaped(shape: number): Embedder & { calls: number } {
  const model = { name: 'm', dimensions: 2 };
  const inner = {
    calls: 0,
    async embed(texts: string[], _role: EmbeddingRole) {
      inner.calls++;
      return texts.map(() => new Float32Array([shape, 1]));
    },
    model: () => model,
    probe: async () => model,
  };
  return inner;
}

describe('the embedding cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nansen-embedding-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a text seen before from the file, with no call', async () => {
    const inner = shaped(1);
    const first = new CachedEmbedder(inner, 'm', join(dir, 'c.sqlite'), 'a');
    await first.embed(['orders'], 'passage');
    const again = new CachedEmbedder(inner, 'm', join(dir, 'c.sqlite'), 'a');
    expect([...(await again.embed(['orders'], 'passage'))[0]!]).toEqual([1, 1]);
    expect(inner.calls).toBe(1);
    first.close();
    again.close();
  });

  it('keeps the vectors of another request shape apart: a passage sent without its role is not served to a run that sends it', async () => {
    const file = join(dir, 'c.sqlite');
    const base = loadConfig({ NANSEN_EMBEDDINGS_URL: 'http://127.0.0.1:1' });
    const withoutRole = new CachedEmbedder(shaped(1), 'm', file, embeddingRequestShape(base));
    await withoutRole.embed(['orders'], 'passage');
    const withRole = new CachedEmbedder(shaped(2), 'm', file, embeddingRequestShape({ ...base, NANSEN_EMBEDDINGS_INPUT_TYPE: 'on' }));
    expect([...(await withRole.embed(['orders'], 'passage'))[0]!]).toEqual([2, 1]);
    const prefixed = new CachedEmbedder(shaped(3), 'm', file, embeddingRequestShape({ ...base, NANSEN_EMBEDDINGS_PASSAGE_PREFIX: 'passage: ' }));
    expect([...(await prefixed.embed(['orders'], 'passage'))[0]!]).toEqual([3, 1]);
    const otherServer = new CachedEmbedder(shaped(4), 'm', file, embeddingRequestShape({ ...base, NANSEN_EMBEDDINGS_URL: 'http://127.0.0.1:2' }));
    expect([...(await otherServer.embed(['orders'], 'passage'))[0]!]).toEqual([4, 1]);
    for (const cache of [withoutRole, withRole, prefixed, otherServer]) cache.close();
  });
});
