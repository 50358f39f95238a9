import type { Dashboard, Table } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import type { SearchDocument } from '../ports/search-index';
import type { CandidateText } from './rank';

/** A candidate as read and analysed: the same until the catalog changes. */
export interface ReadCandidate {
  entity: Table | Dashboard;
  doc: SearchDocument;
  /** The document's fields split into terms, as the re-rank reads them. */
  text: CandidateText;
}

/** Candidates kept per store; the oldest used goes first past it (a few MB per thousand tables). */
const CAPACITY = 4000;

interface Kept {
  token: string;
  entries: Map<string, ReadCandidate>;
}

const kept = new WeakMap<GraphStore, Kept>();

/**
 * The candidates read from a graph store while its change token stays the same, so that answers do not read and
 * analyse the same tables again. Undefined when the store has no change token (nothing is kept).
 */
export async function candidateCache(graph: GraphStore): Promise<CandidateCache | undefined> {
  const token = await graph.changeToken?.();
  if (token === undefined) return undefined;
  let k = kept.get(graph);
  if (!k || k.token !== token) kept.set(graph, (k = { token, entries: new Map() }));
  return new CandidateCache(k.entries);
}

/** One answer's view of the kept candidates. */
export class CandidateCache {
  constructor(private readonly entries: Map<string, ReadCandidate>) {}

  get(kind: string, key: string): ReadCandidate | undefined {
    const id = `${kind}:${key}`;
    const hit = this.entries.get(id);
    if (hit) {
      // most recently used last: the first in the map is the one to drop
      this.entries.delete(id);
      this.entries.set(id, hit);
    }
    return hit;
  }

  set(kind: string, key: string, read: ReadCandidate): void {
    this.entries.set(`${kind}:${key}`, read);
    if (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
  }
}
