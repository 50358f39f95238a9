import { t as translate } from '../text/catalogue';
import { LocalizedUserError } from '../text/localized-error';
import { tableTitle } from '../domain/keys';
import { inferCadence } from '../domain/load-history';
import type { Table } from '../domain/model';
import type { CoreDeps } from './deps';

/**
 * Where a node sits around the subject: `hop` counts lineage edges from the subject (0 for the subject, 1 for a
 * direct parent or child, 2 for one beyond); a dashboard's hop is that of the table it reads plus one.
 */
export interface LineageNode {
  key: string;
  /** What people call it: `schema.name` for a table, the dashboard's name, the key when the catalog lacks it. */
  label: string;
  kind: 'table' | 'dashboard';
  role: 'subject' | 'upstream' | 'downstream' | 'dashboard';
  hop: number;
  deprecated: boolean;
  /** Its loads are overdue for its cadence (never set on a deprecated table). */
  stale: boolean;
  /** Marked removed from its source by a crawl. */
  removed: boolean;
  /** Named by an edge but not in the catalog. */
  unknown: boolean;
}

/** Data flows from `from` to `to` (a table into the one built from it, a table into a dashboard). */
export interface LineageEdge {
  from: string;
  to: string;
}

/**
 * The neighbourhood of one table for the lineage picture. `nodes` are in order of importance: the subject, then
 * by hop (upstream, downstream, dashboards within one hop), so a size cap keeps the nearest. Every edge's ends are
 * nodes.
 */
export interface LineageGraph {
  subject: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** How far and how much to gather. */
export interface LineageGraphOptions {
  /** Lineage hops each way (default 2). */
  hops?: number;
  /** Stop gathering once this many nodes are known (default 200); the picture shows fewer. */
  maxGathered?: number;
}

type Deps = Pick<CoreDeps, 'graph' | 'now' | 'timeZone'>;

/**
 * Gathers a table's lineage `hops` up and down, and the dashboards on it and on what is built from it, marking
 * deprecated, stale, removed and unknown nodes. Throws `UserError('unknown_table')` for an unknown subject.
 */
export async function lineageGraph(key: string, deps: Deps, options: LineageGraphOptions = {}): Promise<LineageGraph> {
  const hops = options.hops ?? 2;
  const maxGathered = options.maxGathered ?? 200;
  const subject = await deps.graph.getTable(key);
  if (!subject) throw new LocalizedUserError('unknown_table', (lang) => translate(lang, 'error.unknownTable', { key }), { tableKey: key });
  const now = deps.now();
  const tables = new Map<string, Table>([[subject.key, subject]]);
  const nodes = new Map<string, LineageNode>([[subject.key, tableNode(subject, 'subject', 0, now, deps.timeZone)]]);
  const edges: LineageEdge[] = [];
  const edgeSeen = new Set<string>();
  const addEdge = (from: string, to: string): void => {
    const id = `${from}\u0000${to}`;
    if (edgeSeen.has(id)) return;
    edgeSeen.add(id);
    edges.push({ from, to });
  };
  const full = (): boolean => nodes.size >= maxGathered;

  let up = [subject];
  let down = [subject];
  const dashboardsOf: Table[] = [subject];
  for (let hop = 1; hop <= hops; hop++) {
    const upKeys = unseen(up.flatMap((t) => t.upstream), nodes, maxGathered - nodes.size);
    const downKeys = unseen(down.flatMap((t) => t.downstream), nodes, maxGathered - nodes.size - upKeys.length);
    const found = await deps.graph.getTables([...upKeys, ...downKeys]);
    for (const t of found) tables.set(t.key, t);
    const place = (keys: string[], role: 'upstream' | 'downstream'): Table[] => {
      const next: Table[] = [];
      for (const k of keys) {
        const t = tables.get(k);
        nodes.set(k, t ? tableNode(t, role, hop, now, deps.timeZone) : unknownNode(k, role, hop));
        if (t) next.push(t);
      }
      return next;
    };
    const nextUp = place(upKeys, 'upstream');
    const nextDown = place(downKeys, 'downstream');
    for (const t of up) for (const k of t.upstream) if (nodes.has(k)) addEdge(k, t.key);
    for (const t of down) for (const k of t.downstream) if (nodes.has(k)) addEdge(t.key, k);
    up = nextUp;
    down = nextDown;
    dashboardsOf.push(...nextDown);
    if (full()) break;
  }
  // Edges among the gathered tables that the walk did not take (a hop-2 parent that also feeds the subject).
  for (const t of tables.values()) for (const k of t.upstream) if (nodes.has(k) && nodes.get(k)!.kind === 'table') addEdge(k, t.key);

  const dashKeys = [...new Set(dashboardsOf.flatMap((t) => t.dashboards))].filter((k) => !nodes.has(k)).slice(0, Math.max(0, maxGathered - nodes.size));
  const dashboards = new Map((await deps.graph.getDashboards(dashKeys)).map((d) => [d.key, d]));
  for (const t of dashboardsOf) {
    for (const k of t.dashboards) {
      if (!dashKeys.includes(k) && nodes.get(k)?.kind !== 'dashboard') continue;
      if (!nodes.has(k)) {
        const d = dashboards.get(k);
        nodes.set(k, { key: k, label: d?.name ?? k, kind: 'dashboard', role: 'dashboard', hop: nodes.get(t.key)!.hop + 1, deprecated: false, stale: false, removed: Boolean(d?.removedAt), unknown: !d });
      }
      addEdge(t.key, k);
    }
  }
  const order = { subject: 0, upstream: 1, downstream: 2, dashboard: 3 } as const;
  const sorted = [...nodes.values()].sort((a, b) => a.hop - b.hop || order[a.role] - order[b.role]);
  return { subject: subject.key, nodes: sorted, edges };
}

function unseen(keys: string[], nodes: Map<string, LineageNode>, room: number): string[] {
  const out: string[] = [];
  for (const k of keys) {
    if (out.length >= room) break;
    if (!nodes.has(k) && !out.includes(k)) out.push(k);
  }
  return out;
}

function tableNode(t: Table, role: LineageNode['role'], hop: number, now: Date, timeZone: string): LineageNode {
  const stale = !t.deprecated && !t.removedAt && inferCadence(t.updates, { now, timeZone }).late;
  return { key: t.key, label: tableTitle(t), kind: 'table', role, hop, deprecated: t.deprecated, stale, removed: Boolean(t.removedAt), unknown: false };
}

function unknownNode(key: string, role: LineageNode['role'], hop: number): LineageNode {
  return { key, label: key, kind: 'table', role, hop, deprecated: false, stale: false, removed: false, unknown: true };
}
