import { conceptTerms, type Concept } from './query';

/** Side by side: at most this many tokens apart. */
const WINDOW = 2;

/**
 * Term proximity: for each two concepts next to each other in the question that a text says within a word of each
 * other — in the question's order, or in either order (a name: `opportunity_renewal` says "renewal opportunity") —
 * the smaller of their weights. A text that says "storage used over the free limit" is about that, where one that
 * mentions storage, free and limit apart is not.
 */
export function sideBySideWeight(concepts: Concept[], weights: number[], tokens: string[], anyOrder: boolean): number {
  return sideBySide(concepts, weights)(tokens, anyOrder);
}

/**
 * `sideBySideWeight` for one question, to apply to many texts: the concepts' order and terms are worked out once
 * (a question is scored against every candidate's name and description).
 */
export function sideBySide(concepts: Concept[], weights: number[]): (tokens: string[], anyOrder: boolean) => number {
  if (concepts.length < 2) return () => 0;
  const order = concepts.map((c, i) => ({ c, w: weights[i]!, at: Math.min(...c.words) })).sort((a, b) => a.at - b.at);
  const termSets = order.map(({ c }) => new Set(conceptTerms(c)));
  const pairWeights = order.slice(1).map((next, k) => Math.min(order[k]!.w, next.w));
  return (tokens, anyOrder) => {
    if (tokens.length < 2) return 0;
    const positions = termSets.map((terms) => {
      const at: number[] = [];
      for (let i = 0; i < tokens.length; i++) if (terms.has(tokens[i]!)) at.push(i);
      return at;
    });
    let sum = 0;
    for (let k = 0; k + 1 < order.length; k++) {
      const here = positions[k]!;
      const next = positions[k + 1]!;
      if (!here.length || !next.length) continue;
      if (here.some((p) => next.some((q) => (anyOrder ? q !== p : q > p) && Math.abs(q - p) <= WINDOW))) sum += pairWeights[k]!;
    }
    return sum;
  };
}
