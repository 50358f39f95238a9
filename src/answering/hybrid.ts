/**
 * Hybrid ranking, pure: lexical relevance (concept-level BM25F with the priors) and similarity of meaning are each
 * turned into z-scores over the candidates they share, and added with weights. Rank fusion (RRF) was measured and
 * rejected: ranks forget how far ahead a full lexical match is, and cost 6–9 points of recall@1 on catalogs the
 * lexical ranking already gets right (BENCHMARKS.md).
 */

/** One candidate with what each path said of it. */
export interface FusionInput {
  key: string;
  /** Lexical score (0 when no word matched). */
  lexical: number;
  /** Cosine similarity to the question; undefined when the dense path did not return it. */
  similarity?: number;
  /** The best cosine similarity of one of its columns to the question; undefined when none came back. */
  columnSimilarity?: number;
  /** The ranking priors as a multiplier (popularity, certified, deprecated, stale). */
  prior: number;
}

export interface Fused {
  key: string;
  score: number;
}

function zScores(xs: number[]): number[] {
  const n = xs.length;
  if (!n) return [];
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  return xs.map((x) => (sd > 1e-12 ? (x - mean) / sd : 0));
}

/** Missing similarities count as the least similar one present. */
function withFloor(xs: Array<number | undefined>): number[] {
  const present = xs.filter((x): x is number => x !== undefined);
  const floor = present.length ? Math.min(...present) : 0;
  return xs.map((x) => x ?? floor);
}

/**
 * `lexicalWeight · z(lexical) + (1 − lexicalWeight) · (z(similarity) + ln prior)`, best first. The lexical score
 * carries the priors already; the similarity gets them as a log, so a deprecated table sinks by about the same
 * share on both paths. A candidate the dense path did not return counts as the least similar one it did.
 */
export function fuse(candidates: FusionInput[], lexicalWeight: number, columnWeight = 0): Fused[] {
  if (!candidates.length) return [];
  const zl = zScores(candidates.map((c) => c.lexical));
  const zs = zScores(withFloor(candidates.map((c) => c.similarity)));
  const zc = columnWeight ? zScores(withFloor(candidates.map((c) => c.columnSimilarity))) : [];
  return candidates
    .map((c, i) => ({ key: c.key, score: lexicalWeight * zl[i]! + (1 - lexicalWeight) * (zs[i]! + Math.log(Math.max(1e-3, c.prior))) + (columnWeight ? columnWeight * zc[i]! : 0) }))
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
}
