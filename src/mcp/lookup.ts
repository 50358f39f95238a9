import { resolveTableRef } from '../core/resolve-table';
import type { CoreDeps } from '../core/deps';
import { tableTitle } from '../domain/keys';
import { UserError } from '../domain/errors';
import type { Table } from '../domain/model';

/**
 * The table a tool argument names (a key, or a name the chat would understand). Unknown: `UserError('unknown_table')`;
 * several tables of that name: `UserError('ambiguous_table')` listing their keys.
 */
export async function requireTable(ref: string, deps: Pick<CoreDeps, 'graph' | 'search' | 'now'>): Promise<Table> {
  const found = await resolveTableRef(ref, deps);
  switch (found.kind) {
    case 'found':
      return found.table;
    case 'ambiguous':
      throw new UserError('ambiguous_table', `Several tables are called ${ref}: ${found.keys.join(', ')}. Pass one of these keys.`, { candidates: found.keys });
    case 'none':
      throw new UserError('unknown_table', `I couldn't find a table ${ref}. Use the search tool to find its key.`, { table: ref });
  }
}

/** A table's lineage as the `get_lineage` tool returns it. */
export interface LineageResult {
  table: { key: string; title: string };
  upstream?: Array<{ key: string; title: string }>;
  downstream?: Array<{ key: string; title: string }>;
  dashboards: Array<{ key: string; name: string; url?: string }>;
}

/** Up- and/or downstream tables of `t` within `depth` hops (nearest first), with titles, and its dashboards. */
export async function lineageOf(t: Table, direction: 'upstream' | 'downstream' | 'both', depth: number, deps: Pick<CoreDeps, 'graph'>): Promise<LineageResult> {
  const want = (d: 'upstream' | 'downstream'): boolean => direction === 'both' || direction === d;
  const [up, down, dashboards] = await Promise.all([
    want('upstream') ? deps.graph.lineage(t.key, 'upstream', depth) : Promise.resolve(undefined),
    want('downstream') ? deps.graph.lineage(t.key, 'downstream', depth) : Promise.resolve(undefined),
    deps.graph.getDashboards(t.dashboards),
  ]);
  const known = new Map((await deps.graph.getTables([...(up ?? []), ...(down ?? [])])).map((x) => [x.key, tableTitle(x)]));
  const titled = (keys: string[]): Array<{ key: string; title: string }> => keys.map((key) => ({ key, title: known.get(key) ?? key }));
  return {
    table: { key: t.key, title: tableTitle(t) },
    ...(up ? { upstream: titled(up) } : {}),
    ...(down ? { downstream: titled(down) } : {}),
    dashboards: dashboards.map((d) => ({ key: d.key, name: d.name, ...(d.url ? { url: d.url } : {}) })),
  };
}
