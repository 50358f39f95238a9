import { tableTitle } from '../domain/keys';
import { effectiveDescription, effectiveOwners, lastUpdate } from '../domain/model';
import type { IsoTime } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import type { PersonRef } from './people';
import { resolvePeople } from './people';

/** One line of a result list: a table or a dashboard, with what a person needs to pick it. */
export interface ResultItem {
  key: string;
  kind: 'table' | 'dashboard';
  /** `schema.name` for a table, the dashboard's name. */
  title: string;
  /** The first line of the effective description. */
  description?: string;
  lastUpdated?: IsoTime;
  owners: PersonRef[];
  badges: string[];
  deprecated: boolean;
  url?: string;
}

/** The first sentence or line of a text, at most `max` characters. */
export function firstLine(text: string | undefined, max = 160): string | undefined {
  if (!text) return undefined;
  const line = text.split(/\r?\n/).find((l) => l.trim())?.trim() ?? '';
  if (!line) return undefined;
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** Loads tables and dashboards by key and returns result items in the order of `keys` (unknown keys left out). */
export async function toResultItems(keys: Array<{ key: string; kind: 'table' | 'dashboard' }>, graph: GraphStore): Promise<ResultItem[]> {
  const tableKeys = keys.filter((k) => k.kind === 'table').map((k) => k.key);
  const dashKeys = keys.filter((k) => k.kind === 'dashboard').map((k) => k.key);
  const [tables, dashboards] = await Promise.all([tableKeys.length ? graph.getTables(tableKeys) : [], dashKeys.length ? graph.getDashboards(dashKeys) : []]);
  const tableBy = new Map(tables.map((t) => [t.key, t]));
  const dashBy = new Map(dashboards.map((d) => [d.key, d]));
  const ownerIds = [...new Set([...tables.flatMap((t) => effectiveOwners(t)), ...dashboards.flatMap((d) => d.owners)])];
  const people = new Map((await resolvePeople(ownerIds, graph)).map((p) => [p.id, p]));
  const owners = (ids: string[]): PersonRef[] => ids.map((id) => people.get(id) ?? { id });
  const out: ResultItem[] = [];
  for (const { key, kind } of keys) {
    if (kind === 'table') {
      const t = tableBy.get(key);
      if (!t) continue;
      out.push({
        key,
        kind,
        title: tableTitle(t),
        ...optional('description', firstLine(effectiveDescription(t))),
        ...optional('lastUpdated', lastUpdate(t)),
        owners: owners(effectiveOwners(t)),
        badges: [...t.badges],
        deprecated: t.deprecated,
      });
    } else {
      const d = dashBy.get(key);
      if (!d) continue;
      out.push({ key, kind, title: d.name, ...optional('description', firstLine(d.description)), owners: owners(d.owners), badges: [], deprecated: false, ...optional('url', d.url) });
    }
  }
  return out;
}

function optional<K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, V>);
}
