import { bestK, dot, dotAt, kthLargest } from '../../src/search/vectors';
import { seededRandom } from '../../tools/random';

describe('vector arithmetic', () => {
  const rand = seededRandom(11);
  const vector = (n: number): Float32Array => Float32Array.from({ length: n }, () => rand() - 0.5);
  const plainDot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it('dot and dotAt equal the plain sum, for lengths that are and are not multiples of four', () => {
    for (const n of [1, 3, 4, 7, 384]) {
      const a = vector(n);
      const b = vector(n);
      expect(dot(a, b)).toBeCloseTo(plainDot(a, b), 5);
      const matrix = new Float32Array(3 * n);
      matrix.set(b, n);
      expect(dotAt(a, matrix, n)).toBeCloseTo(plainDot(a, b), 5);
    }
  });

  it('bestK gives what a full sort gives, ties by the tie-break', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: `k${String(i).padStart(4, '0')}`, score: Math.round(rand() * 50) }));
    const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
    const sorted = [...items].sort((a, b) => b.score - a.score || byId(a, b));
    for (const k of [1, 10, 100, 2000, 5000]) {
      expect(bestK(items, (x) => x.score, k, byId).map((s) => s.item.id)).toEqual(sorted.slice(0, k).map((x) => x.id));
    }
    expect(bestK(items, (x) => x.score, 0, byId)).toEqual([]);
    expect(bestK([], () => 1, 3, () => 0)).toEqual([]);
  });

  it('kthLargest gives the k-th of a descending sort, -Infinity when there are fewer', () => {
    const values = Float64Array.from({ length: 3000 }, () => Math.round(rand() * 400) / 4);
    const sorted = [...values].sort((a, b) => b - a);
    for (const k of [1, 2, 17, 100, 3000]) expect(kthLargest(values, k)).toBe(sorted[k - 1]);
    expect(kthLargest(values, 3001)).toBe(-Infinity);
    expect(kthLargest([5, 1, 3], 2)).toBe(3);
  });
});
