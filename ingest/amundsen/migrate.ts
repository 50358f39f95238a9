import { refreshSearch, type Stores } from '../../src/catalog/publish';
import { parseTableKey } from '../../src/domain/keys';
import type { DashboardRecord, EditField, EditRequest, EditValue, IsoTime, Table, TableRecord, User } from '../../src/domain/model';
import { normalizeTime } from '../diff';
import type { AmundsenDashboard, AmundsenSource, AmundsenTable, AmundsenUser, LabelCounts } from './source';

/** The source name migrated records carry, and the actor of the human fields the migration writes. */
export const AMUNDSEN_SOURCE = 'amundsen';
export const MIGRATION_ACTOR = 'amundsen-migration';

/** What was read and written of one kind. */
export interface KindCount {
  read: number;
  written: number;
}

/** Kinds the report counts. */
export type MigratedKind = 'users' | 'tables' | 'columns' | 'dashboards' | 'human_descriptions' | 'programmatic_descriptions' | 'tags' | 'badges' | 'owners' | 'reads' | 'lineage' | 'last_updated';

export interface MigrationReport {
  dryRun: boolean;
  /** Nodes per label in Amundsen's graph. */
  source: LabelCounts;
  counts: Record<MigratedKind, KindCount>;
  /** What was not taken over, and why, with how many. */
  skipped: Array<{ kind: string; reason: string; count: number }>;
  /** Human edits written (planned, in a dry run): description, column descriptions, tags, owners, logged as `amundsen-migration`. */
  edits: number;
  durationMs: number;
}

export interface MigrationProgress {
  phase: 'users' | 'tables' | 'dashboards';
  done: number;
  total: number;
}

export interface MigrationOptions {
  dryRun?: boolean;
  /** Nodes read and written per batch (default 500). */
  batchSize?: number;
  onProgress?: (p: MigrationProgress) => void;
  now?: () => Date;
}

const SLACK_MEMBER_ID = /^[UW][A-Z0-9]{6,}$/;
const KINDS: MigratedKind[] = ['users', 'tables', 'columns', 'dashboards', 'human_descriptions', 'programmatic_descriptions', 'tags', 'badges', 'owners', 'reads', 'lineage', 'last_updated'];

class Tally {
  readonly counts = Object.fromEntries(KINDS.map((k) => [k, { read: 0, written: 0 }])) as Record<MigratedKind, KindCount>;
  private readonly skips = new Map<string, { kind: string; reason: string; count: number }>();
  read(kind: MigratedKind, n = 1): void {
    this.counts[kind].read += n;
  }
  wrote(kind: MigratedKind, n = 1): void {
    this.counts[kind].written += n;
  }
  skip(kind: string, reason: string, n = 1): void {
    if (n <= 0) return;
    const k = `${kind}\u0000${reason}`;
    const s = this.skips.get(k) ?? { kind, reason, count: 0 };
    s.count += n;
    this.skips.set(k, s);
  }
  skipped(): MigrationReport['skipped'] {
    return [...this.skips.values()].sort((a, b) => a.kind.localeCompare(b.kind) || b.count - a.count);
  }
}

const epochToIso = (s: number): IsoTime => normalizeTime(new Date(s * 1000).toISOString());

/** An Amundsen user as a Nansen user: the email key is the id; only a Slack member id is kept as the Slack id. */
export function toUser(u: AmundsenUser): { user: User; droppedSlackId: boolean } {
  const name = u.fullName ?? ([u.firstName, u.lastName].filter(Boolean).join(' ') || u.key);
  const slack = u.slackId && SLACK_MEMBER_ID.test(u.slackId) ? u.slackId : undefined;
  return {
    user: { id: u.key, name, ...(u.email ? { email: u.email } : {}), ...(slack ? { slackId: slack } : {}), ...(u.teamName ? { team: u.teamName } : {}) },
    droppedSlackId: Boolean(u.slackId && !slack),
  };
}

/**
 * What Amundsen says of a table as a source record: programmatic descriptions become the source description (the
 * first by source name), badges, columns, reads, upstream lineage and the last-updated time. The user-written
 * description, tags and owners are not here: they become human fields (`humanFields`).
 */
