import { changeId, changedUsers, diffDashboards, diffSnapshot, normalizeTime, type DiffContext } from '../../ingest/diff';
import type { Dashboard, Table, TableRecord } from '../../src/domain/model';

const KEY = 'postgres://c.s/t';

function record(overrides: Partial<TableRecord> = {}): TableRecord {
  return {
    key: KEY,
    database: 'postgres',
    cluster: 'c',
    schema: 's',
    name: 't',
    kind: 'table',
    description: 'a table',
    columns: [
      { name: 'id', type: 'bigint', position: 0, nullable: false, description: 'the id' },
      { name: 'v', type: 'text', position: 1, nullable: true },
    ],
    source: 'postgres:x',
    ...overrides,
  };
}

/** The table the store holds after `upsertTables(record)`, with the given human fields. */
function stored(r: TableRecord, extra: Partial<Table> = {}): Table {
  return {
    key: r.key,
    database: r.database,
    cluster: r.cluster,
    schema: r.schema,
    name: r.name,
    kind: r.kind ?? 'table',
    ...(r.description ? { sourceDescription: r.description } : {}),
    sourceTags: r.tags ?? [],
    badges: r.badges ?? [],
    sourceOwners: r.owners ?? [],
    columns: r.columns.map((c, i) => ({
      name: c.name,
      type: c.type,
      position: c.position ?? i,
      ...(c.nullable !== undefined ? { nullable: c.nullable } : {}),
      ...(c.description ? { sourceDescription: c.description } : {}),
    })),
    readers: [...(r.readers ?? [])].sort((a, b) => b.count - a.count),
    upstream: r.upstream ?? [],
    downstream: [],
    dashboards: [],
    updates: (r.updates ?? []).map(normalizeTime).sort(),
    deprecated: r.deprecated ?? false,
    ...(r.rowCount !== undefined ? { rowCount: r.rowCount } : {}),
    ...(r.sizeBytes !== undefined ? { sizeBytes: r.sizeBytes } : {}),
    source: r.source,
    version: 0,
    ...extra,
  };
}

const ctx: DiffContext = { source: 'postgres:x', crawlId: 'crawl-1', at: '2026-11-24T08:00:00Z', snapshot: '3', announceAdded: true, stored: () => true };

type Outcome = 'unchanged' | 'changed' | 'loaded' | 'added' | 'removed';
interface Case {
  name: string;
  before?: Table;
  after?: TableRecord;
  outcome: Outcome;
  changes: string[];
  context?: Partial<DiffContext>;
}

