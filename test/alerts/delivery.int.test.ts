import type { OutgoingMessage } from '../../src/ports/slack-poster';
import type { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import type { SchemaChange } from '../../src/domain/model';
import { accepted, alertHarness, deliveryKeyOf, FakeHistoryPoster, type AlertHarness } from './harness';
import { LATENCY, sampleGraph, schemaChange } from './fixtures';
import { waitFor } from './support';

/** Delivery through the real BullMQ workers on Redis to the fake Slack: rate limits, 429s, a crash mid-delivery. */
describe('alert delivery (BullMQ on Redis → fake Slack)', () => {
  let graph: SqliteGraphStore;
  let h: AlertHarness | undefined;

  beforeEach(async () => {
    graph = await sampleGraph();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await graph.close();
  });

  async function crawlOf(crawlId: string): Promise<{ source: string; crawlId: string; changeIds: string[]; observedAt: string }> {
    const changes: SchemaChange[] = [schemaChange(LATENCY, 'column_added', { crawlId, column: `col_${crawlId}`, newValue: 'int' })];
    await graph.recordSchemaChanges(changes);
    return { source: 'hive:gold', crawlId, changeIds: changes.map((c) => c.id), observedAt: new Date().toISOString() };
  }

  it('sends at most one message a second to a channel, without a single 429', async () => {
    h = await alertHarness(graph);
    await h.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: new Date().toISOString() });
    for (const id of ['a', 'b', 'c']) await h.alertCrawl(await crawlOf(id));
    await waitFor(() => accepted(h!.fake, 'C1').length === 3, 15_000, 'three messages');
    const times = accepted(h.fake, 'C1').map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(h.fake.calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it('obeys Retry-After when Slack says 429, and loses nothing', async () => {
    // Slack stricter than our own spacing (one message per 2 s): our 1.1 s spacing gets 429s, with Retry-After 3 s.
    h = await alertHarness(graph, { slack: { postMessageRate: { perSecond: 0.5, burst: 1 }, retryAfterSeconds: 3 } });
    await h.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: new Date().toISOString() });
    for (const id of ['a', 'b', 'c']) await h.alertCrawl(await crawlOf(id));
    await waitFor(() => accepted(h!.fake, 'C1').length === 3, 30_000, 'three messages');
    const calls = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C1');
    const limited = calls.filter((c) => c.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const l of limited) {
      const next = calls.find((c) => c.at > l.at);
      if (next) expect(next.at - l.at).toBeGreaterThanOrEqual(3000 - 50);
    }
    expect(new Set(accepted(h.fake, 'C1').map(deliveryKeyOf)).size).toBe(3);
  });

  it('delivers exactly once when the worker dies between posting and recording it', async () => {
    let hang!: () => void;
    const posted = new Promise<void>((resolve) => (hang = resolve));
    h = await alertHarness(graph, { workers: { leaseMs: 1000, timing: { lockDurationMs: 1000, stalledIntervalMs: 500 } } });
    const fake = h.fake;
    class DyingPoster extends FakeHistoryPoster {
      override async postMessage(m: OutgoingMessage): Promise<{ channel: string; ts: string }> {
        await super.postMessage(m);
        hang();
        return new Promise(() => undefined);
      }
    }
    // replace the default workers with ones whose process "dies" right after Slack accepts the message
    await h.workers.planWorker.close();
    await h.workers.deliveryWorker.close();
    const dying = await h.start({ slack: new DyingPoster(fake, fake.options.botToken), leaseMs: 1000, timing: { lockDurationMs: 1000, stalledIntervalMs: 500 } });
    h.workers = dying;
    await h.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: new Date().toISOString() });
    await h.alertCrawl(await crawlOf('crash'));
    await posted;
    expect(accepted(fake, 'C1')).toHaveLength(1);
    await dying.deliveryWorker.close(true);
    await dying.planWorker.close(true);

    // a new worker takes the stalled job over, finds the message in the channel and records it
    await h.start({ leaseMs: 1000, timing: { lockDurationMs: 1000, stalledIntervalMs: 500 } });
    const [job] = await dying.deliveryQueue.getJobs(['active', 'waiting', 'delayed', 'completed']);
    const key = (job!.data as { kind: 'deliver'; delivery: { key: string } }).delivery.key;
    await waitFor(async () => (await h!.store.getDelivery(key))?.state === 'sent', 20_000, 'the delivery to be recorded');
    await waitFor(async () => (await dying.deliveryQueue.getJobCounts('completed')).completed === 1, 10_000, 'the job to complete');
    expect(accepted(fake, 'C1')).toHaveLength(1);
  });
});
