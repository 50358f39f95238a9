import { commitPlan, deliveryKey, loadChangesByIds, planAlerts, type AlertDelivery } from '../../src/alerts/plan';
import type { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { LATENCY, memoryAlertStore, PINGS, REVENUE, sampleGraph, schemaChange } from './fixtures';

describe('planAlerts', () => {
  let graph: SqliteGraphStore;
  let store: SqliteAlertStore;
  const at = '2026-11-24T00:00:00Z';

  beforeEach(async () => {
    graph = await sampleGraph();
    store = (await memoryAlertStore()).store;
    await store.subscribe({ channel: 'C_GAME', pattern: 'game_log.*', mode: 'live', createdAt: at });
    await store.subscribe({ channel: 'C_TAG', pattern: 'tag:latency', mode: 'live', createdAt: at });
    await store.subscribe({ channel: 'C_BILLING', pattern: 'billing.*', mode: 'daily', createdAt: at });
    await store.subscribe({ channel: 'C_GOLD', pattern: 'hive://gold.*', mode: 'live', createdAt: at });
    await store.mute({ channel: 'C_GOLD', tableKey: LATENCY, at });
    await store.subscribe({ channel: 'C_NONE', pattern: 'other.*', mode: 'live', createdAt: at });
    await store.subscribe({ channel: 'C_BOTH', pattern: 'billing.daily_revenue', mode: 'live', createdAt: at });
    await store.subscribe({ channel: 'C_BOTH', pattern: 'billing.*', mode: 'daily', createdAt: at });
  });
  afterEach(async () => {
    await store.close();
    await graph.close();
  });

  const report = (changes = [schemaChange(LATENCY, 'column_removed', { column: 'avg_rtt_ms', oldValue: 'double' }), schemaChange(REVENUE, 'column_added', { column: 'currency', newValue: 'string' })]) => ({
    source: 'hive:gold',
    crawlId: 'crawl-1',
    finishedAt: '2026-11-24T08:00:05Z',
    changes,
  });

  const byTarget = (ds: AlertDelivery[]): Record<string, string[]> => Object.fromEntries(ds.map((d) => [d.target.kind === 'channel' ? d.target.channel : `dm:${d.target.user}`, d.tableKeys]));

  it('sends each subscribed channel its matching, unmuted tables, and owners their broken tables', async () => {
    const plan = await planAlerts(report(), { store, graph });
    expect(byTarget(plan.deliveries)).toEqual({
      C_BOTH: [REVENUE],
      C_GAME: [LATENCY],
      C_GOLD: [REVENUE],
      C_TAG: [LATENCY],
      'dm:U01JIWOO01': [LATENCY],
    });
    expect(plan.digests).toEqual([{ channel: 'C_BILLING', changes: [expect.objectContaining({ tableKey: REVENUE })] }]);
    expect(plan.changeSet.id).toBe('crawl:hive:gold:crawl-1');
    const game = plan.deliveries.find((d) => d.target.kind === 'channel' && d.target.channel === 'C_GAME')!;
    expect(game.key).toBe(deliveryKey(plan.changeSet.id, { kind: 'channel', channel: 'C_GAME' }));
    expect(game.variant).toEqual({ kind: 'live', source: 'hive:gold', crawlId: 'crawl-1' });
  });

  it('plans the same deliveries when run again (stable keys)', async () => {
    const a = await planAlerts(report(), { store, graph });
    const b = await planAlerts(report(), { store, graph });
    expect(b.deliveries.map((d) => d.key)).toEqual(a.deliveries.map((d) => d.key));
  });

  it('respects owner opt-outs and reports owners without a Slack id', async () => {
    await store.setOwnerDmOptOut('U01JIWOO01', true);
    const plan = await planAlerts(report([schemaChange(LATENCY, 'table_removed'), schemaChange(REVENUE, 'table_removed')]), { store, graph });
    expect(plan.deliveries.filter((d) => d.target.kind === 'owner_dm')).toEqual([]);
    expect(plan.unreachableOwners).toEqual(['hana.cho']);
  });

  it('sends no DM for additive or informational changes', async () => {
    const plan = await planAlerts(report([schemaChange(LATENCY, 'column_added', { column: 'x', newValue: 'int' })]), { store, graph });
    expect(plan.deliveries.some((d) => d.target.kind === 'owner_dm')).toBe(false);
  });

  it('adds subscribers kept elsewhere (a person’s own table subscription) as live channels', async () => {
    const plan = await planAlerts(report(), {
      store,
      graph,
      ownerDms: false,
      extraSubscribers: async (keys) => [...keys.filter((k) => k === REVENUE).map((tableKey) => ({ channel: 'D_MINSU', tableKey })), { channel: 'D_X', tableKey: 'hive://x.y/unchanged' }],
    });
    expect(byTarget(plan.deliveries).D_MINSU).toEqual([REVENUE]);
    expect(byTarget(plan.deliveries).D_X).toBeUndefined();
  });

  it('plans nothing for a dry run, a refused crawl or no changes', async () => {
    expect((await planAlerts({ ...report(), dryRun: true }, { store, graph })).deliveries).toEqual([]);
    expect((await planAlerts({ ...report(), refused: { reason: 'too_many_removals' } }, { store, graph })).deliveries).toEqual([]);
    expect((await planAlerts(report([]), { store, graph })).deliveries).toEqual([]);
  });

  it('reaches a table the graph does not know by key and name, not by tag', async () => {
    const unknown = 'hive://gold.game_log/brand_new';
    const plan = await planAlerts(report([schemaChange(unknown, 'table_added')]), { store, graph });
    expect(Object.keys(byTarget(plan.deliveries)).sort()).toEqual(['C_GAME', 'C_GOLD']);
  });

  it('commits idempotently: change set once, digest buffered once, deliveries handed to the sink', async () => {
    const plan = await planAlerts(report(), { store, graph });
    const sent: AlertDelivery[][] = [];
    const sink = { enqueue: async (d: AlertDelivery[]) => void sent.push(d) };
    await commitPlan(plan, { store, sink });
    await commitPlan(plan, { store, sink });
    expect(sent).toHaveLength(2);
    expect((await store.getChangeSet(plan.changeSet.id))!.changes).toHaveLength(2);
    const digest = await store.sealDigest('C_BILLING', 'd1', at);
    expect(digest!.changes.map((c) => c.tableKey)).toEqual([REVENUE]);
  });

  it('loads a crawl’s changes by id from the graph', async () => {
    const changes = Array.from({ length: 30 }, (_, i) => schemaChange(PINGS, 'column_added', { column: `c${i}`, newValue: 'int' }));
    await graph.recordSchemaChanges([...changes, ...Array.from({ length: 3000 }, (_, i) => schemaChange(PINGS, 'description_changed', { at: '2026-11-25T00:00:00Z', newValue: String(i) }))]);
    const ids = changes.map((c) => c.id).reverse();
    const loaded = await loadChangesByIds(graph, ids);
    expect(loaded.map((c) => c.id)).toEqual(ids);
  });
});
