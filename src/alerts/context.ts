import { parseTableKey } from '../domain/keys';
import { effectiveOwners, effectiveTags, type Table, type User, type UserId } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';

/** A person as an alert names them: a Slack mention when their Slack id is known, else their name. */
export interface Person {
  id: UserId;
  name: string;
  slackId?: string;
}

/** What an alert says around a changed table: who owns and reads it, and what reads from it (blast radius). */
export interface TableContext {
  key: string;
  /** `schema.table`, or the key when it is not a table key. */
  label: string;
  /** False when the graph does not know the table (it will still be announced). */
  known: boolean;
  removed: boolean;
  tags: string[];
  owners: Person[];
  /** Readers, most reads first. */
  frequentUsers: Array<Person & { reads: number }>;
  /** Tables downstream along lineage, nearest first. */
  downstream: Array<{ key: string; label: string }>;
  /** Dashboards on the table or on any downstream table. */
  dashboards: Array<{ key: string; name: string; url?: string }>;
}

export interface ContextOptions {
  /** Lineage hops to follow downstream (default 3). */
  depth?: number;
  /** Readers kept per table (default 3). */
  frequentUsers?: number;
  /** Lineage look-ups in flight at once (default 16). */
  concurrency?: number;
}

export function tableLabel(key: string): string {
  const p = parseTableKey(key);
  return p ? `${p.schema}.${p.name}` : key;
}

/**
 * Loads the context of changed tables from the graph: owners, frequent users, downstream tables (`lineage`
 * downstream to `depth` hops) and the dashboards on the table and on what is downstream of it. Tables the graph
 * does not know get an empty context rather than failing the alert.
 */
export async function loadTableContexts(keys: readonly string[], graph: GraphStore, options: ContextOptions = {}): Promise<Map<string, TableContext>> {
  const depth = options.depth ?? 3;
  const unique = [...new Set(keys)];
  const tables = new Map((await graph.getTables(unique)).map((t) => [t.key, t]));
  const downstreamOf = new Map<string, string[]>();
  await forEachLimited(unique, options.concurrency ?? 16, async (key) => {
    downstreamOf.set(key, tables.has(key) ? await graph.lineage(key, 'downstream', depth) : []);
  });

  const downstreamKeys = [...new Set([...downstreamOf.values()].flat())].filter((k) => !tables.has(k));
  const downstreamTables = new Map((await graph.getTables(downstreamKeys)).map((t) => [t.key, t]));
  const anyTable = (k: string): Table | undefined => tables.get(k) ?? downstreamTables.get(k);

  const dashboardKeys = new Set<string>();
  const dashboardsOf = new Map<string, string[]>();
  for (const key of unique) {
    const ds = [...new Set([key, ...(downstreamOf.get(key) ?? [])].flatMap((k) => anyTable(k)?.dashboards ?? []))];
    dashboardsOf.set(key, ds);
    for (const d of ds) dashboardKeys.add(d);
  }
  const dashboards = new Map((await graph.getDashboards([...dashboardKeys])).map((d) => [d.key, d]));

  const userIds = new Set<string>();
  for (const t of tables.values()) {
    for (const o of effectiveOwners(t)) userIds.add(o);
    for (const r of t.readers) userIds.add(r.user);
  }
  const users = new Map((await graph.getUsers([...userIds])).map((u) => [u.id, u]));
  const person = (id: string): Person => personOf(id, users.get(id));

  const out = new Map<string, TableContext>();
  for (const key of unique) {
    const t = tables.get(key);
    const readers = [...(t?.readers ?? [])].sort((a, b) => b.count - a.count).slice(0, options.frequentUsers ?? 3);
    out.set(key, {
      key,
      label: tableLabel(key),
      known: !!t,
      removed: !!t?.removedAt,
      tags: t ? effectiveTags(t) : [],
      owners: t ? effectiveOwners(t).map(person) : [],
      frequentUsers: readers.map((r) => ({ ...person(r.user), reads: r.count })),
      downstream: (downstreamOf.get(key) ?? []).filter((k) => !anyTable(k)?.removedAt).map((k) => ({ key: k, label: tableLabel(k) })),
      dashboards: (dashboardsOf.get(key) ?? [])
        .map((k) => dashboards.get(k))
        .filter((d): d is NonNullable<typeof d> => !!d && !d.removedAt)
        .map((d) => ({ key: d.key, name: d.name, ...(d.url ? { url: d.url } : {}) })),
    });
  }
  return out;
}

function personOf(id: string, user: User | undefined): Person {
  return { id, name: user?.name ?? id, ...(user?.slackId ? { slackId: user.slackId } : {}) };
}

/** Runs `fn` over items with at most `limit` calls in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/** An empty context for a table the graph does not know. */
export function unknownContext(key: string): TableContext {
  return { key, label: tableLabel(key), known: false, removed: false, tags: [], owners: [], frequentUsers: [], downstream: [], dashboards: [] };
}
