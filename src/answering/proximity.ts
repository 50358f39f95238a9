import type { Concept } from './query';

/** Side by side: at most this many tokens apart. */
const WINDOW = 2;

/**
 * Term proximity: for each two concepts next to each other in the question that a text says within a word of each
 * other — in the question's order, or in either order (a name: `opportunity_renewal` says "renewal opportunity") —
 * the smaller of their weights. A text that says "storage used over the free limit" is about that, where one that
 * mentions storage, free and limit apart is not.
 */
export function sideBySideWeight(concepts: Concept[], weights: number[], tokens: string[], anyOrder: boolean): number {
  if (concepts.length < 2 || tokens.length < 2) return 0;
  const order = concepts.map((c, i) => ({ c, w: weights[i]!, at: Math.min(...c.words) })).sort((a, b) => a.at - b.at);
  const positions = order.map(({ c }) => {
    const terms = new Set([...c.typed, ...c.joined, ...c.alternatives.flatMap((a) => [...a.terms, ...a.joined])]);
    return tokens.flatMap((t, i) => (terms.has(t) ? [i] : []));
  });
  let sum = 0;
  for (let k = 0; k + 1 < order.length; k++) {
    const next = positions[k + 1]!;
    if (positions[k]!.some((p) => next.some((q) => (anyOrder ? q !== p : q > p) && Math.abs(q - p) <= WINDOW))) sum += Math.min(order[k]!.w, order[k + 1]!.w);
  }
  return sum;
}
