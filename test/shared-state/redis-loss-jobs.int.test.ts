/**
 * A worker replica that loses Redis stops taking jobs: its BullMQ worker is paused while Redis does not answer,
 * `/readyz`'s `jobs` check says why, and it takes jobs again only once Redis has answered for a while. Nothing is
 * taken during the outage and nothing is lost: the crawl in progress when Redis went away completes, and the
 * crawls queued the moment Redis came back run once each, after the worker resumed.
 */
import { Queue } from 'bullmq';
import type { SourceConfig } from '../../ingest/source';
import { silentLogger } from '../../src/log/logger';
import { startWorkerApp, type WorkerApp } from '../../src/main/worker-app';
import { CRAWL_JOB, CRAWL_QUEUE, type CrawlJobData } from '../../workers/queues';
import { startRedisGuard, type PausableWorker, type RedisGuard } from '../../src/adapters/redis/redis-guard';
import { eventually, report, source } from '../workers/support/fakes';
import { PrivateRedis, uniqueName } from '../workers/support/redis';

describe('a worker replica that loses Redis', () => {
  const prefix = uniqueName('redis-loss');
  const sources: SourceConfig[] = ['slow', 'b', 'c'].map((id) => source(id));
  let redis: PrivateRedis;
  let app: WorkerApp | undefined;
  let guard: RedisGuard | undefined;
  let producer: Queue<CrawlJobData> | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    await guard?.close();
    await app?.stop().catch(() => undefined);
    await producer?.close().catch(() => undefined);
    await redis?.stop();
  });

  it('pauses its workers while Redis is gone, takes nothing meanwhile, loses nothing, and resumes', async () => {
    const started: Array<{ source: string; at: number }> = [];
    let release!: () => void;
    const slowGate = new Promise<void>((resolve) => (release = resolve));
    app = await startWorkerApp({
      logger: silentLogger(),
      redisUrl: redis.url,
      loadSources: async () => sources,
      crawl: async (src) => {
        started.push({ source: src.id, at: Date.now() });
        if (src.id === 'slow' && started.filter((s) => s.source === 'slow').length === 1) await slowGate;
        return report(src, { wrote: false, added: [], changed: [] });
      },
      concurrency: 2,
      takingJobs: () => guard?.state().kind !== 'paused',
      queue: { prefix },
      timing: { lockDurationMs: 20_000, stalledIntervalMs: 2_000, sourceLockTtlMs: 20_000, busyRetryMs: 500 },
    });
    const worker = app.worker!;
    let resumedAt: number | undefined;
    let pausedAt: number | undefined;
    const watched: PausableWorker = {
      name: worker.name,
      isPaused: () => worker.isPaused(),
      pause: async (doNotWaitActive) => {
        pausedAt = Date.now();
        await worker.pause(doNotWaitActive);
      },
      resume: () => {
        resumedAt = Date.now();
        worker.resume();
      },
    };
    guard = startRedisGuard({ redisUrl: redis.url, workers: [watched], logger: silentLogger(), intervalMs: 200, timeoutMs: 500, successesToResume: 5 });
    await guard.check();

    // a crawl in progress when Redis goes away
    await app.requestCrawl({ sourceId: 'slow' });
    await eventually(() => started.length === 1, 10_000, 'the slow crawl to start');
    await redis.stopServer();
    await eventually(() => guard!.state().kind === 'paused', 10_000, 'the worker to pause');
    expect(worker.isPaused()).toBe(true);
    await expect(guard.check()).rejects.toThrow(/not taking jobs since .*Redis does not answer/);
    // the crawl finishes while Redis is down; its result waits for Redis
    release();

    await redis.startServer();
    // another process queues crawls the moment Redis is back; this replica has not resumed yet
    producer = new Queue<CrawlJobData>(CRAWL_QUEUE, { connection: { url: redis.url }, prefix });
    const queuedAt = Date.now();
    await producer.add(CRAWL_JOB, { sourceId: 'b', trigger: 'manual' }, { jobId: 'after-outage-b' });
    await producer.add(CRAWL_JOB, { sourceId: 'c', trigger: 'manual' }, { jobId: 'after-outage-c' });
    await eventually(() => guard!.state().kind === 'taking', 20_000, 'the worker to resume');
    await guard.check();
    expect(resumedAt).toBeGreaterThan(queuedAt);

    await eventually(async () => (await producer!.getJobCounts('completed')).completed === 3, 30_000, 'every job completed');
    const counts = await producer.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    expect(counts).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 3 });
    // nothing was taken while paused: every crawl but the first started after the worker resumed
    const later = started.slice(1);
    expect(later.map((s) => s.source).sort()).toEqual(['b', 'c']);
    for (const s of later) expect(s.at).toBeGreaterThanOrEqual(resumedAt!);
    expect(pausedAt).toBeDefined();
  }, 90_000);
});
