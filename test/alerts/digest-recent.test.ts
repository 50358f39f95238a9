import { deliverAlert } from '../../src/alerts/deliver';
import { localDate, runDailyDigest } from '../../src/alerts/digest';
import { dispatchAlerts, type AlertDelivery } from '../../src/alerts/plan';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { recentSchemaChanges } from '../../src/alerts/recent';
import { silentLogger } from '../../src/log/logger';
import { FakePoster, LATENCY, memoryAlertStore, REVENUE, sampleGraph, schemaChange } from './fixtures';

describe('daily digest', () => {
  it('buffers a digest channel’s changes across crawls and sends one message a day', async () => {
    const graph = await sampleGraph();
    const { store } = await memoryAlertStore();
    await store.subscribe({ channel: 'C_DIGEST', pattern: 'hive://gold.*', mode: 'daily', createdAt: '2026-11-24T00:00:00Z' });
    const queued: AlertDelivery[] = [];
    const sink = { enqueue: async (d: AlertDelivery[]) => void queued.push(...d) };
    for (const crawlId of ['c1', 'c2']) {
      await dispatchAlerts(
        { source: 'hive:gold', crawlId, finishedAt: '2026-11-24T08:00:00Z', changes: [schemaChange(crawlId === 'c1' ? LATENCY : REVENUE, 'column_added', { crawlId, column: `x_${crawlId}`, newValue: 'int' })] },
        { store, graph, sink },
      );
    }
    expect(queued).toEqual([]);
    const now = () => new Date('2026-11-25T00:30:00Z');
    const first = await runDailyDigest({ store, sink, timeZone: 'Asia/Seoul', now });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ key: 'digest:C_DIGEST:2026-11-25|ch:C_DIGEST', variant: { kind: 'digest', date: '2026-11-25' }, tableKeys: [REVENUE, LATENCY].sort() });
    const again = await runDailyDigest({ store, sink, timeZone: 'Asia/Seoul', now });
    expect(again.map((d) => d.key)).toEqual([]);

    const slack = new FakePoster();
    const deps = { store, graph, slack, limiter: new MemoryChannelRateLimiter(), logger: silentLogger() };
    expect((await deliverAlert(first[0]!, deps)).status).toBe('sent');
    expect((await deliverAlert(first[0]!, deps)).status).toBe('already_sent');
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!.text).toContain('Daily digest of schema changes (2026-11-25)');
    expect(JSON.stringify(slack.posts[0]!.blocks)).toContain('x_c1');
    expect(JSON.stringify(slack.posts[0]!.blocks)).toContain('x_c2');
    await store.close();
    await graph.close();
  });

  it('dates a digest in the configured time zone', () => {
    expect(localDate(new Date('2026-11-24T16:00:00Z'), 'Asia/Seoul')).toBe('2026-11-25');
    expect(localDate(new Date('2026-11-24T16:00:00Z'), 'UTC')).toBe('2026-11-24');
  });
});

describe('recentSchemaChanges', () => {
  it('lists recent changes classified, renames paired, for a table or for all', async () => {
    const graph = await sampleGraph();
    await graph.recordSchemaChanges([
      schemaChange(LATENCY, 'column_removed', { crawlId: 'old', at: '2026-11-20T00:00:00Z', column: 'rtt', oldValue: 'double' }),
      schemaChange(LATENCY, 'column_added', { crawlId: 'old', at: '2026-11-20T00:00:00Z', column: 'avg_rtt_ms', newValue: 'double' }),
      schemaChange(REVENUE, 'description_changed', { crawlId: 'new', at: '2026-11-24T00:00:00Z', oldValue: 'a', newValue: 'b' }),
      schemaChange(REVENUE, 'table_added', { crawlId: 'new', at: '2026-11-24T00:00:00Z' }),
    ]);
    const all = await recentSchemaChanges({ graph }, { limit: 10 });
    expect(all.map((c) => [c.label, c.severity, c.detail.kind])).toEqual([
      ['billing.daily_revenue', 'additive', 'table_added'],
      ['billing.daily_revenue', 'informational', 'description_changed'],
      ['game_log.session_latency_hourly', 'breaking', 'column_renamed'],
    ]);
    expect(all[2]!.text).toBe('*column `rtt` renamed to `avg_rtt_ms`* (`double`)');
    const one = await recentSchemaChanges({ graph }, { tableKey: LATENCY, limit: 5 });
    expect(one).toHaveLength(1);
    expect(await recentSchemaChanges({ graph }, { limit: 1 })).toHaveLength(1);
    await graph.close();
  });
});