export function toTableRecord(t: AmundsenTable): TableRecord | undefined {
  const parts = parseTableKey(t.key);
  if (!parts) return undefined;
  const programmatic = [...t.programmatic].sort((a, b) => a.source.localeCompare(b.source));
  const columns = [...t.columns]
    .sort((a, b) => (a.sortOrder ?? Infinity) - (b.sortOrder ?? Infinity) || a.name.localeCompare(b.name))
    .map((c, i) => ({ name: c.name, type: c.type ?? 'unknown', position: i }));
  return {
    key: t.key,
    ...parts,
    kind: t.isView ? 'view' : 'table',
    ...(programmatic.length ? { description: programmatic.map((p) => (programmatic.length > 1 ? `${p.source}: ${p.text}` : p.text)).join('\n\n') } : {}),
    badges: [...new Set(t.badges)].sort(),
    columns,
    readers: t.readers.filter((r) => r.count > 0),
    upstream: [...new Set(t.upstream)].sort(),
    ...(t.lastUpdated ? { updates: [epochToIso(t.lastUpdated)] } : {}),
    source: AMUNDSEN_SOURCE,
  };
}

/** The human fields a table should have after the migration: Amundsen's user-written description, tags and owners. */
export function humanFields(t: AmundsenTable): Array<{ field: EditField; value: EditValue }> {
  const out: Array<{ field: EditField; value: EditValue }> = [];
  if (t.description?.trim()) out.push({ field: { kind: 'description' }, value: t.description.trim() });
  for (const c of t.columns) if (c.description?.trim()) out.push({ field: { kind: 'column_description', column: c.name }, value: c.description.trim() });
  const tags = [...new Set(t.tags.map((g) => g.key.toLowerCase()))].sort();
  if (tags.length) out.push({ field: { kind: 'tags' }, value: tags });
  const owners = [...new Set(t.owners)].sort();
  if (owners.length) out.push({ field: { kind: 'owners' }, value: owners });
  return out;
}

/** A person's current value of a field in Nansen, or undefined when no person set it. */
function humanValue(t: Table, field: EditField): EditValue | undefined {
  switch (field.kind) {
    case 'description':
      return t.humanDescription;
    case 'column_description':
      return t.columns.find((c) => c.name === field.column)?.humanDescription;
    case 'tags':
      return t.humanTags;
    case 'owners':
      return t.humanOwners;
    case 'deprecated':
      return t.humanDeprecated;
  }
}

export function toDashboardRecord(d: AmundsenDashboard): DashboardRecord {
  return {
    key: d.key,
    name: d.group ? `${d.group} / ${d.name}` : d.name,
    ...(d.description ? { description: d.description } : {}),
    owners: [...new Set(d.owners)].sort(),
    tables: [...new Set(d.tables)].sort(),
    ...(d.url ? { url: d.url } : {}),
    source: AMUNDSEN_SOURCE,
  };
}

/**
 * Takes Amundsen's graph over, in batches: users, then tables (source records; then the user-written description,
 * column descriptions, tags and owners as human edits by `amundsen-migration`, so the next crawl never overwrites
 * them; one `applyEdits` per batch, each field still its own logged edit), then dashboards. Idempotent: records
 * are upserts, loads are deduplicated, and a human field is written only while Nansen has none for it (a value a
 * person set in Nansen since is kept, and reported). A dry run reads and plans everything and writes nothing.
 */
