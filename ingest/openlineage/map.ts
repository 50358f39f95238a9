import { tableKey } from '../../src/domain/keys';

/** Where a mapped namespace's tables live in Nansen's keys: `{database}://{cluster}`. */
export interface NamespaceTarget {
  database: string;
  cluster: string;
}

/** OpenLineage namespaces (`postgres://db.internal:5432`) → the database and cluster of Nansen keys. */
export type NamespaceMapping = ReadonlyMap<string, NamespaceTarget>;

/** A dataset as a table key, or why it is not one. */
export type MappedDataset = { kind: 'table'; key: string; database: string; cluster: string; schema: string; name: string } | { kind: 'skipped'; reason: string };

const trimSlash = (ns: string): string => ns.replace(/\/+$/, '');
const part = (s: string): string => s.replace(/[./:]/g, '_');

/**
 * Parses the mapping setting: comma- or newline-separated `namespace=database://cluster` pairs
 * (`postgres://db.internal:5432=postgres://warehouse`). Throws with the bad entry.
 */
export function parseNamespaceMapping(text: string): NamespaceMapping {
  const out = new Map<string, NamespaceTarget>();
  for (const raw of text.split(/[,\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^(.+?)=([a-z][a-z0-9+_-]*):\/\/([^/.\s]+)\/?$/i.exec(entry);
    if (!m) throw new Error(`"${entry}" is not namespace=database://cluster (like postgres://db.internal:5432=postgres://warehouse)`);
    out.set(trimSlash(m[1]!.trim()), { database: m[2]!.toLowerCase(), cluster: m[3]! });
  }
  return out;
}

/**
 * The table key of a dataset, following the naming OpenLineage producers use: namespace `{scheme}://{authority}`
 * and name `{database}.{schema}.{table}` (PostgreSQL, MySQL and warehouses) or `{schema}.{table}` (Hive, MySQL).
 *
 * - a namespace in the mapping gives database and cluster; the name's last two parts are schema and table;
 * - otherwise the scheme is the database and the name's leading parts the cluster (`warehouse.public.orders` →
 *   `postgres://warehouse.public/orders`, as the PostgreSQL connector keys it), or, for two-part names, the host;
 * - file-like names (with `/`) and one-part names without a mapping are not tables.
 */
export function datasetKey(namespace: string, name: string, mapping: NamespaceMapping): MappedDataset {
  const ns = trimSlash(namespace.trim());
  if (name.includes('/')) return { kind: 'skipped', reason: `${ns}/${name} is a path, not a table` };
  const parts = name.split('.').filter(Boolean);
  const mapped = mapping.get(ns);
  const scheme = /^([a-z][a-z0-9+_-]*):\/\/(.*)$/i.exec(ns);
  if (mapped) {
    if (parts.length < 2) return { kind: 'skipped', reason: `${ns}/${name} has no schema in its name` };
    return table(mapped.database, mapped.cluster, parts[parts.length - 2]!, parts[parts.length - 1]!);
  }
  if (!scheme) return { kind: 'skipped', reason: `namespace ${ns} has no scheme; map it with NANSEN_OPENLINEAGE_NAMESPACES` };
  const database = scheme[1]!.toLowerCase();
  if (parts.length >= 3) return table(database, parts.slice(0, -2).map(part).join('_'), parts[parts.length - 2]!, parts[parts.length - 1]!);
  const host = scheme[2]!.replace(/:\d+$/, '');
  if (parts.length === 2 && host) return table(database, part(host), parts[0]!, parts[1]!);
  return { kind: 'skipped', reason: `${ns}/${name} does not name a schema and a table; map the namespace with NANSEN_OPENLINEAGE_NAMESPACES` };
}

function table(database: string, cluster: string, schema: string, name: string): MappedDataset {
  return { kind: 'table', key: tableKey({ database, cluster, schema, name }), database, cluster, schema, name };
}
