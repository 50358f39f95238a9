import { parseTableKey } from '../domain/keys';
import type { GraphStore } from '../ports/graph-store';
import { splitIdentifier } from '../text/analyze';
import { editDistance } from '../text/fuzzy';

/** A table as name resolution sees it: its key and the parts people type. */
export interface TableEntry {
  key: string;
  database: string;
  cluster: string;
  schema: string;
  name: string;
}

/** A table name that is close to what someone typed. */
export interface NameMatch {
  entry: TableEntry;
  distance: number;
  /** 0..1, higher is closer: edit similarity blended with shared identifier parts. */
  similarity: number;
}

const lower = (s: string): string => s.toLowerCase();

/**
 * Every table's name, for resolving what a message mentions: exact key, `cluster.schema.table`, `schema.table`,
 * bare name, and names within a few edits. Loaded from the graph's key list; cheap to query.
 */
export class TableDirectory {
  private readonly byKey = new Map<string, TableEntry>();
  private readonly byName = new Map<string, TableEntry[]>();
  private readonly byQualified = new Map<string, TableEntry[]>();
  readonly entries: TableEntry[];

  constructor(keys: string[]) {
    this.entries = [];
    for (const key of keys) {
      const p = parseTableKey(key);
      if (!p) continue;
      const entry: TableEntry = { key, ...p };
      this.entries.push(entry);
      this.byKey.set(lower(key), entry);
      push(this.byName, lower(p.name), entry);
      push(this.byQualified, lower(`${p.schema}.${p.name}`), entry);
      push(this.byQualified, lower(`${p.cluster}.${p.schema}.${p.name}`), entry);
      push(this.byQualified, lower(`${p.database}.${p.schema}.${p.name}`), entry);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  get(key: string): TableEntry | undefined {
    return this.byKey.get(lower(key));
  }

  /** Tables whose key, qualified name or bare name is exactly `token` (case-insensitive). */
  exact(token: string): TableEntry[] {
    const t = lower(token);
    const byKey = this.byKey.get(t);
    if (byKey) return [byKey];
    const qualified = this.byQualified.get(t);
    if (qualified) return qualified;
    const named = this.byName.get(t);
    if (named) return named;
    // `schema.table` written with a slash, or a key without its database
    const slashed = this.byQualified.get(t.replace(/\//g, '.'));
    return slashed ?? [];
  }

  /** Whether some table has exactly this bare name. */
  hasName(name: string): boolean {
    return this.byName.has(lower(name));
  }

  /**
   * Table names closest to `token` (its last dotted part), best first: within `maxEdits` when given, else the
   * `limit` most similar names whatever their distance.
   */
  closest(token: string, options: { maxEdits?: number; limit?: number } = {}): NameMatch[] {
    const t = lower(token.includes('.') && !this.byName.has(lower(token)) ? token.slice(token.lastIndexOf('.') + 1) : token);
    const tParts = new Set(splitIdentifier(t));
    const max = options.maxEdits ?? Number.POSITIVE_INFINITY;
    const out: NameMatch[] = [];
    for (const [name, entries] of this.byName) {
      const d = editDistance(t, name, max);
      if (d > max) continue;
      const nParts = splitIdentifier(name);
      const shared = nParts.filter((p) => tParts.has(p)).length;
      const jaccard = shared / (new Set([...tParts, ...nParts]).size || 1);
      const edit = 1 - d / Math.max(t.length, name.length, 1);
      const similarity = 0.5 * edit + 0.5 * jaccard;
      for (const entry of entries) out.push({ entry, distance: d, similarity });
    }
    out.sort((a, b) => (options.maxEdits !== undefined ? a.distance - b.distance : 0) || b.similarity - a.similarity || a.entry.key.localeCompare(b.entry.key));
    return out.slice(0, options.limit ?? out.length);
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** How long a loaded directory is trusted before the table list is read again. */
export const DIRECTORY_TTL_MS = 30_000;

const cache = new WeakMap<GraphStore, { directory: Promise<TableDirectory>; at: number }>();

/**
 * The directory of a graph store's tables, read once and reused for `DIRECTORY_TTL_MS` (a table published a
 * moment ago is resolvable after at most that long; `forgetDirectory` makes it immediate).
 */
export function tableDirectory(graph: GraphStore, nowMs = Date.now()): Promise<TableDirectory> {
  const hit = cache.get(graph);
  if (hit && nowMs - hit.at < DIRECTORY_TTL_MS) return hit.directory;
  const directory = graph.listTableKeys().then((keys) => new TableDirectory(keys));
  cache.set(graph, { directory, at: nowMs });
  directory.catch(() => cache.delete(graph));
  return directory;
}

/** Drops a cached directory, so the next question reads the table list again. */
export function forgetDirectory(graph: GraphStore): void {
  cache.delete(graph);
}
