import { effectiveTags, totalReads } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';

/** Catalog-wide figures for the Home tab and tag browsing: computed from every table, cached for a while. */
export interface CatalogOverview {
  /** Table keys by total reads, most read first (deprecated tables left out). */
  popular: string[];
  /** Tags with how many tables carry them, most used first. */
  tags: Array<{ tag: string; count: number }>;
  /** Table keys per tag. */
  byTag: Map<string, string[]>;
  computedAt: number;
}

const TTL_MS = 5 * 60_000;
interface Entry {
  value?: CatalogOverview;
  pending?: Promise<CatalogOverview>;
}
const cache = new WeakMap<GraphStore, Entry>();

async function compute(graph: GraphStore): Promise<CatalogOverview> {
  const keys = await graph.listTableKeys();
  const reads: Array<{ key: string; reads: number }> = [];
  const byTag = new Map<string, string[]>();
  for (let i = 0; i < keys.length; i += 250) {
    for (const t of await graph.getTables(keys.slice(i, i + 250))) {
      if (t.removedAt) continue;
      if (!t.deprecated) reads.push({ key: t.key, reads: totalReads(t) });
      for (const tag of effectiveTags(t)) byTag.set(tag, [...(byTag.get(tag) ?? []), t.key]);
    }
    // Let requests in between batches: this runs beside listeners that must acknowledge within 3 s.
    await new Promise((r) => setImmediate(r));
  }
  reads.sort((a, b) => b.reads - a.reads || a.key.localeCompare(b.key));
  const tags = [...byTag.entries()].map(([tag, ks]) => ({ tag, count: ks.length })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return { popular: reads.slice(0, 50).map((r) => r.key), tags, byTag, computedAt: Date.now() };
}

function refresh(graph: GraphStore, entry: Entry): Promise<CatalogOverview> {
  entry.pending ??= compute(graph).then(
    (value) => {
      entry.value = value;
      entry.pending = undefined;
      return value;
    },
    (err: unknown) => {
      entry.pending = undefined;
      throw err;
    },
  );
  return entry.pending;
}

/**
 * The catalog overview. Computed on first use; afterwards an overview older than five minutes is still returned
 * at once while a fresh one is computed in the background.
 */
export async function catalogOverview(graph: GraphStore): Promise<CatalogOverview> {
  let entry = cache.get(graph);
  if (!entry) {
    entry = {};
    cache.set(graph, entry);
  }
  if (!entry.value) return refresh(graph, entry);
  if (Date.now() - entry.value.computedAt > TTL_MS) refresh(graph, entry).catch(() => undefined);
  return entry.value;
}

/** Drops the cached overview (after an edit of tags, say): the next use computes it afresh. */
export function invalidateOverview(graph: GraphStore): void {
  cache.delete(graph);
}
