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

/** A distinct bare table name with what fuzzy matching needs of it, computed once. */
interface NameInfo {
  name: string;
  entries: TableEntry[];
  /** Length in code points (Hangul syllables count as one). */
  length: number;
  parts: string[];
  /** Distinct character bigrams. */
  grams: string[];
}

/** Distinct bigrams of a string, on code points. */
function bigrams(s: string): string[] {
  const cs = [...s];
  const out = new Set<string>();
  for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i]! + cs[i + 1]!);
  return [...out];
}

/** Unbounded suggestions are scored exactly only for this many names, the ones sharing the most bigrams. */
const SUGGESTION_CANDIDATES = 400;

/**
 * Every table's name, for resolving what a message mentions: exact key, `cluster.schema.table`, `schema.table`,
 * bare name, and names within a few edits. Loaded from the graph's key list; cheap to query: fuzzy lookups go
 * through a bigram index (and identifier parts), so a question costs the names that share letters with it, not a
 * scan of every name.
 */
export class TableDirectory {
  private readonly byKey = new Map<string, TableEntry>();
  private readonly byName = new Map<string, TableEntry[]>();
  private readonly byQualified = new Map<string, TableEntry[]>();
  private readonly names: NameInfo[] = [];
  private readonly byGram = new Map<string, number[]>();
  private readonly byPart = new Map<string, number[]>();
  private readonly byLength = new Map<number, number[]>();
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
    for (const [name, entries] of this.byName) {
      const i = this.names.length;
      const info: NameInfo = { name, entries, length: [...name].length, parts: splitIdentifier(name), grams: bigrams(name) };
      this.names.push(info);
      for (const g of info.grams) push(this.byGram, g, i);
      for (const part of new Set(info.parts)) push(this.byPart, part, i);
      push(this.byLength, info.length, i);
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
   * Table names closest to `token` (its last dotted part), best first: within `maxEdits` when given (exact: the
   * index only skips names that cannot be that close), else the `limit` most similar names, scored among the names
   * that share the most identifier parts, then bigrams, with it (a name sharing neither is not similar).
   */
  closest(token: string, options: { maxEdits?: number; limit?: number } = {}): NameMatch[] {
    const t = lower(token.includes('.') && !this.byName.has(lower(token)) ? token.slice(token.lastIndexOf('.') + 1) : token);
    const tParts = new Set(splitIdentifier(t));
    const max = options.maxEdits ?? Number.POSITIVE_INFINITY;
    const out: NameMatch[] = [];
    for (const i of this.candidates(t, tParts, options.maxEdits)) {
      const { name, entries, parts } = this.names[i]!;
      const d = editDistance(t, name, max);
      if (d > max) continue;
      const shared = parts.filter((p) => tParts.has(p)).length;
      const jaccard = shared / (new Set([...tParts, ...parts]).size || 1);
      const edit = 1 - d / Math.max(t.length, name.length, 1);
      const similarity = 0.5 * edit + 0.5 * jaccard;
      for (const entry of entries) out.push({ entry, distance: d, similarity });
    }
    out.sort((a, b) => (options.maxEdits !== undefined ? a.distance - b.distance : 0) || b.similarity - a.similarity || a.entry.key.localeCompare(b.entry.key));
    return out.slice(0, options.limit ?? out.length);
  }

  /** Indexes into `names` worth scoring for `t`. */
  private candidates(t: string, tParts: Set<string>, maxEdits: number | undefined): Iterable<number> {
    const grams = bigrams(t);
    const shared = new Map<number, number>();
    for (const g of grams) for (const i of this.byGram.get(g) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    if (maxEdits !== undefined) {
      // An edit touches at most 3 bigrams of `t` (a transposition), so a name within k edits keeps
      // at least |bigrams(t)| - 3k of them; when that bound says nothing, lengths alone narrow the scan.
      const need = grams.length - 3 * maxEdits;
      if (need > 0) return [...shared].filter(([, n]) => n >= need).map(([i]) => i);
      const len = [...t].length;
      const out: number[] = [];
      for (let l = Math.max(0, len - maxEdits); l <= len + maxEdits; l++) out.push(...(this.byLength.get(l) ?? []));
      return out;
    }
    // jaccard weighs half of the similarity: names sharing more parts first, then more bigrams
    const score = new Map<number, number>();
    for (const [i, n] of shared) score.set(i, n);
    for (const p of tParts) for (const i of this.byPart.get(p) ?? []) score.set(i, (score.get(i) ?? 0) + 1000);
    return [...score]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, SUGGESTION_CANDIDATES)
      .map(([i]) => i);
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** How long a loaded directory is trusted before the table list is read again. */
export const DIRECTORY_TTL_MS = 30_000;

interface Cached {
  directory: Promise<TableDirectory>;
  at: number;
  /** The key list the directory was built from, to keep it when a reload finds the same tables. */
  keys?: string[];
  reloading?: boolean;
}

const cache = new WeakMap<GraphStore, Cached>();

function sameKeys(a: string[] | undefined, b: string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);
}

/**
 * The directory of a graph store's tables, read once and reused for `DIRECTORY_TTL_MS` (a table published a
 * moment ago is resolvable after at most that long; `forgetDirectory` makes it immediate). Past that, questions are
 * answered from the loaded directory while the table list is read again in the background, and the index is rebuilt
 * only when the list changed: building it costs the one thread ~100 ms at 10k tables, which acks would wait behind.
 */
export function tableDirectory(graph: GraphStore, nowMs = Date.now()): Promise<TableDirectory> {
  const hit = cache.get(graph);
  if (hit && nowMs - hit.at < DIRECTORY_TTL_MS) return hit.directory;
  if (hit && !hit.reloading) {
    hit.reloading = true;
    graph
      .listTableKeys()
      .then((keys) => {
        if (cache.get(graph) !== hit) return;
        if (sameKeys(hit.keys, keys)) cache.set(graph, { ...hit, at: Date.now(), reloading: false });
        else cache.set(graph, { directory: Promise.resolve(new TableDirectory(keys)), at: Date.now(), keys });
      })
      .catch(() => {
        if (cache.get(graph) === hit) hit.reloading = false;
      });
    return hit.directory;
  }
  if (hit) return hit.directory;
  const entry: Cached = { directory: Promise.resolve(undefined as unknown as TableDirectory), at: nowMs };
  entry.directory = graph.listTableKeys().then((keys) => {
    entry.keys = keys;
    return new TableDirectory(keys);
  });
  cache.set(graph, entry);
  entry.directory.catch(() => {
    if (cache.get(graph) === entry) cache.delete(graph);
  });
  return entry.directory;
}

/** Drops a cached directory, so the next question reads the table list again. */
export function forgetDirectory(graph: GraphStore): void {
  cache.delete(graph);
}
