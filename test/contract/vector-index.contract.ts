import type { NearestQuery, VectorIndex, VectorRecord } from '../../src/ports/vector-index';
import { sampleRank } from '../../src/search/vectors';

/** Makes a fresh, empty, initialised index for one test, and disposes of it. */
export interface VectorIndexFactory {
  create(): Promise<VectorIndex>;
  dispose(index: VectorIndex): Promise<void>;
}

const MODEL = { name: 'test-model', dimensions: 4 };

/** A unit vector pointing mostly along one axis. */
function unit(...xs: number[]): Float32Array {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
}

function rec(key: string, vector: Float32Array, extra: Partial<VectorRecord> = {}): VectorRecord {
  return { key, kind: 'table', textHash: `h-${key}`, vector, ...extra };
}

/** The behaviour every `VectorIndex` adapter must have; run against each adapter on its real backend. */
export function describeVectorIndexContract(name: string, factory: VectorIndexFactory): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let index: VectorIndex;

    beforeEach(async () => {
      index = await factory.create();
    });

    afterEach(async () => {
      await factory.dispose(index);
    });

    it('answers the nearest vectors of the asked kinds, best first, with their cosine', async () => {
      expect(await index.model()).toBeUndefined();
      await index.useModel(MODEL);
      await index.upsert([
        rec('t/a', unit(1, 0, 0, 0)),
        rec('t/b', unit(0.9, 0.1, 0, 0)),
        rec('t/c', unit(0, 0, 1, 0)),
        rec('d/a', unit(1, 0.05, 0, 0), { kind: 'dashboard' }),
      ]);
      const hits = await index.nearest({ vector: unit(1, 0, 0, 0), limit: 2, kinds: ['table'] });
      expect(hits.map((h) => h.key)).toEqual(['t/a', 't/b']);
      expect(hits[0]!.similarity).toBeCloseTo(1, 3);
      expect(hits[1]!.similarity).toBeCloseTo(unit(0.9, 0.1, 0, 0)[0]!, 3);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 5, kinds: ['dashboard'] })).map((h) => h.key)).toEqual(['d/a']);
      expect(await index.count()).toEqual({ table: 3, dashboard: 1, column: 0 });
      expect(await index.model()).toEqual(MODEL);
    });

    it('sees a changed or removed vector at the next search, ties by key', async () => {
      await index.useModel(MODEL);
      await index.upsert([rec('t/b', unit(1, 0, 0, 0)), rec('t/a', unit(1, 0, 0, 0)), rec('t/c', unit(0, 1, 0, 0))]);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 3, kinds: ['table'] })).map((h) => h.key)).toEqual(['t/a', 't/b', 't/c']);
      await index.upsert([rec('t/c', unit(1, 0.01, 0, 0))]);
      await index.remove(['t/a']);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 3, kinds: ['table'] })).map((h) => h.key)).toEqual(['t/b', 't/c']);
    });

    it('searches columns within one table', async () => {
      await index.useModel(MODEL);
      await index.upsert([
        rec('t/a/x', unit(1, 0, 0, 0), { kind: 'column', parent: 't/a' }),
        rec('t/a/y', unit(0, 1, 0, 0), { kind: 'column', parent: 't/a' }),
        rec('t/b/x', unit(1, 0.01, 0, 0), { kind: 'column', parent: 't/b' }),
      ]);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 5, kinds: ['column'], parent: 't/a' })).map((h) => h.key)).toEqual(['t/a/x', 't/a/y']);
      expect((await index.columnKeys(['t/a', 't/b', 't/none'])).get('t/a')).toEqual(['t/a/x', 't/a/y']);
      expect((await index.columnKeys(['t/none'])).get('t/none')).toEqual([]);
    });

    it('searches columns within several tables, and names the table of each column', async () => {
      await index.useModel(MODEL);
      await index.upsert([
        rec('t/a/x', unit(1, 0, 0, 0), { kind: 'column', parent: 't/a' }),
        rec('t/b/x', unit(1, 0.02, 0, 0), { kind: 'column', parent: 't/b' }),
        rec('t/c/x', unit(1, 0.01, 0, 0), { kind: 'column', parent: 't/c' }),
      ]);
      const hits = await index.nearest({ vector: unit(1, 0, 0, 0), limit: 5, kinds: ['column'], parents: ['t/a', 't/b'] });
      expect(hits.map((h) => [h.key, h.parent])).toEqual([
        ['t/a/x', 't/a'],
        ['t/b/x', 't/b'],
      ]);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 5, kinds: ['column'], parents: [] }))).toEqual([]);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 1, kinds: ['column'] })).map((h) => h.parent)).toEqual(['t/a']);
    });

    it('answers one hit per table with onePerParent: its best column, the limit counting tables', async () => {
      await index.useModel(MODEL);
      await index.upsert([
        rec('t/a', unit(1, 0, 0, 0)),
        rec('t/b', unit(-1, 0, 1, 0)),
        rec('t/a/x', unit(1, 0.3, 0, 0), { kind: 'column', parent: 't/a' }),
        rec('t/a/y', unit(1, 0.1, 0, 0), { kind: 'column', parent: 't/a' }),
        rec('t/b/x', unit(1, 0.2, 0, 0), { kind: 'column', parent: 't/b' }),
        rec('t/b/y', unit(1, 0.25, 0, 0), { kind: 'column', parent: 't/b' }),
        rec('t/c/x', unit(0, 1, 0, 0), { kind: 'column', parent: 't/c' }),
      ]);
      const q = unit(1, 0, 0, 0);
      const keysOf = async (query: Partial<NearestQuery>): Promise<string[]> => (await index.nearest({ vector: q, limit: 5, kinds: ['column'], onePerParent: true, ...query })).map((h) => h.key);
      expect(await keysOf({ limit: 2 })).toEqual(['t/a/y', 't/b/x']);
      expect(await keysOf({})).toEqual(['t/a/y', 't/b/x', 't/c/x']);
      expect(await keysOf({ parents: ['t/a', 't/c'] })).toEqual(['t/a/y', 't/c/x']);
      expect(await keysOf({ parent: 't/b' })).toEqual(['t/b/x']);
      // tables have no parent: each is a hit of its own
      expect(await keysOf({ kinds: ['table', 'column'], limit: 4 })).toEqual(['t/a', 't/a/y', 't/b/x', 't/c/x']);
    });

    it('keeps pending subjects until they get a vector or settle, tables before columns', async () => {
      await index.useModel(MODEL);
      await index.markPending([
        { key: 't/a/x', kind: 'column', parent: 't/a' },
        { key: 't/a', kind: 'table' },
        { key: 't/b', kind: 'table' },
      ]);
      expect(await index.pendingCount()).toBe(3);
      expect((await index.pending(10)).map((s) => s.key)).toEqual(['t/a', 't/b', 't/a/x']);
      expect((await index.pending(1)).map((s) => s.key)).toEqual(['t/a']);
      const listed = new Map((await index.pending(10)).map((s) => [s.key, s]));
      await index.upsert([rec('t/a', unit(1, 0, 0, 0))]);
      await index.settle([listed.get('t/b')!]);
      expect((await index.pending(10)).map((s) => s.key)).toEqual(['t/a/x']);
      expect((await index.pending(10))[0]).toEqual({ key: 't/a/x', kind: 'column', parent: 't/a', mark: expect.any(String) });
      // a pending subject with an old vector stays findable by it
      await index.markPending([{ key: 't/a', kind: 'table' }]);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 1, kinds: ['table'] }))[0]?.key).toBe('t/a');
      expect(await index.states(['t/a', 't/b', 't/a/x', 't/zzz'])).toEqual(
        new Map([
          ['t/a', { textHash: 'h-t/a', pending: true }],
          ['t/b', { pending: false }],
          ['t/a/x', { pending: true }],
        ]),
      );
    });

    it('a subject marked again while its old text was embedded keeps its vector and stays pending', async () => {
      await index.useModel(MODEL);
      await index.markPending([{ key: 't/a', kind: 'table' }, { key: 't/b', kind: 'table' }]);
      const [a, b] = await index.pending(10);
      // marked again, pending already: a new mark
      await index.markPending([{ key: 't/a', kind: 'table' }, { key: 't/b', kind: 'table' }]);
      const [a2] = await index.pending(10);
      expect(a2!.mark).not.toBe(a!.mark);
      await index.upsert([rec('t/a', unit(1, 0, 0, 0), { mark: a!.mark })]);
      await index.settle([b!]);
      expect((await index.pending(10)).map((s) => s.key)).toEqual(['t/a', 't/b']);
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 1, kinds: ['table'] }))[0]?.key).toBe('t/a');
      expect((await index.states(['t/a'])).get('t/a')).toEqual({ textHash: 'h-t/a', pending: true });
      // with the current marks, both clear; a mark the index never gave clears nothing
      const now = new Map((await index.pending(10)).map((s) => [s.key, s]));
      await index.settle([{ ...now.get('t/b')!, mark: 'not-a-mark' }]);
      expect(await index.pendingCount()).toBe(2);
      await index.upsert([rec('t/a', unit(0, 1, 0, 0), { mark: now.get('t/a')!.mark })]);
      await index.settle([now.get('t/b')!]);
      expect(await index.pendingCount()).toBe(0);
      expect((await index.nearest({ vector: unit(0, 1, 0, 0), limit: 1, kinds: ['table'] }))[0]?.similarity).toBeCloseTo(1, 3);
    });

    it('a vector whose subject was removed while it was embedded is not written back', async () => {
      await index.useModel(MODEL);
      await index.markPending([{ key: 't/a', kind: 'table' }]);
      const [a] = await index.pending(10);
      await index.remove(['t/a']);
      await index.upsert([rec('t/a', unit(1, 0, 0, 0), { mark: a!.mark })]);
      expect(await index.count()).toEqual({ table: 0, dashboard: 0, column: 0 });
      expect(await index.pendingCount()).toBe(0);
    });

    it('forgets removed tables with their columns', async () => {
      await index.useModel(MODEL);
      await index.upsert([rec('t/a', unit(1, 0, 0, 0)), rec('t/a/x', unit(1, 0, 0, 0), { kind: 'column', parent: 't/a' }), rec('t/b', unit(0, 1, 0, 0))]);
      await index.remove(['t/a']);
      expect(await index.count()).toEqual({ table: 1, dashboard: 0, column: 0 });
      expect((await index.nearest({ vector: unit(1, 0, 0, 0), limit: 5, kinds: ['table', 'column'] })).map((h) => h.key)).toEqual(['t/b']);
    });

    it('a different model drops every vector and marks everything pending, so spaces never mix', async () => {
      await index.useModel(MODEL);
      await index.upsert([rec('t/a', unit(1, 0, 0, 0)), rec('t/a/x', unit(1, 0, 0, 0), { kind: 'column', parent: 't/a' })]);
      expect(await index.useModel(MODEL)).toEqual({ reset: false });
      expect(await index.useModel({ name: 'other-model', dimensions: 3 })).toEqual({ reset: true });
      expect(await index.model()).toEqual({ name: 'other-model', dimensions: 3 });
      expect(await index.count()).toEqual({ table: 0, dashboard: 0, column: 0 });
      expect((await index.pending(10)).map((s) => s.key).sort()).toEqual(['t/a', 't/a/x']);
      await expect(index.upsert([rec('t/a', unit(1, 0, 0, 0))])).rejects.toThrow(/dimensions/);
      await index.upsert([rec('t/a', Float32Array.from([1, 0, 0]))]);
      expect((await index.nearest({ vector: Float32Array.from([1, 0, 0]), limit: 1, kinds: ['table'] }))[0]?.key).toBe('t/a');
    });

    it('samples the same vectors every time', async () => {
      await index.useModel(MODEL);
      await index.upsert(Array.from({ length: 20 }, (_, i) => rec(`t/${i}`, unit(1, i / 20, 0, 0))));
      const a = await index.sample('table', 5);
      const b = await index.sample('table', 5);
      expect(a).toHaveLength(5);
      expect(a.map((v) => Array.from(v).map((x) => x.toFixed(4)))).toEqual(b.map((v) => Array.from(v).map((x) => x.toFixed(4))));
      expect(await index.sample('column', 5)).toEqual([]);
    });

    it('samples the vectors of the keys first by sample rank, the same on every backend', async () => {
      await index.useModel(MODEL);
      const keys = Array.from({ length: 40 }, (_, i) => `warehouse.schema_${i % 3}.t${i}`);
      await index.upsert(keys.map((key, i) => rec(key, unit(1, i / 40, 0, 0))));
      const shown = (vs: Float32Array[]) => vs.map((v) => Array.from(v).map((x) => x.toFixed(4)).join(' '));
      const vectorOf = new Map(keys.map((key, i) => [key, shown([unit(1, i / 40, 0, 0)])[0]!]));
      const byRank = [...keys].sort((a, b) => sampleRank(a) - sampleRank(b) || (a < b ? -1 : 1));
      for (const n of [1, 7, 40, 100]) expect(shown(await index.sample('table', n))).toEqual(byRank.slice(0, n).map((k) => vectorOf.get(k)));
    });
  });
}
