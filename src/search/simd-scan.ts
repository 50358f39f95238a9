/**
 * A WebAssembly SIMD scan: the dot products of one query with every vector of a matrix, four floats at a time
 * (about 1 ms for 10 000 vectors of 384 dimensions, where the scalar loop of `dotAt` takes 5–10). Its sums are
 * float32, so they differ from `dotAt`'s in the last bits by at most `errorBound`: a search ranks by them only to
 * find the few vectors worth scoring exactly.
 */

/**
 * The module `simd-scan.wat` (beside this file) assembles to, 356 bytes, exporting `scan(q, m, n, rowBytes, out)`
 * over the imported memory: out[i] = Σ q·m[i] as f32, four f32x4 accumulators over 64 bytes a step. Assembled with
 * wabt (`npx tsx tools/assemble-simd-scan.ts`); a test checks the two are the same module.
 */
export const SCAN_WASM = Buffer.from(
  'AGFzbQEAAAABCQFgBX9/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcIAQRzY2FuAAAKrwIBrAICAn8EewJAA0AgBSACTw0B/QwAAAAAAAAAAAAAAAAAAAAAIQf9DAAAAAAAAAAAAAAAAAAAAAAhCP0MAAAAAAAAAAAAAAAAAAAAACEJ/QwAAAAAAAAAAAAAAAAAAAAAIQpBACEGA0AgByAAIAZq/QAEACABIAZq/QAEAP3mAf3kASEHIAggACAGav0ABBAgASAGav0ABBD95gH95AEhCCAJIAAgBmr9AAQgIAEgBmr9AAQg/eYB/eQBIQkgCiAAIAZq/QAEMCABIAZq/QAEMP3mAf3kASEKIAZBwABqIgYgA0kNAAsgByAI/eQBIAkgCv3kAf3kASEHIAQgBUECdGogB/0fACAH/R8BkiAH/R8CIAf9HwOSkjgCACABIANqIQEgBUEBaiEFDAALCws=',
  'base64',
);

/** The part of the WebAssembly JavaScript API used here (the project's TypeScript libraries leave it out). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
type WasmModule = object;

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Floats the scan takes a step: rows must be a multiple of this long. */
const STEP = 16;
const PAGE = 65536;

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. */
function scanModule(): WasmModule | null {
  if (compiled === undefined) compiled = wasm?.validate(SCAN_WASM) ? new wasm.Module(SCAN_WASM) : null;
  return compiled;
}

/** The largest float32 rounding error of the scan's dot product of vectors of `dims` numbers, per unit of their norms. */
function errorBound(dims: number): number {
  // each product is rounded once and each sum at most dims / 16 + 4 times in a row: (dims + 8) · 2⁻²⁴ is ample
  return (dims + 8) * 2 ** -24;
}

/** A matrix of `rows` vectors of `dims` numbers in WebAssembly memory, with room for the query and the sums. */
export class SimdMatrix {
  /** The rows laid end to end: fill it before the first scan, and leave it as it is after. */
  readonly matrix: Float32Array;
  private longestRow: number | undefined;
  private readonly query: Float32Array;
  private readonly sums: Float32Array;
  private readonly run: (q: number, m: number, n: number, rowBytes: number, out: number) => void;

  private constructor(
    readonly rows: number,
    readonly dims: number,
    module: WasmModule,
    api: WasmApi,
  ) {
    const bytes = 4 * (dims + rows * dims + rows);
    const memory = new api.Memory({ initial: Math.ceil(bytes / PAGE) + 1 });
    const instance = new api.Instance(module, { env: { memory } });
    this.run = instance.exports.scan as SimdMatrix['run'];
    this.query = new Float32Array(memory.buffer, 0, dims);
    this.matrix = new Float32Array(memory.buffer, 4 * dims, rows * dims);
    this.sums = new Float32Array(memory.buffer, 4 * (dims + rows * dims), rows);
  }

  /**
   * A matrix for the scan, or undefined when it cannot serve these vectors (no WebAssembly SIMD, a dimension that is
   * not a multiple of 16, or more than WebAssembly memory holds): the caller scans in JavaScript then.
   */
  static create(rows: number, dims: number): SimdMatrix | undefined {
    const module = scanModule();
    if (!module || !wasm || dims === 0 || dims % STEP !== 0 || 4 * (dims + rows * dims + rows) > 2 ** 31) return undefined;
    try {
      return new SimdMatrix(rows, dims, module, wasm);
    } catch {
      return undefined;
    }
  }

  /** The query's dot product with every row, as float32; the array is reused by the next scan. */
  scan(query: Float32Array): Float32Array {
    this.query.set(query);
    this.run(this.query.byteOffset, this.matrix.byteOffset, this.rows, 4 * this.dims, this.sums.byteOffset);
    return this.sums;
  }

  /** How far a sum of `scan` may lie from the exact dot product of the query with any row. */
  maxError(query: Float32Array): number {
    this.longestRow ??= this.longest();
    let squares = 0;
    for (let i = 0; i < query.length; i++) squares += query[i]! * query[i]!;
    return errorBound(this.dims) * Math.sqrt(squares) * this.longestRow;
  }

  private longest(): number {
    let max = 0;
    for (let r = 0; r < this.rows; r++) {
      let squares = 0;
      for (let i = r * this.dims; i < (r + 1) * this.dims; i++) squares += this.matrix[i]! * this.matrix[i]!;
      max = Math.max(max, squares);
    }
    return Math.sqrt(max);
  }
}
