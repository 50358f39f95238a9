import { UserError } from './errors';

/** The parts of a table key `{database}://{cluster}.{schema}/{name}`. */
export interface TableKeyParts {
  database: string;
  cluster: string;
  schema: string;
  name: string;
}

const TABLE_KEY = /^([^:/]+):\/\/([^./]+)\.([^/]+)\/(.+)$/;

/** Builds a table key in Amundsen's form. */
export function tableKey(p: TableKeyParts): string {
  return `${p.database}://${p.cluster}.${p.schema}/${p.name}`;
}

/** Parses a table key, or returns undefined when the text is not one. */
export function parseTableKey(key: string): TableKeyParts | undefined {
  const m = TABLE_KEY.exec(key);
  if (!m) return undefined;
  const [, database, cluster, schema, name] = m as unknown as [string, string, string, string, string];
  return { database, cluster, schema, name };
}

/** Parses a table key or throws a `UserError` naming it. */
export function requireTableKey(key: string): TableKeyParts {
  const parts = parseTableKey(key);
  if (!parts) throw new UserError('bad_key', `"${key}" is not a table key of the form database://cluster.schema/table`);
  return parts;
}

/** A column key: the table key, a slash, the column name. */
export function columnKey(table: string, column: string): string {
  return `${table}/${column}`;
}

/** Whether a key names a dashboard (`tool://group/id`) rather than a table. */
export function isDashboardKey(key: string): boolean {
  return !TABLE_KEY.test(key) && /^[^:/]+:\/\/[^/]+\/.+$/.test(key);
}

/** `schema.name`: how people name a table. */
export function tableTitle(t: { schema: string; name: string }): string {
  return `${t.schema}.${t.name}`;
}
