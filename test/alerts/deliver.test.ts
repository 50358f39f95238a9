import { deliverAlert, PermanentDeliveryError, TransientDeliveryError, type DeliverDeps } from '../../src/alerts/deliver';
import { planAlerts, commitPlan, type AlertDelivery } from '../../src/alerts/plan';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { SlackDeliveryError, SlackRateLimitedError } from '../../src/ports/slack-poster';
import type { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { silentLogger } from '../../src/log/logger';
import { FakePoster, LATENCY, memoryAlertStore, REVENUE, sampleGraph, schemaChange } from './fixtures';

describe('deliverAlert', () => {
  let graph: SqliteGraphStore;
  let store: SqliteAlertStore;
  let advance: (ms: number) => void;
  let clock: number;
  let slack: FakePoster;
  let deps: DeliverDeps;
  let deliveries: AlertDelivery[];

  beforeEach(async () => {
    graph = await sampleGraph();
    ({ store, advance } = await memoryAlertStore());
    clock = Date.now();
    const moveClock = advance;
    advance = (ms) => {
      clock += ms;
      moveClock(ms);
    };
    slack = new FakePoster();
    deps = { store, graph, slack, limiter: new MemoryChannelRateLimiter(1000, () => clock), logger: silentLogger(), leaseMs: 5000, now: () => clock };
    await store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: '2026-11-24T00:00:00Z' });
    await store.subscribe({ channel: 'C2', pattern: 'tag:latency', mode: 'live', createdAt: '2026-11-24T00:00:00Z' });
    const plan = await planAlerts(
      { source: 'hive:gold', crawlId: 'crawl-1', finishedAt: new Date(clock).toISOString(), changes: [schemaChange(LATENCY, 'column_removed', { column: 'avg_rtt_ms', oldValue: 'double' }), schemaChange(REVENUE, 'column_added', { column: 'x', newValue: 'int' })] },
      { store, graph, ownerDms: false },
    );
    await commitPlan(plan, { store, sink: { enqueue: async () => undefined } });
    deliveries = plan.deliveries;
  });
  afterEach(async () => {
    await store.close();
    await graph.close();
  });

  const c1 = (): AlertDelivery => deliveries.find((d) => d.target.kind === 'channel' && d.target.channel === 'C1')!;

  it('posts one message with the delivery key in its metadata, then never again', async () => {
    const first = await deliverAlert(c1(), deps);
    expect(first.status).toBe('sent');
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!.deliveryKey).toBe(c1().key);
    expect(slack.posts[0]!.text).toContain('session_latency_hourly');
    advance(5000);
    const again = await deliverAlert(c1(), deps);
    expect(again.status).toBe('already_sent');
    expect(slack.posts).toHaveLength(1);
  });

  it('defers a second message to the same channel within a second', async () => {
    const other: AlertDelivery = { ...c1(), key: `${c1().key}-other` };
    expect((await deliverAlert(c1(), deps)).status).toBe('sent');
    const second = await deliverAlert(other, deps);
    expect(second).toEqual({ status: 'deferred', delayMs: 1000, reason: 'channel_rate' });
    advance(1000);
    expect((await deliverAlert(other, deps)).status).toBe('sent');
  });

  it('obeys Slack’s Retry-After and forgets the attempt', async () => {
    slack.failures.push(new SlackRateLimitedError(3000));
    expect(await deliverAlert(c1(), deps)).toEqual({ status: 'deferred', delayMs: 3000, reason: 'slack_429' });
    expect(await store.getDelivery(c1().key)).toBeUndefined();
    advance(1500);
    expect((await deliverAlert(c1(), deps)).status).toBe('deferred');
    advance(1500);
    expect((await deliverAlert(c1(), deps)).status).toBe('sent');
    expect(slack.posts).toHaveLength(1);
  });

  it('fails for good on a permanent Slack error, leaving nothing claimed', async () => {
    slack.failures.push(new SlackDeliveryError('channel_not_found', true, false));
    await expect(deliverAlert(c1(), deps)).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(await store.getDelivery(c1().key)).toBeUndefined();
  });

  it('after an ambiguous failure, finds the message in the history instead of posting twice', async () => {
    const err = Object.assign(new SlackDeliveryError('internal_error', false, true), { afterSend: true });
    slack.failures.push(err);
    await expect(deliverAlert(c1(), deps)).rejects.toBeInstanceOf(TransientDeliveryError);
    expect((await store.getDelivery(c1().key))!.state).toBe('uncertain');
    advance(1000);
    const retry = await deliverAlert(c1(), deps);
    expect(retry).toMatchObject({ status: 'already_sent', reconciled: true });
    expect(slack.posts).toHaveLength(1);
  });

  it('after an ambiguous failure that did not post, posts', async () => {
    slack.failures.push(new SlackDeliveryError('request_timeout_maybe', false, true));
    await expect(deliverAlert(c1(), deps)).rejects.toBeInstanceOf(TransientDeliveryError);
    advance(1000);
    expect((await deliverAlert(c1(), deps)).status).toBe('sent');
    expect(slack.posts).toHaveLength(1);
  });

  it('survives a crash between posting and recording: the next attempt reconciles after the lease', async () => {
    const complete = store.completeDelivery.bind(store);
    let crash = true;
    store.completeDelivery = async (...args) => {
      if (crash) {
        crash = false;
        throw new Error('process died');
      }
      return complete(...args);
    };
    await expect(deliverAlert(c1(), deps)).rejects.toBeInstanceOf(TransientDeliveryError);
    expect(slack.posts).toHaveLength(1);
    advance(1000);
    // the dead attempt's lease is still live: wait
    expect(await deliverAlert(c1(), deps)).toMatchObject({ status: 'deferred', reason: 'in_flight' });
    advance(5000);
    expect(await deliverAlert(c1(), deps)).toMatchObject({ status: 'already_sent', reconciled: true });
    expect(slack.posts).toHaveLength(1);
    expect((await store.getDelivery(c1().key))!.state).toBe('sent');
  });

  it('when the history cannot be read, resends by default and skips when told to', async () => {
    slack.historyReadable = false;
    const err = Object.assign(new SlackDeliveryError('internal_error', false, true), { afterSend: true });
    slack.failures.push(err);
    await expect(deliverAlert(c1(), deps)).rejects.toBeInstanceOf(TransientDeliveryError);
    advance(1000);
    expect((await deliverAlert(c1(), { ...deps, uncertainPolicy: 'skip' })).status).toBe('already_sent');
    expect(slack.posts).toHaveLength(1);

    const c2 = deliveries.find((d) => d.target.kind === 'channel' && d.target.channel === 'C2')!;
    slack.failures.push(Object.assign(new SlackDeliveryError('internal_error', false, true), { afterSend: true }));
    await expect(deliverAlert(c2, deps)).rejects.toBeInstanceOf(TransientDeliveryError);
    advance(1000);
    expect((await deliverAlert(c2, deps)).status).toBe('sent');
    expect(slack.posts.filter((p) => p.channel === 'C2')).toHaveLength(2);
  });

  it('skips a delivery whose change set is gone', async () => {
    expect(await deliverAlert({ ...c1(), changeSetId: 'missing', key: 'k2' }, deps)).toEqual({ status: 'skipped', reason: 'change_set_missing' });
  });
});