const base = record();
const cases: Case[] = [
  { name: 'identical', before: stored(base), after: base, outcome: 'unchanged', changes: [] },
  { name: 'empty description equals none', before: stored(record({ description: undefined })), after: record({ description: '' }), outcome: 'unchanged', changes: [] },
  { name: 'new table', after: base, outcome: 'added', changes: ['table_added'] },
  { name: "new table on a source's first crawl", after: base, outcome: 'added', changes: [], context: { announceAdded: false } },
  { name: 'table gone', before: stored(base), outcome: 'removed', changes: ['table_removed'] },
  { name: 'table description changed', before: stored(base), after: record({ description: 'better words' }), outcome: 'changed', changes: ['description_changed::a table>better words'] },
  { name: 'table description dropped', before: stored(base), after: record({ description: undefined }), outcome: 'changed', changes: ['description_changed::a table>'] },
  {
    name: 'column added',
    before: stored(base),
    after: record({ columns: [...base.columns, { name: 'w', type: 'int', position: 2, nullable: true }] }),
    outcome: 'changed',
    changes: ['column_added:w:>int'],
  },
  { name: 'column removed', before: stored(base), after: record({ columns: [base.columns[0]!] }), outcome: 'changed', changes: ['column_removed:v:text>'] },
  {
    name: 'column type changed',
    before: stored(base),
    after: record({ columns: [base.columns[0]!, { ...base.columns[1]!, type: 'varchar(10)' }] }),
    outcome: 'changed',
    changes: ['column_type_changed:v:text>varchar(10)'],
  },
  {
    name: 'column nullability changed',
    before: stored(base),
    after: record({ columns: [{ ...base.columns[0]!, nullable: true }, base.columns[1]!] }),
    outcome: 'changed',
    changes: ['column_nullability_changed:id:not null>nullable'],
  },
  {
    name: 'column description changed',
    before: stored(base),
    after: record({ columns: [{ ...base.columns[0]!, description: 'the key' }, base.columns[1]!] }),
    outcome: 'changed',
    changes: ['description_changed:id:the id>the key'],
  },
  {
    name: 'column renamed is a removal and an addition',
    before: stored(base),
    after: record({ columns: [base.columns[0]!, { ...base.columns[1]!, name: 'value' }] }),
    outcome: 'changed',
    changes: ['column_removed:v:text>', 'column_added:value:>text'],
  },
  {
    name: 'columns reordered: changed, no schema change',
    before: stored(base),
    after: record({ columns: [{ ...base.columns[1]!, position: 0 }, { ...base.columns[0]!, position: 1 }] }),
    outcome: 'changed',
    changes: [],
  },
  { name: 'readers changed: changed, no schema change', before: stored(base), after: record({ readers: [{ user: 'ada', count: 3 }] }), outcome: 'changed', changes: [] },
  {
    name: 'readers in another order',
    before: stored(record({ readers: [{ user: 'a', count: 1 }, { user: 'b', count: 5 }] })),
    after: record({ readers: [{ user: 'a', count: 1 }, { user: 'b', count: 5 }] }),
    outcome: 'unchanged',
    changes: [],
  },
  { name: 'row estimate changed', before: stored(record({ rowCount: 10 })), after: record({ rowCount: 11 }), outcome: 'changed', changes: [] },
  { name: 'kind changed', before: stored(base), after: record({ kind: 'view' }), outcome: 'changed', changes: [] },
  { name: 'tags changed', before: stored(base), after: record({ tags: ['pii'] }), outcome: 'changed', changes: [] },
  { name: 'owners changed', before: stored(base), after: record({ owners: ['hana.cho'] }), outcome: 'changed', changes: [] },
  { name: 'new load time only', before: stored(record({ updates: ['2026-11-24T07:00:00Z'] })), after: record({ updates: ['2026-11-24T07:00:00.000Z', '2026-11-24T08:00:00Z'] }), outcome: 'loaded', changes: [] },
  { name: 'known load times only', before: stored(record({ updates: ['2026-11-24T07:00:00Z'] })), after: record({ updates: ['2026-11-24T07:00:00.000Z'] }), outcome: 'unchanged', changes: [] },
  { name: 'human description does not count', before: stored(base, { humanDescription: 'people words', version: 3 }), after: base, outcome: 'unchanged', changes: [] },
  { name: 'human deprecation hides the source flag', before: stored(base, { humanDeprecated: true, deprecated: true }), after: record({ deprecated: false }), outcome: 'unchanged', changes: [] },
  { name: 'source deprecation changed', before: stored(base), after: record({ deprecated: true }), outcome: 'changed', changes: [] },
  {
    name: 'upstream to a table the store does not hold is not compared',
    before: stored(base),
    after: record({ upstream: ['postgres://c.s/elsewhere'] }),
    outcome: 'unchanged',
    changes: [],
    context: { stored: () => false },
  },
  { name: 'upstream added', before: stored(base), after: record({ upstream: ['postgres://c.s/u'] }), outcome: 'changed', changes: [] },
];

function describeChange(c: { kind: string; column?: string; oldValue?: string; newValue?: string }): string {
  return c.column === undefined && c.oldValue === undefined && c.newValue === undefined ? c.kind : `${c.kind}:${c.column ?? ''}:${c.oldValue ?? ''}>${c.newValue ?? ''}`;
}

