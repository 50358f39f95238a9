/**
 * Walks lineage breadth first from `start`, up to `depth` hops, and returns the keys reached, nearest first, each
 * once, never `start`. `neighbours` gives the next keys of a whole frontier, in the order to keep.
 */
export async function walkLineage(start: string, depth: number, neighbours: (frontier: string[]) => Promise<string[]>): Promise<string[]> {
  const seen = new Set<string>([start]);
  const out: string[] = [];
  let frontier = [start];
  for (let hop = 0; hop < depth && frontier.length; hop++) {
    const next: string[] = [];
    for (const key of await neighbours(frontier)) {
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(key);
      next.push(key);
    }
    frontier = next;
  }
  return out;
}
