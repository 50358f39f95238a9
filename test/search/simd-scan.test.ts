import { SCAN_WASM, SimdMatrix } from '../../src/search/simd-scan';
import { assembleSimdScan } from '../../tools/assemble-simd-scan';
import { dotAt } from '../../src/search/vectors';
import { seededRandom } from '../../tools/random';

describe('the WebAssembly SIMD scan', () => {
  it('runs the module its text source (simd-scan.wat) assembles to', async () => {
    expect((await assembleSimdScan()).equals(SCAN_WASM)).toBe(true);
  });

  const rand = seededRandom(5);
  const vector = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (rand() - 0.5) * scale);

  it('gives every row its dot product with the query, within the error it states', () => {
    for (const dims of [16, 64, 384, 768]) {
      const rows = 300;
      const m = SimdMatrix.create(rows, dims)!;
      expect(m).toBeDefined();
      for (let r = 0; r < rows; r++) m.matrix.set(vector(dims, r % 7 === 0 ? 10 : 1), r * dims);
      const q = vector(dims);
      const sums = m.scan(q);
      const bound = m.maxError(q);
      expect(bound).toBeGreaterThan(0);
      for (let r = 0; r < rows; r++) expect(Math.abs(sums[r]! - dotAt(q, m.matrix, r * dims))).toBeLessThanOrEqual(bound);
      // the float32 sums are near but not the scalar loop's doubles: exact scores come from dotAt
      expect(Array.from({ length: rows }, (_, r) => sums[r]! === dotAt(q, m.matrix, r * dims)).every(Boolean)).toBe(false);
    }
  });

  it('declines what it cannot scan, so the caller scans in JavaScript', () => {
    expect(SimdMatrix.create(10, 3)).toBeUndefined();
    expect(SimdMatrix.create(10, 100)).toBeUndefined();
    expect(SimdMatrix.create(10, 0)).toBeUndefined();
    expect(SimdMatrix.create(0, 16)).toBeDefined();
  });
});
