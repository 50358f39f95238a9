import { createHash } from 'node:crypto';
import type { Dashboard, DashboardRecord, IsoTime, SchemaChange, SchemaChangeKind, Table, TableRecord, User } from '../src/domain/model';

/** Where a diff happens: which source, which crawl, against which snapshot. */
export interface DiffContext {
  /** The source's name (`postgres:warehouse`). */
  source: string;
  crawlId: string;
  /** Stamped on the schema changes. */
  at: IsoTime;
  /**
   * Identifies the snapshot the crawl compares against (the source's crawl generation). Part of every change id:
   * the same change seen again against the same snapshot (a retried crawl) gets the same id.
   */
  snapshot: string;
  /** Emit `table_added` changes; off for a source's first crawl, where every table is new. */
  announceAdded: boolean;
  /**
   * Whether a key names a table the store held when the snapshot was read. Upstream keys it does not hold are
   * invisible in the snapshot (dangling lineage), so they are left out of the comparison.
   */
  stored: (key: string) => boolean;
}

export interface SnapshotDiff {
  /** Records of tables the snapshot does not have. */
  added: TableRecord[];
  /** Records of tables whose source-side state differs from the snapshot's. */
  changed: TableRecord[];
  unchanged: string[];
  /** Keys of snapshot tables the source no longer has. */
  removed: string[];
  /** New load times of tables that are otherwise unchanged (added and changed records carry their own). */
  loads: Array<{ tableKey: string; at: IsoTime }>;
  changes: SchemaChange[];
}

/** Load times compare as text only in one form: `Date#toISOString` without zero milliseconds, as the stores keep them. */
export function normalizeTime(at: IsoTime): IsoTime {
  return new Date(Date.parse(at)).toISOString().replace('.000Z', 'Z');
}

const text = (s: string | undefined): string | undefined => (s ? s : undefined);

/** The part of a table the source controls, in a comparable form, from a stored table. */
function storedView(t: Table, stored: (key: string) => boolean): string {
  return JSON.stringify([
    t.database,
    t.cluster,
    t.schema,
    t.name,
    t.kind,
    text(t.sourceDescription) ?? null,
    t.sourceTags,
    t.badges,
    t.sourceOwners,
    t.columns.map((c) => [c.name, c.type, c.position, c.nullable ?? null, text(c.sourceDescription) ?? null]),
    sortedReaders(t.readers),
    [...new Set(t.upstream.filter(stored))].sort(),
    t.humanDeprecated === undefined ? t.deprecated : null,
    t.rowCount ?? null,
    t.sizeBytes ?? null,
  ]);
}

/** The same view of a source record, as the store would hold it after `upsertTables`. */
function recordView(r: TableRecord, stored: (key: string) => boolean, humanDeprecated: boolean): string {
  return JSON.stringify([
    r.database,
    r.cluster,
    r.schema,
    r.name,
    r.kind ?? 'table',
    text(r.description) ?? null,
    r.tags ?? [],
    r.badges ?? [],
    r.owners ?? [],
    r.columns.map((c, i) => [c.name, c.type, c.position ?? i, c.nullable ?? null, text(c.description) ?? null]),
    sortedReaders(r.readers ?? []),
    [...new Set((r.upstream ?? []).filter(stored))].sort(),
    humanDeprecated ? null : (r.deprecated ?? false),
    r.rowCount ?? null,
    r.sizeBytes ?? null,
  ]);
}

function sortedReaders(readers: Array<{ user: string; count: number }>): Array<[string, number]> {
  return [...readers].sort((a, b) => b.count - a.count || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0)).map((r) => [r.user, r.count]);
}

/** A schema change's id: stable over the same change seen against the same snapshot. */
export function changeId(c: Omit<SchemaChange, 'id' | 'crawlId' | 'at'>, snapshot: string): string {
  return createHash('sha256')
    .update(JSON.stringify([c.source, c.tableKey, c.kind, c.column ?? null, c.oldValue ?? null, c.newValue ?? null, snapshot]))
    .digest('hex')
    .slice(0, 32);
}

const nullability = (n: boolean | undefined): string | undefined => (n === undefined ? undefined : n ? 'nullable' : 'not null');