export async function migrateAmundsen(source: AmundsenSource, stores: Stores, options: MigrationOptions = {}): Promise<MigrationReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 500;
  const dryRun = options.dryRun ?? false;
  const tally = new Tally();
  const counts = await source.counts();
  const { graph } = stores;
  let edits = 0;

  let done = 0;
  for await (const batch of source.users(batchSize)) {
    const users = batch.map(toUser);
    tally.read('users', batch.length);
    tally.skip('users', 'slack_id is a handle, not a Slack member id (U…): mentions need the member id', users.filter((u) => u.droppedSlackId).length);
    if (!dryRun) await graph.upsertUsers(users.map((u) => u.user));
    tally.wrote('users', batch.length);
    options.onProgress?.({ phase: 'users', done: (done += batch.length), total: counts.User ?? done });
  }

  done = 0;
  for await (const batch of source.tables(batchSize)) {
    const records: TableRecord[] = [];
    const planned = new Map<string, Array<{ field: EditField; value: EditValue }>>();
    for (const t of batch) {
      tally.read('tables');
      tally.read('columns', t.columns.length);
      const record = toTableRecord(t);
      if (!record) {
        tally.skip('tables', 'key is not {database}://{cluster}.{schema}/{table}');
        continue;
      }
      records.push(record);
      planned.set(t.key, humanFields(t));
      tally.read('human_descriptions', (t.description ? 1 : 0) + t.columns.filter((c) => c.description).length);
      tally.read('programmatic_descriptions', t.programmatic.length);
      tally.read('tags', t.tags.length);
      tally.read('badges', t.badges.length);
      tally.read('owners', t.owners.length);
      tally.read('reads', t.readers.length);
      tally.read('lineage', t.upstream.length);
      if (t.lastUpdated) tally.read('last_updated');
      tally.wrote('tables');
      tally.wrote('columns', record.columns.length);
      tally.wrote('programmatic_descriptions', t.programmatic.length);
      tally.wrote('badges', record.badges?.length ?? 0);
      tally.wrote('reads', record.readers?.length ?? 0);
      tally.wrote('lineage', record.upstream?.length ?? 0);
      if (record.updates) tally.wrote('last_updated');
      tally.skip('reads', 'a read count of 0', t.readers.length - (record.readers?.length ?? 0));
      tally.skip('column badges', "Nansen's columns have no badges", t.columns.reduce((n, c) => n + c.badges.length, 0));
      tally.skip('watermarks', 'partition watermarks are not load times; the last-updated timestamp is taken', t.watermarks);
      tally.skip('applications', "no applications in Nansen's model", t.applications.length);
      for (const [kind, n] of Object.entries(t.other)) tally.skip(kind.replace('_', ' '), "no place in Nansen's model", n);
    }
    if (!dryRun && records.length) await graph.upsertTables(records);
    const stored = new Map((await graph.getTables(records.map((r) => r.key))).map((t) => [t.key, t]));
    const requests: EditRequest[] = [];
    for (const [key, fields] of planned) {
      const table = stored.get(key);
      let version = table?.version;
      for (const { field, value } of fields) {
        const kind: MigratedKind = field.kind === 'tags' ? 'tags' : field.kind === 'owners' ? 'owners' : 'human_descriptions';
        const n = Array.isArray(value) ? value.length : 1;
        const current = table ? humanValue(table, field) : undefined;
        if (current !== undefined && JSON.stringify(current) !== JSON.stringify(value)) {
          tally.skip(kind, 'a person set another value in Nansen since; kept', n);
          continue;
        }
        tally.wrote(kind, n);
        if (current !== undefined) continue;
        edits++;
        if (dryRun || version === undefined) continue;
        requests.push({ tableKey: key, field, value, actor: MIGRATION_ACTOR, expectedVersion: version++ });
      }
    }
    // The batch's human fields in one atomic write, each logged as its own edit (revertible one by one).
    if (requests.length) await graph.applyEdits(requests);
    if (!dryRun && records.length) await refreshSearch({ tables: records.map((r) => r.key) }, stores);
    options.onProgress?.({ phase: 'tables', done: (done += batch.length), total: counts.Table ?? done });
  }

  done = 0;
  for await (const batch of source.dashboards(batchSize)) {
    tally.read('dashboards', batch.length);
    for (const d of batch) {
      tally.skip('dashboard queries', "no queries or charts in Nansen's dashboards", d.queries);
      tally.skip('dashboard charts', "no queries or charts in Nansen's dashboards", d.charts);
      tally.skip('dashboard reads', 'Nansen counts reads of tables, not dashboards', d.readers.length);
      tally.skip('dashboard executions', "no dashboard runs in Nansen's model", d.executions);
    }
    const records = batch.map(toDashboardRecord);
    if (!dryRun) {
      await graph.upsertDashboards(records);
      await refreshSearch({ dashboards: records.map((r) => r.key) }, stores);
    }
    tally.wrote('dashboards', records.length);
    options.onProgress?.({ phase: 'dashboards', done: (done += batch.length), total: counts.Dashboard ?? done });
  }
  const extras = await source.unmapped();
  tally.skip('schema descriptions', 'Nansen has no schema entity', extras.schemaDescriptions);
  tally.skip('dashboard group descriptions', 'dashboard groups are part of dashboard names in Nansen', extras.groupDescriptions);
  return { dryRun, source: counts, counts: tally.counts, skipped: tally.skipped(), edits, durationMs: Date.now() - started };
}