describe('diffSnapshot', () => {
  it.each(cases)('$name', ({ before, after, outcome, changes, context }) => {
    const diff = diffSnapshot(before ? [before] : [], after ? [after] : [], { ...ctx, ...context });
    const got: Outcome = diff.added.length ? 'added' : diff.removed.length ? 'removed' : diff.changed.length ? 'changed' : diff.loads.length ? 'loaded' : 'unchanged';
    expect(got).toBe(outcome);
    expect(diff.changes.map(describeChange)).toEqual(changes);
    for (const c of diff.changes) expect(c).toMatchObject({ source: 'postgres:x', crawlId: 'crawl-1', at: ctx.at, tableKey: KEY });
  });

  it('reports only the new load times', () => {
    const diff = diffSnapshot([stored(record({ updates: ['2026-11-24T07:00:00Z'] }))], [record({ updates: ['2026-11-24T07:00:00Z', '2026-11-24T08:00:00.000Z'] })], ctx);
    expect(diff.loads).toEqual([{ tableKey: KEY, at: '2026-11-24T08:00:00Z' }]);
  });

  it('gives a change the same id for the same snapshot and another for a later one', () => {
    const after = record({ description: 'x' });
    const a = diffSnapshot([stored(base)], [after], ctx).changes[0]!;
    const b = diffSnapshot([stored(base)], [after], { ...ctx, crawlId: 'crawl-2', at: '2026-11-24T09:00:00Z' }).changes[0]!;
    const c = diffSnapshot([stored(base)], [after], { ...ctx, snapshot: '4' }).changes[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a.id).toBe(changeId({ source: a.source, tableKey: a.tableKey, kind: a.kind, oldValue: a.oldValue, newValue: a.newValue }, '3'));
  });

  it('sorts many tables into added, changed, unchanged and removed', () => {
    const prev = ['a', 'b', 'c'].map((n) => stored(record({ key: `postgres://c.s/${n}`, name: n })));
    const next = [record({ key: 'postgres://c.s/b', name: 'b' }), record({ key: 'postgres://c.s/c', name: 'c', description: 'new' }), record({ key: 'postgres://c.s/d', name: 'd' })];
    const diff = diffSnapshot(prev, next, ctx);
    expect(diff.added.map((t) => t.name)).toEqual(['d']);
    expect(diff.changed.map((t) => t.name)).toEqual(['c']);
    expect(diff.unchanged).toEqual(['postgres://c.s/b']);
    expect(diff.removed).toEqual(['postgres://c.s/a']);
  });
});

describe('diffDashboards', () => {
  const dash = (o: Partial<Dashboard> = {}): Dashboard => ({ key: 'superset://bi/1', name: 'Latency', owners: ['a'], tables: ['postgres://c.s/t', 'postgres://c.s/u'], ...o });
  it.each([
    { name: 'same, tables in another order', before: dash(), after: { ...dash(), tables: ['postgres://c.s/u', 'postgres://c.s/t'] }, expected: 'unchanged' },
    { name: 'renamed', before: dash(), after: { ...dash(), name: 'Latency v2' }, expected: 'changed' },
    { name: 'new', before: undefined, after: dash(), expected: 'added' },
    { name: 'gone', before: dash(), after: undefined, expected: 'removed' },
  ])('$name', ({ before, after, expected }) => {
    const d = diffDashboards(before ? [before] : [], after ? [after] : []);
    const got = d.added.length ? 'added' : d.removed.length ? 'removed' : d.changed.length ? 'changed' : 'unchanged';
    expect(got).toBe(expected);
  });
});

describe('changedUsers', () => {
  it('finds new and changed users, ignoring field order', () => {
    const stored = [{ id: 'a', name: 'A', team: 'x' }, { id: 'b', name: 'B' }];
    const next = [{ team: 'x', name: 'A', id: 'a' }, { id: 'b', name: 'B2' }, { id: 'c', name: 'C' }];
    expect(changedUsers(stored, next).map((u) => u.id)).toEqual(['b', 'c']);
  });
});
