import type { Dashboard, Table } from '../../src/domain/model';
import { lineageGraph } from '../../src/core/lineage-graph';
import type { GraphStore } from '../../src/ports/graph-store';

const NOW = new Date('2026-11-24T09:00:00Z');
const hourly = (hoursAgo: number) => Array.from({ length: 24 }, (_, i) => new Date(NOW.getTime() - (hoursAgo + i) * 3_600_000).toISOString());

function table(name: string, upstream: string[], extra: Partial<Table> = {}): Table {
  return {
    key: `hive://gold.s/${name}`, database: 'hive', cluster: 'gold', schema: 's', name, kind: 'table', sourceTags: [], badges: [], sourceOwners: [], columns: [], readers: [],
    upstream: upstream.map((u) => `hive://gold.s/${u}`), downstream: [], dashboards: [], updates: hourly(0), deprecated: false, version: 1, ...extra,
  };
}

/** A graph store of just these tables and dashboards; downstream edges derived from upstream ones, as the stores do. */
function store(tables: Table[], dashboards: Dashboard[] = []): Pick<GraphStore, 'getTable' | 'getTables' | 'getDashboards'> & { fetched: string[] } {
  const byKey = new Map(tables.map((t) => [t.key, t]));
  for (const t of tables) for (const u of t.upstream) byKey.get(u)?.downstream.push(t.key);
  for (const d of dashboards) for (const k of d.tables) byKey.get(k)?.dashboards.push(d.key);
  const fetched: string[] = [];
  return {
    fetched,
    getTable: async (k) => byKey.get(k),
    getTables: async (keys) => (fetched.push(...keys), keys.flatMap((k) => (byKey.has(k) ? [byKey.get(k)!] : []))),
    getDashboards: async (keys) => dashboards.filter((d) => keys.includes(d.key)),
  };
}

const k = (name: string) => `hive://gold.s/${name}`;
const deps = (graph: ReturnType<typeof store>) => ({ graph: graph as unknown as GraphStore, now: () => NOW, timeZone: 'Asia/Seoul' });

describe('lineageGraph', () => {
  // a3 → a2 → a1 → subject → b1 → b2 → b3, and a dashboard on the subject and on b1
  const chain = () =>
    store(
      [table('a3', []), table('a2', ['a3']), table('a1', ['a2']), table('subject', ['a1']), table('b1', ['subject']), table('b2', ['b1']), table('b3', ['b2'])],
      [
        { key: 'superset://kpi/1', name: 'KPI', owners: [], tables: [k('subject')] },
        { key: 'superset://kpi/2', name: 'Funnel', owners: [], tables: [k('b1')] },
      ],
    );

  it('walks two hops up and down, nearest first, with the dashboards', async () => {
    const g = await lineageGraph(k('subject'), deps(chain()));
    expect(g.nodes.map((n) => [n.label, n.role, n.hop])).toEqual([
      ['s.subject', 'subject', 0],
      ['s.a1', 'upstream', 1],
      ['s.b1', 'downstream', 1],
      ['KPI', 'dashboard', 1],
      ['s.a2', 'upstream', 2],
      ['s.b2', 'downstream', 2],
      ['Funnel', 'dashboard', 2],
    ]);
    expect(g.nodes.map((n) => n.label)).not.toContain('s.a3');
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { from: k('a2'), to: k('a1') },
        { from: k('a1'), to: k('subject') },
        { from: k('subject'), to: k('b1') },
        { from: k('b1'), to: k('b2') },
        { from: k('subject'), to: 'superset://kpi/1' },
        { from: k('b1'), to: 'superset://kpi/2' },
      ]),
    );
    expect(g.edges).toHaveLength(6);
  });

  it('walks as many hops as asked', async () => {
    const g = await lineageGraph(k('subject'), deps(chain()), { hops: 1 });
    expect(g.nodes.filter((n) => n.kind === 'table').map((n) => n.label)).toEqual(['s.subject', 's.a1', 's.b1']);
  });

  it('marks deprecated, stale and unknown tables', async () => {
    const graph = store([
      table('old', [], { deprecated: true, updates: hourly(100) }),
      table('late', [], { updates: hourly(30) }),
      table('subject', ['old', 'late', 'ghost']),
    ]);
    const g = await lineageGraph(k('subject'), deps(graph));
    const by = new Map(g.nodes.map((n) => [n.label, n]));
    expect(by.get('s.old')).toMatchObject({ deprecated: true, stale: false });
    expect(by.get('s.late')).toMatchObject({ deprecated: false, stale: true });
    expect(by.get('s.subject')).toMatchObject({ deprecated: false, stale: false });
    expect(by.get(k('ghost'))).toMatchObject({ unknown: true, role: 'upstream' });
  });

  it('stops gathering at the bound', async () => {
    const parents = Array.from({ length: 500 }, (_, i) => table(`p${i}`, []));
    const graph = store([...parents, table('subject', parents.map((p) => p.name))]);
    const g = await lineageGraph(k('subject'), deps(graph), { maxGathered: 50 });
    expect(g.nodes.length).toBeLessThanOrEqual(50);
    expect(graph.fetched.length).toBeLessThanOrEqual(50);
  });

  it('refuses an unknown table', async () => {
    await expect(lineageGraph(k('nope'), deps(store([])))).rejects.toMatchObject({ code: 'unknown_table' });
  });
});
