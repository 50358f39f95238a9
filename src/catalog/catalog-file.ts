import { z } from 'zod';
import { UserError } from '../domain/errors';
import { parseTableKey } from '../domain/keys';
import type { DashboardRecord, IsoTime, TableRecord, User } from '../domain/model';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'must be an ISO-8601 time');
const text = z.string();

const ColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: z.string().default('unknown'),
  description: text.optional(),
  nullable: z.boolean().optional(),
});

const TableSchema = z.strictObject({
  key: z.string().refine((k) => parseTableKey(k) !== undefined, 'must be database://cluster.schema/table'),
  database: z.string().min(1),
  cluster: z.string().min(1),
  schema: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(['table', 'view']).optional(),
  description: text.optional(),
  tags: z.array(z.string()).default([]),
  badges: z.array(z.string()).default([]),
  owners: z.array(z.string()).default([]),
  columns: z.array(ColumnSchema).default([]),
  updates: z.array(isoTime).default([]),
  readers: z.array(z.strictObject({ user: z.string(), count: z.number().int().nonnegative() })).default([]),
  upstream: z.array(z.string()).default([]),
  deprecated: z.boolean().default(false),
});

const DashboardSchema = z.strictObject({
  key: z.string().regex(/^[^:/]+:\/\/[^/]+\/.+$/, 'must be tool://group/id'),
  name: z.string().min(1),
  description: text.optional(),
  owners: z.array(z.string()).default([]),
  tables: z.array(z.string()).default([]),
  url: z.string().optional(),
});

const UserSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().optional(),
  slackId: z.string().optional(),
  team: z.string().optional(),
});

const CatalogSchema = z.strictObject({
  format: z.literal('catalog-v1'),
  now: isoTime.optional(),
  users: z.array(UserSchema).default([]),
  tables: z.array(TableSchema).default([]),
  dashboards: z.array(DashboardSchema).default([]),
});

/** A validated `catalog-v1` file, as records ready for the stores. */
export interface Catalog {
  /** The catalog's present moment, when it has one. */
  now?: IsoTime;
  users: User[];
  tables: TableRecord[];
  dashboards: DashboardRecord[];
}

function fail(file: string, path: Array<string | number>, reason: string): never {
  const where = path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') : '(top level)';
  throw new UserError('bad_catalog', `${file}: ${where}: ${reason}`, { file, path: where, reason });
}

/**
 * Parses and validates a `catalog-v1` document (see shared/eval/FORMAT.md). Rejects, with the file, the path
 * inside it and the reason: bad JSON, wrong types, duplicate keys, a key that disagrees with its parts, and
 * references to users that the file does not define.
 */
export function parseCatalog(json: string, file: string, source = `catalog:${file}`): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    fail(file, [], `not valid JSON (${(e as Error).message})`);
  }
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(file, issue.path as Array<string | number>, issue.message);
  }
  const c = parsed.data;
  const userIds = new Set<string>();
  c.users.forEach((u, i) => {
    if (userIds.has(u.id)) fail(file, ['users', i, 'id'], `duplicate user id "${u.id}"`);
    userIds.add(u.id);
  });
  const checkUser = (id: string, path: Array<string | number>): void => {
    if (!userIds.has(id)) fail(file, path, `unknown user "${id}" (not in users)`);
  };
  const tableKeys = new Set<string>();
  c.tables.forEach((t, i) => {
    if (tableKeys.has(t.key)) fail(file, ['tables', i, 'key'], `duplicate table key "${t.key}"`);
    tableKeys.add(t.key);
    const parts = parseTableKey(t.key)!;
    for (const part of ['database', 'cluster', 'schema', 'name'] as const) {
      if (parts[part] !== t[part]) fail(file, ['tables', i, part], `"${t[part]}" disagrees with the key "${t.key}"`);
    }
    const columns = new Set<string>();
    t.columns.forEach((col, j) => {
      if (columns.has(col.name)) fail(file, ['tables', i, 'columns', j, 'name'], `duplicate column "${col.name}"`);
      columns.add(col.name);
    });
    t.owners.forEach((o, j) => checkUser(o, ['tables', i, 'owners', j]));
    t.readers.forEach((r, j) => checkUser(r.user, ['tables', i, 'readers', j, 'user']));
  });
  const dashboardKeys = new Set<string>();
  c.dashboards.forEach((d, i) => {
    if (dashboardKeys.has(d.key) || tableKeys.has(d.key)) fail(file, ['dashboards', i, 'key'], `duplicate key "${d.key}"`);
    dashboardKeys.add(d.key);
    d.owners.forEach((o, j) => checkUser(o, ['dashboards', i, 'owners', j]));
  });
  return {
    ...(c.now ? { now: c.now } : {}),
    users: c.users,
    tables: c.tables.map((t) => ({
      ...t,
      columns: t.columns.map((col, position) => ({ ...col, position })),
      source,
    })),
    dashboards: c.dashboards.map((d) => ({ ...d, source })),
  };
}
