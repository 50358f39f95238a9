import { tableDirectory } from '../answering/directory';
import { parseTableKey } from '../domain/keys';
import type { Table } from '../domain/model';
import type { CoreDeps } from './deps';

export type TableLookup = { kind: 'found'; table: Table } | { kind: 'ambiguous'; keys: string[] } | { kind: 'none' };

/** Whether text could name one table (`sessions`, `game_log.sessions`, a full key), not a search. */
export function looksLikeTableRef(text: string): boolean {
  const t = text.trim().replace(/^`|`$/g, '');
  return parseTableKey(t) !== undefined || /^[\p{L}\p{N}_$-]+(\.[\p{L}\p{N}_$-]+){0,2}$/u.test(t);
}

/**
 * Finds the table a person named: a full key, `cluster.schema.name`, `schema.name` or a bare `name`
 * (case-insensitive), through the answering core's table directory (cached; a table published moments ago may
 * take up to its refresh interval to be found by name). Several tables of one name in different schemas are
 * ambiguous.
 */
export async function resolveTableRef(ref: string, deps: Pick<CoreDeps, 'graph' | 'search' | 'now'>): Promise<TableLookup> {
  const text = ref.trim().replace(/^`|`$/g, '').replace(/[?.!]+$/, '');
  if (!text) return { kind: 'none' };
  if (parseTableKey(text)) {
    const t = await deps.graph.getTable(text);
    return t ? { kind: 'found', table: t } : { kind: 'none' };
  }
  if (!looksLikeTableRef(text)) return { kind: 'none' };
  const entries = (await tableDirectory(deps.graph)).exact(text);
  const matches = entries.length ? await deps.graph.getTables(entries.map((e) => e.key)) : [];
  const live = matches.filter((t) => !t.removedAt);
  const pool = live.length ? live : matches;
  if (pool.length === 1) return { kind: 'found', table: pool[0]! };
  if (pool.length > 1) return { kind: 'ambiguous', keys: pool.map((t) => t.key).sort() };
  return { kind: 'none' };
}
