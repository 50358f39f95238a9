import { DelayedError, UnrecoverableError } from 'bullmq';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { SlackDeliveryError, SlackRateLimitedError } from '../../src/ports/slack-poster';
import type { AlertDelivery } from '../../src/alerts/plan';
import { silentLogger } from '../../src/log/logger';
import { createAlertPlanProcessor, createDeliveryProcessor, type DeliveryJob } from '../../src/alerts/jobs/processors';
import { deliveryJobId } from '../../src/alerts/jobs/queues';
import { FakePoster, LATENCY, memoryAlertStore, sampleGraph, schemaChange } from './fixtures';

describe('alert queue processors', () => {
  it('plans a crawl job into deliveries, then sends, defers on 429 and fails for good on permanent errors', async () => {
    const graph = await sampleGraph();
    const { store } = await memoryAlertStore();
    await store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: '2026-11-24T00:00:00Z' });
    const changes = [schemaChange(LATENCY, 'column_added', { column: 'x', newValue: 'int' })];
    await graph.recordSchemaChanges(changes);
    const queued: AlertDelivery[] = [];
    const sink = { enqueue: async (d: AlertDelivery[]) => void queued.push(...d) };
    const plan = createAlertPlanProcessor({ store, graph, sink, logger: silentLogger() });
    const result = await plan({ data: { kind: 'schema_changes', source: 'gold', crawlId: 'crawl-1', changeIds: changes.map((c) => c.id), observedAt: '2026-11-24T08:00:00Z' } });
    expect(result).toEqual({ crawlId: 'crawl-1', changes: 1, deliveries: 1, digestChannels: 0, unreachableOwners: 0 });
    await expect(plan({ data: { kind: 'schema_changes', source: 'gold', crawlId: 'crawl-9', changeIds: ['nope'], observedAt: '2026-11-24T08:00:00Z' } })).rejects.toMatchObject({ name: 'ChangesNotFoundError' });

    const slack = new FakePoster();
    const deliver = createDeliveryProcessor({ store, graph, slack, limiter: new MemoryChannelRateLimiter(0), logger: silentLogger(), sink, timeZone: 'UTC' });
    const delays: number[] = [];
    const job = (delivery: AlertDelivery): DeliveryJob => ({ id: deliveryJobId(delivery.key), data: { kind: 'deliver', delivery }, attemptsMade: 0, moveToDelayed: async (ts) => void delays.push(ts - Date.now()) });

    slack.failures.push(new SlackRateLimitedError(30_000));
    await expect(deliver(job(queued[0]!), 'token')).rejects.toBeInstanceOf(DelayedError);
    expect(delays[0]).toBeGreaterThan(29_000);

    const other = { ...queued[0]!, key: 'other', target: { kind: 'channel' as const, channel: 'C2' } };
    slack.failures.push(new SlackDeliveryError('not_in_channel', true, false));
    await expect(deliver(job(other), 'token')).rejects.toBeInstanceOf(UnrecoverableError);

    const third = { ...queued[0]!, key: 'third', target: { kind: 'channel' as const, channel: 'C3' } };
    expect(await deliver(job(third), 'token')).toMatchObject({ status: 'sent' });
    expect(await deliver(job(third), 'token')).toMatchObject({ status: 'already_sent' });
    expect(await deliver({ data: { kind: 'digest' }, attemptsMade: 0, moveToDelayed: async () => undefined }, 'token')).toEqual({ status: 'digest', deliveries: 0 });
    expect(deliveryJobId('crawl:postgres:wh:1|ch:C1')).toBe('dlv.crawl_postgres_wh_1|ch_C1');
    await store.close();
    await graph.close();
  });
});
