import { SqliteVectorIndex } from '../../src/adapters/embedded/sqlite-vector-index';
import type { VectorKind, VectorRecord } from '../../src/ports/vector-index';
import { bestK, dot, dotAt } from '../../src/search/vectors';
import { seededRandom } from '../../tools/random';

const DIMS = 64;

function unit(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v));
  return v.map((x) => x / n);
}

/** What a scalar scan of every vector returns: exact similarities, best first, ties by key. */
function scalarNearest(records: VectorRecord[], query: Float32Array, limit: number, kinds: VectorKind[]): Array<{ key: string; similarity: number }> {
  const pool = records.filter((r) => kinds.includes(r.kind));
  return bestK(pool, (r) => dotAt(query, r.vector, 0), limit, (a, b) => a.key.localeCompare(b.key)).map((s) => ({ key: s.item.key, similarity: s.score }));
}

/** The same with one hit per parent: each parent's best item (ties by key) beside the items with no parent. */
function scalarNearestPerParent(records: VectorRecord[], query: Float32Array, limit: number, kinds: VectorKind[]): Array<{ key: string; similarity: number }> {
  const best = new Map<string, VectorRecord>();
  const rest: VectorRecord[] = [];
  const sim = (r: VectorRecord): number => dotAt(query, r.vector, 0);
  for (const r of records.filter((x) => kinds.includes(x.kind))) {
    if (r.parent === undefined) rest.push(r);
    else {
      const held = best.get(r.parent);
      if (!held || sim(r) > sim(held) || (sim(r) === sim(held) && r.key < held.key)) best.set(r.parent, r);
    }
  }
  return scalarNearest([...rest, ...best.values()], query, limit, kinds);
}

describe('embedded vector search with the SIMD scan', () => {
  const rand = seededRandom(23);
  const random = (): Float32Array => unit(Float32Array.from({ length: DIMS }, () => rand() - 0.5));
  const near = (v: Float32Array, by: number): Float32Array => unit(v.map((x) => x + (rand() - 0.5) * by));
  const centre = random();
  const records: VectorRecord[] = [];
  const add = (key: string, kind: VectorKind, vector: Float32Array, parent?: string): number => records.push({ key, kind, textHash: key, vector, ...(parent ? { parent } : {}) });
  // far ones, a crowd of near-copies of one vector whose similarities differ only past float32's precision, and exact
  // duplicates (ties broken by key)
  for (let i = 0; i < 1500; i++) add(`far${String(i).padStart(4, '0')}`, i % 3 ? 'table' : 'dashboard', random());
  for (let i = 0; i < 600; i++) add(`crowd${String(i).padStart(4, '0')}`, i % 4 ? 'table' : 'dashboard', near(centre, 1e-5));
  for (let i = 0; i < 40; i++) add(`twin${String(i).padStart(2, '0')}`, 'table', records[1500 + (i % 5)]!.vector);
  // columns of 300 tables, some in the crowd, with twins inside a table and across tables
  for (let i = 0; i < 2400; i++) {
    const parent = `p${String(i % 300).padStart(3, '0')}`;
    const vector = i % 7 === 0 ? near(centre, 1e-5) : i % 11 === 0 ? records[1500 + (i % 5)]!.vector : random();
    add(`${parent}/c${String(i).padStart(4, '0')}`, 'column', vector, parent);
  }

  let index: SqliteVectorIndex;
  beforeAll(async () => {
    index = new SqliteVectorIndex({ path: ':memory:' });
    await index.init();
    await index.useModel({ name: 'test', dimensions: DIMS });
    await index.upsert(records);
  });
  afterAll(() => index.close());

  it.each([
    ['inside the crowd', 100, ['table'] as VectorKind[]],
    ['across two kinds', 250, ['table', 'dashboard'] as VectorKind[]],
    ['more than there are', 5000, ['dashboard'] as VectorKind[]],
    ['one', 1, ['table'] as VectorKind[]],
  ])('returns the scalar scan’s hits and similarities to the last bit (%s)', async (_name, limit, kinds) => {
    for (const query of [near(centre, 1e-6), random()]) {
      const hits = await index.nearest({ vector: query, limit, kinds });
      expect(hits.map((h) => ({ key: h.key, similarity: h.similarity }))).toEqual(scalarNearest(records, query, limit, kinds));
    }
  });

  it.each([
    ['inside the crowd', 20, ['column'] as VectorKind[]],
    ['more tables than there are', 1000, ['column'] as VectorKind[]],
    ['beside tables', 150, ['table', 'column'] as VectorKind[]],
  ])('with one hit per parent, returns each parent’s best by the scalar scan, to the last bit (%s)', async (_name, limit, kinds) => {
    for (const query of [near(centre, 1e-6), random()]) {
      const hits = await index.nearest({ vector: query, limit, kinds, onePerParent: true });
      expect(hits.map((h) => ({ key: h.key, similarity: h.similarity }))).toEqual(scalarNearestPerParent(records, query, limit, kinds));
    }
  });
});