/** The schema changes between a stored table and the source's new record of it. */
export function tableChanges(before: Table | undefined, after: TableRecord | undefined, ctx: DiffContext): SchemaChange[] {
  const out: SchemaChange[] = [];
  const key = (after?.key ?? before?.key)!;
  const push = (kind: SchemaChangeKind, fields: { column?: string; oldValue?: string; newValue?: string } = {}): void => {
    const base = { source: ctx.source, tableKey: key, kind, ...defined(fields) };
    out.push({ id: changeId(base, ctx.snapshot), crawlId: ctx.crawlId, at: ctx.at, ...base });
  };
  if (!before && after) {
    if (ctx.announceAdded) push('table_added');
    return out;
  }
  if (before && !after) {
    push('table_removed');
    return out;
  }
  if (!before || !after) return out;
  if (text(before.sourceDescription) !== text(after.description)) push('description_changed', { oldValue: text(before.sourceDescription), newValue: text(after.description) });
  const old = new Map(before.columns.map((c) => [c.name, c]));
  const now = new Map(after.columns.map((c) => [c.name, c]));
  for (const c of before.columns) if (!now.has(c.name)) push('column_removed', { column: c.name, oldValue: c.type });
  for (const c of after.columns) {
    const o = old.get(c.name);
    if (!o) {
      push('column_added', { column: c.name, newValue: c.type });
      continue;
    }
    if (o.type !== c.type) push('column_type_changed', { column: c.name, oldValue: o.type, newValue: c.type });
    if (o.nullable !== undefined && c.nullable !== undefined && o.nullable !== c.nullable) {
      push('column_nullability_changed', { column: c.name, oldValue: nullability(o.nullable), newValue: nullability(c.nullable) });
    }
    if (text(o.sourceDescription) !== text(c.description)) push('description_changed', { column: c.name, oldValue: text(o.sourceDescription), newValue: text(c.description) });
  }
  return out;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Compares what a source says now with the snapshot of what it said before (its tables in the graph). Pure.
 * A table is `changed` when anything the source controls differs; new load times alone make it `loaded`,
 * not changed. Human fields are not compared: the store keeps them whatever the source says.
 */
export function diffSnapshot(previous: Table[], next: TableRecord[], ctx: DiffContext): SnapshotDiff {
  const before = new Map(previous.map((t) => [t.key, t]));
  const seen = new Set<string>();
  const out: SnapshotDiff = { added: [], changed: [], unchanged: [], removed: [], loads: [], changes: [] };
  for (const record of next) {
    seen.add(record.key);
    const old = before.get(record.key);
    if (!old) {
      out.added.push(record);
      out.changes.push(...tableChanges(undefined, record, ctx));
      continue;
    }
    if (storedView(old, ctx.stored) !== recordView(record, ctx.stored, old.humanDeprecated !== undefined)) {
      out.changed.push(record);
      out.changes.push(...tableChanges(old, record, ctx));
      continue;
    }
    const have = new Set(old.updates.map(normalizeTime));
    const fresh = [...new Set((record.updates ?? []).map(normalizeTime))].filter((at) => !have.has(at));
    if (fresh.length) out.loads.push(...fresh.map((at) => ({ tableKey: record.key, at })));
    else out.unchanged.push(record.key);
  }
  for (const t of previous) {
    if (seen.has(t.key)) continue;
    out.removed.push(t.key);
    out.changes.push(...tableChanges(t, undefined, ctx));
  }
  return out;
}

export interface DashboardDiff {
  added: DashboardRecord[];
  changed: DashboardRecord[];
  unchanged: string[];
  removed: string[];
}

/** The same comparison for dashboards. Pure. */
export function diffDashboards(previous: Dashboard[], next: DashboardRecord[]): DashboardDiff {
  const before = new Map(previous.map((d) => [d.key, d]));
  const out: DashboardDiff = { added: [], changed: [], unchanged: [], removed: [] };
  const seen = new Set<string>();
  const view = (d: { name: string; description?: string; owners?: string[]; tables?: string[]; url?: string }): string =>
    JSON.stringify([d.name, text(d.description) ?? null, d.owners ?? [], [...new Set(d.tables ?? [])].sort(), d.url ?? null]);
  for (const r of next) {
    seen.add(r.key);
    const old = before.get(r.key);
    if (!old) out.added.push(r);
    else if (view(old) !== view(r)) out.changed.push(r);
    else out.unchanged.push(r.key);
  }
  for (const d of previous) if (!seen.has(d.key)) out.removed.push(d.key);
  return out;
}

/** Users whose stored record differs from the source's (or who are new). Pure. */
export function changedUsers(stored: User[], next: User[]): User[] {
  const have = new Map(stored.map((u) => [u.id, canonical(u)]));
  return next.filter((u) => have.get(u.id) !== canonical(u));
}

function canonical(o: object): string {
  return JSON.stringify(Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The `table_removed` changes of tables a source no longer has. */
export function removedChanges(keys: string[], ctx: DiffContext): SchemaChange[] {
  return keys.flatMap((key) => tableChanges({ key } as Table, undefined, ctx));
}

/** Bumped when what a fingerprint covers changes, so old fingerprints stop matching. */
const FINGERPRINT_VERSION = 1;

/**
 * A digest of everything a record says that the store keeps (source fields, columns, readers, lineage, load
 * times): equal fingerprints mean publishing the record again would change nothing.
 */
export function fingerprint(r: TableRecord): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        FINGERPRINT_VERSION,
        recordView(r, () => true, false),
        [...new Set((r.updates ?? []).map(normalizeTime))].sort(),
        r.source ?? null,
      ]),
    )
    .digest('base64');
}
