/**
 * The alert workers of a replica that takes no jobs (Redis lost) behave as its crawl worker does: a plan or
 * delivery job that still reaches them goes back to its queue untried, and runs once the replica takes jobs again.
 * On a redis-server of the test's own (it is stopped and started), with the real embedded graph and alert stores,
 * the real BullMQ alert workers and the fake Slack API.
 */
import pino from 'pino';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { startRedisGuard, type PausableWorker, type RedisGuard } from '../../src/adapters/redis/redis-guard';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import { createAlertQueue, enqueueAlert, type AlertQueue } from '../../src/alerts/jobs/queues';
import { startAlertWorkers, type AlertWorkers } from '../../src/alerts/jobs/worker';
import { handleSubscriptionCommand } from '../../src/alerts/subscriptions';
import type { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { silentLogger } from '../../src/log/logger';
import { FakeSlack } from '../../tools/fake-slack/server';
import { LATENCY, memoryAlertStore, sampleGraph, schemaChange } from '../alerts/fixtures';
import { eventually, sleep } from '../workers/support/fakes';
import { PrivateRedis, uniqueName } from '../workers/support/redis';

describe('alert workers of a replica that takes no jobs', () => {
  let redis: PrivateRedis;
  let fake: FakeSlack;
  let graph: SqliteGraphStore;
  let store: SqliteAlertStore;
  let workers: AlertWorkers | undefined;
  let producer: AlertQueue | undefined;
  let guard: RedisGuard | undefined;
  let taking = true;
  const logLines: string[] = [];

  const posts = () => fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
  const returned = () => logLines.filter((l) => l.includes('alert job returned to the queue'));

  /** Records one schema change of the sample latency table and queues its alert job. */
  const queueAlert = async (crawlId: string): Promise<void> => {
    const change = schemaChange(LATENCY, 'column_added', { column: `col_${crawlId.replace(/-/g, '_')}`, crawlId, id: `chg-${crawlId}` });
    await graph.recordSchemaChanges([change]);
    await enqueueAlert(producer!, { kind: 'schema_changes', source: change.source, crawlId, changeIds: [change.id], observedAt: new Date().toISOString() });
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fake = await FakeSlack.start();
    graph = await sampleGraph();
    ({ store } = await memoryAlertStore());
    await handleSubscriptionCommand('subscribe game_log.*', 'C_GAMES', 'U0ADMIN001', { store, graph });
    const prefix = uniqueName('redis-loss-alerts');
    workers = await startAlertWorkers({
      connection: { url: redis.url },
      store,
      graph,
      slack: new WebClientPoster({ token: fake.options.botToken, apiUrl: fake.apiUrl, timeoutMs: 5000 }),
      logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
      timeZone: 'UTC',
      digestCron: false,
      limiter: new MemoryChannelRateLimiter(10),
      queue: { prefix },
      timing: { lockDurationMs: 20_000, stalledIntervalMs: 2_000 },
      takingJobs: () => taking && guard?.state().kind !== 'paused',
    });
    producer = createAlertQueue({ connection: { url: redis.url }, prefix });
  });

  afterAll(async () => {
    await guard?.close();
    await workers?.close().catch(() => undefined);
    await producer?.close().catch(() => undefined);
    await fake?.close();
    await graph?.close();
    await store?.close();
    await redis?.stop();
  });

  it('puts back a job that arrives while not taking jobs, untried, and runs it once taking again', async () => {
    taking = false;
    await queueAlert('crawl-held');
    await eventually(() => returned().length >= 1, 10_000, 'the plan job to be returned');
    // what the Redis guard does next: pause the workers, so the job stays waiting
    await workers!.planWorker.pause(true);
    await sleep(300);
    expect(posts()).toHaveLength(0);
    const held = (await producer!.getJobs(['waiting']))[0];
    expect(held?.attemptsMade).toBe(0);

    taking = true;
    workers!.planWorker.resume();
    await eventually(() => posts().length === 1, 15_000, 'the alert to be posted');
    await sleep(500);
    expect(posts().map((c) => c.args.channel)).toEqual(['C_GAMES']);
    expect(await producer!.getJobCounts('failed')).toEqual({ failed: 0 });
  }, 40_000);

  it('while Redis is gone, pauses, takes nothing queued the moment Redis is back, and delivers it once after resuming', async () => {
    const before = posts().length;
    let resumedAt: number | undefined;
    const pausable = (w: AlertWorkers['planWorker'] | AlertWorkers['deliveryWorker']): PausableWorker => ({
      name: w.name,
      isPaused: () => w.isPaused(),
      pause: (doNotWaitActive) => w.pause(doNotWaitActive),
      resume: () => {
        resumedAt ??= Date.now();
        w.resume();
      },
    });
    guard = startRedisGuard({ redisUrl: redis.url, workers: [pausable(workers!.planWorker), pausable(workers!.deliveryWorker)], logger: silentLogger(), intervalMs: 200, timeoutMs: 500, successesToResume: 5 });
    await guard.check();

    await redis.stopServer();
    await eventually(() => guard!.state().kind === 'paused', 10_000, 'the workers to pause');
    await redis.startServer();
    const queuedAt = Date.now();
    await queueAlert('crawl-after-outage');
    await eventually(() => guard!.state().kind === 'taking', 20_000, 'the workers to resume');
    expect(resumedAt).toBeGreaterThan(queuedAt);

    await eventually(() => posts().length === before + 1, 20_000, 'the alert queued after the outage to be posted');
    const posted = posts()[before]!;
    expect(posted.at).toBeGreaterThanOrEqual(resumedAt!);
    await sleep(500);
    expect(posts()).toHaveLength(before + 1);
    const counts = await producer!.getJobCounts('waiting', 'active', 'delayed', 'failed');
    expect(counts).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  }, 60_000);
});
