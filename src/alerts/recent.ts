import type { GraphStore } from '../ports/graph-store';
import { classifyChanges, type ClassifiedChange } from './classify';
import { tableLabel } from './context';
import { describeChange } from './message';

/** A recent schema change as App Home and the table card list it. */
export interface RecentSchemaChange extends ClassifiedChange {
  /** `schema.table`. */
  label: string;
  /** One line of mrkdwn: what changed (old → new). */
  text: string;
}

/**
 * Recent schema changes, classified (renames paired within a crawl), newest first and, within one crawl,
 * breaking first. Of one table with `tableKey` (the table card), or of all tables (App Home).
 */
export async function recentSchemaChanges(deps: { graph: GraphStore }, options: { tableKey?: string; limit?: number } = {}): Promise<RecentSchemaChange[]> {
  const limit = options.limit ?? 10;
  // A rename is two raw changes; read a little more so pairing does not cut the last one in half.
  const raw = await deps.graph.recentSchemaChanges({ ...(options.tableKey ? { tableKey: options.tableKey } : {}), limit: limit * 2 + 2 });
  const classified = classifyChanges(raw);
  const stamp = new Map(raw.map((c, i) => [c.id, i]));
  const order = (c: ClassifiedChange): number => Math.min(...c.changeIds.map((id) => stamp.get(id) ?? Number.MAX_SAFE_INTEGER));
  const sorted = classified.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? 1 : -1) || (a.crawlId === b.crawlId ? severityOrder(a) - severityOrder(b) : 0) || order(a) - order(b));
  return sorted.slice(0, limit).map((c) => ({ ...c, label: tableLabel(c.tableKey), text: describeChange(c.detail) }));
}

function severityOrder(c: ClassifiedChange): number {
  return c.severity === 'breaking' ? 0 : c.severity === 'additive' ? 1 : 2;
}
