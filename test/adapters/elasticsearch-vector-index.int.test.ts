import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { serviceEnv } from '../../bench/service-env';
import { ElasticsearchVectorIndex } from '../../src/adapters/elasticsearch/elasticsearch-vector-index';
import { describeVectorIndexContract } from '../contract/vector-index.contract';

const NODE = process.env.ELASTICSEARCH_URL ?? serviceEnv().ELASTICSEARCH_URL ?? 'http://127.0.0.1:9209';
const admin = new Client({ node: NODE });
const prefixes = new Map<object, string>();

afterAll(async () => {
  await admin.close();
});

describeVectorIndexContract('elasticsearch (dense_vector, kNN)', {
  async create() {
    const prefix = `v-${randomUUID().slice(0, 8)}`;
    const index = new ElasticsearchVectorIndex({ node: NODE, indexPrefix: prefix });
    await index.init();
    prefixes.set(index, prefix);
    return index;
  },
  async dispose(index) {
    await index.close();
    const prefix = prefixes.get(index)!;
    const names = Object.keys(await admin.indices.get({ index: `${prefix}-*`, expand_wildcards: 'all', allow_no_indices: true }));
    if (names.length) await admin.indices.delete({ index: names, ignore_unavailable: true });
  },
});

describe('elasticsearch vector index of the earlier layout (one vector field for every kind)', () => {
  it('moves its subjects over at init, all pending and without their vectors, and is deleted', async () => {
    const prefix = `v-${randomUUID().slice(0, 8)}`;
    const physical = `${prefix}-vectors-legacy`;
    await admin.indices.create({
      index: physical,
      aliases: { [`${prefix}-vectors`]: {} },
      mappings: {
        dynamic: 'strict',
        _meta: { model: 'm', dimensions: 4 },
        properties: {
          key: { type: 'keyword' }, kind: { type: 'keyword' }, parent: { type: 'keyword' }, text_hash: { type: 'keyword' },
          pending: { type: 'boolean' }, priority: { type: 'byte' }, rank: { type: 'long' },
          vector: { type: 'dense_vector', dims: 4, index: true, similarity: 'cosine' },
        },
      },
    });
    const stored = [
      { key: 't/a', kind: 'table', text_hash: 'h', pending: false, priority: 0, rank: 1, vector: [1, 0, 0, 0] },
      { key: 't/a/x', kind: 'column', parent: 't/a', text_hash: 'h', pending: false, priority: 1, rank: 2, vector: [1, 0, 0, 0] },
    ];
    await admin.bulk({ refresh: true, operations: stored.flatMap((d) => [{ index: { _index: physical, _id: d.key } }, d]) });
    const index = new ElasticsearchVectorIndex({ node: NODE, indexPrefix: prefix });
    try {
      await index.init();
      expect(await admin.indices.exists({ index: physical })).toBe(false);
      expect(await index.model()).toBeUndefined();
      expect(await index.nearest({ vector: new Float32Array([1, 0, 0, 0]), limit: 5, kinds: ['table', 'column'] })).toEqual([]);
      expect(await index.useModel({ name: 'm', dimensions: 4 })).toEqual({ reset: false });
      const pending = await index.pending(10);
      expect(pending.map((p) => [p.key, p.kind, p.parent])).toEqual([
        ['t/a', 'table', undefined],
        ['t/a/x', 'column', 't/a'],
      ]);
      expect([...(await index.states(['t/a', 't/a/x'])).values()]).toEqual([{ pending: true }, { pending: true }]);
      await index.upsert([
        { key: 't/a', kind: 'table', textHash: 'h2', vector: new Float32Array([1, 0, 0, 0]), mark: pending[0]!.mark },
        { key: 't/a/x', kind: 'column', parent: 't/a', textHash: 'h2', vector: new Float32Array([0, 1, 0, 0]), mark: pending[1]!.mark },
      ]);
      expect((await index.nearest({ vector: new Float32Array([0, 1, 0, 0]), limit: 5, kinds: ['table', 'column'] })).map((h) => [h.key, h.kind])).toEqual([
        ['t/a/x', 'column'],
        ['t/a', 'table'],
      ]);
      // a second process finds the index made and moves nothing again
      const again = new ElasticsearchVectorIndex({ node: NODE, indexPrefix: prefix });
      await again.init();
      expect(await again.pendingCount()).toBe(0);
      await again.close();
    } finally {
      await index.close();
      const names = Object.keys(await admin.indices.get({ index: `${prefix}-*`, expand_wildcards: 'all', allow_no_indices: true }));
      if (names.length) await admin.indices.delete({ index: names, ignore_unavailable: true });
    }
  });
});
