/** The evidence thresholds of a find; defaults measured on the synthetic sets (BENCHMARKS.md), overridable for experiments. */
export interface FindTuning {
  /** Weight of the lexical path in the fused score (the dense path gets the rest). */
  lexicalWeight: number;
  /** Below this robust z of the best similarity over the catalog's background, meaning says "nothing here". */
  denseAbstainZ: number;
  /** Above it, meaning alone makes the best result an answer rather than a guess. */
  denseAnswerZ: number;
  /** Below this many idf-units of specific words covered (× a word in 10% of documents), the words say "nothing here". */
  lexicalAbstainCovered: number;
  /** Weight of a table's best-matching column's similarity in the fused score (0: columns do not rank tables). */
  columnWeight: number;
}

/**
 * Measured on the synthetic sets (dev, shop, ride, saas; BENCHMARKS.md): every find question's best lexical result
 * covered at least 1.66 units and every absent subject's at most 1.4, hence 1.5; the similarity of meaning alone
 * separated them poorly (absent subjects reached z 4.2 where finds started at 2.9), so it only overrules the
 * words when it is far above the catalog's background. The column weight changes nothing on the synthetic sets; on
 * real-gitlab 0.2 lifted recall@3 from 0.87 to 0.90 and 0.35 cost recall@1 (BENCHMARKS.md).
 */
export const DEFAULT_FIND_TUNING: FindTuning = { lexicalWeight: 0.75, denseAbstainZ: 7, denseAnswerZ: 8, lexicalAbstainCovered: 1.5, columnWeight: 0.2 };
