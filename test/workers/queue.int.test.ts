import { Queue, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import type { SourceConfig } from '../../ingest/source';
import { silentLogger } from '../../src/log/logger';
import { closeCrawlWorker, createCrawlWorker, type CrawlWorker } from '../../workers/bullmq-runner';
import { createCrawlProcessor, type CrawlFailure } from '../../workers/processors/crawl';
import { CRAWL_JOB, createCrawlQueue, crawlSchedulerId, enqueueCrawl, type CrawlJobData, type CrawlJobProgress, type CrawlQueue } from '../../workers/queues';
import { syncCrawlSchedulers } from '../../workers/schedules';
import { RedisSourceLocks } from '../../src/adapters/redis/redis-source-locks';
import { deletePrefix, sharedRedisUrl, uniqueName } from './support/redis';
import { eventually, FakeCrawl, sleep, source } from './support/fakes';

const url = sharedRedisUrl();
const logger = silentLogger();

/** A crawl queue and its workers under a prefix of this test's own, removed afterwards. */
class Harness {
  readonly prefix = uniqueName('crawl');
  readonly connection = { url };
  readonly queue: CrawlQueue;
  readonly redis = new Redis(url, { maxRetriesPerRequest: null });
  readonly failures: CrawlFailure[] = [];
  readonly workers: CrawlWorker[] = [];
  sources: SourceConfig[];

  constructor(
    readonly fake: FakeCrawl,
    sources: SourceConfig[] = [source('warehouse')],
    readonly retry = { attempts: 3, backoffMs: 200 },
  ) {
    this.sources = sources;
    this.queue = createCrawlQueue({ connection: this.connection, prefix: this.prefix }, retry);
  }

  async startWorker(concurrency = 2): Promise<CrawlWorker> {
    const processor = createCrawlProcessor({
      crawl: this.fake.crawl,
      getSource: (id) => this.sources.find((s) => s.id === id),
      locks: new RedisSourceLocks(this.redis, { prefix: this.prefix, ttlMs: 3000 }),
      recordFailure: async (f) => void this.failures.push(f),
      logger,
      progressIntervalMs: 0,
    });
    const worker = createCrawlWorker({ location: { connection: this.connection, prefix: this.prefix }, processor, logger, concurrency, busyRetryMs: 300 });
    this.workers.push(worker);
    void worker.run();
    await worker.waitUntilReady();
    return worker;
  }

  async finished(jobId: string, timeoutMs = 15_000): Promise<Job<CrawlJobData>> {
    return eventually(
      async () => {
        const state = await this.queue.getJobState(jobId);
        return state === 'completed' || state === 'failed' ? await this.queue.getJob(jobId) : undefined;
      },
      timeoutMs,
      `job ${jobId} to finish`,
    );
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close(true)));
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    this.redis.disconnect();
    await deletePrefix(url, this.prefix);
  }
}

describe('crawl queue on Redis', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('runs a crawl job, reports its progress on the job, and returns the counts', async () => {
    h = new Harness(new FakeCrawl(() => sleep(100)));
    const progress: CrawlJobProgress[] = [];
    const worker = await h.startWorker();
    worker.on('progress', (_job, p) => void progress.push(p as CrawlJobProgress));
    const { jobId } = await enqueueCrawl(h.queue, { sourceId: 'warehouse', requestedBy: 'test' });
    const job = await h.finished(jobId);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ status: 'crawled', source: 'warehouse', crawlId: jobId, tables: 3 });
    expect(job.progress).toEqual({ phase: 'publish', done: 3, total: 3 });
    expect(progress[0]).toEqual({ phase: 'extract', done: 0, total: 3 });
    expect(h.fake.calls[0]!.options.crawlId).toBe(jobId);
  });

  it('retries a transient failure with exponential backoff, then succeeds', async () => {
    h = new Harness(
      new FakeCrawl((n) => {
        if (n <= 2) throw new TransientSourceError('warehouse', 'unreachable', 'connect ECONNREFUSED 127.0.0.1:5432');
      }),
    );
    await h.startWorker();
    const { jobId } = await enqueueCrawl(h.queue, { sourceId: 'warehouse' });
    const job = await h.finished(jobId);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3); // three tries, the last one good
    const [a, b, c] = h.fake.calls.map((x) => x.at);
    expect(b! - a!).toBeGreaterThanOrEqual(190); // 200 ms
    expect(c! - b!).toBeGreaterThanOrEqual(390); // 400 ms
    expect(h.failures.map((f) => [f.attempt, f.kind, f.willRetry])).toEqual([
      [1, 'transient', true],
      [2, 'transient', true],
    ]);
  });

  it('fails bad credentials at once, without retries, and records why (no password)', async () => {
    h = new Harness(
      new FakeCrawl(() => {
        throw new PermanentSourceError('warehouse', 'bad_credentials', 'source warehouse (postgres://crawler:hunter2@db/wh): authentication failed');
      }),
    );
    await h.startWorker();
    const { jobId } = await enqueueCrawl(h.queue, { sourceId: 'warehouse' });
    const job = await h.finished(jobId);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('authentication failed');
    expect(job.failedReason).not.toContain('hunter2');
    await sleep(500);
    expect(h.fake.calls).toHaveLength(1);
    expect(h.failures).toEqual([expect.objectContaining({ source: 'warehouse', kind: 'permanent', willRetry: false, attempt: 1 })]);
  });

  it('gives up after the last try of a transient failure', async () => {
    h = new Harness(
      new FakeCrawl(() => {
        throw new TransientSourceError('warehouse', 'unreachable', 'connection refused');
      }),
      [source('warehouse')],
      { attempts: 2, backoffMs: 50 },
    );
    await h.startWorker();
    const { jobId } = await enqueueCrawl(h.queue, { sourceId: 'warehouse' });
    const job = await h.finished(jobId);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(2);
    expect(h.failures.at(-1)).toMatchObject({ attempt: 2, willRetry: false });
  });

  it('keeps one pending manual crawl per source (deduplication on the source id)', async () => {
    h = new Harness(new FakeCrawl());
    const a = await enqueueCrawl(h.queue, { sourceId: 'warehouse' });
    const b = await enqueueCrawl(h.queue, { sourceId: 'warehouse' });
    const c = await enqueueCrawl(h.queue, { sourceId: 'other' });
    expect(b.jobId).toBe(a.jobId);
    expect(c.jobId).not.toBe(a.jobId);
    expect(await h.queue.getWaitingCount()).toBe(2);
    // once the first is done, a new request queues a new crawl
    h.sources.push(source('other'));
    await h.startWorker();
    await h.finished(a.jobId);
    const d = await enqueueCrawl(h.queue, { sourceId: 'warehouse' });
    expect(d.jobId).not.toBe(a.jobId);
  });

  it('never runs one source twice at once, across workers, scheduled or manual', async () => {
    const fake: FakeCrawl = new FakeCrawl(() => sleep(400));
    h = new Harness(fake, [source('warehouse'), source('hive')]);
    await h.startWorker(3);
    await h.startWorker(3);
    const ids: string[] = [];
    // scheduled ticks and manual requests of the same source, all at once
    for (let i = 0; i < 3; i++) {
      const job = await h.queue.add(CRAWL_JOB, { sourceId: 'warehouse', trigger: 'schedule' }, { jobId: `tick-${i}` });
      ids.push(job.id!);
    }
    ids.push((await enqueueCrawl(h.queue, { sourceId: 'warehouse' })).jobId);
    ids.push((await enqueueCrawl(h.queue, { sourceId: 'hive' })).jobId);
    const jobs = await Promise.all(ids.map((id) => h!.finished(id, 20_000)));
    expect(fake.maxConcurrent.get('warehouse')).toBe(1);
    const results = jobs.map((j) => j.returnvalue as { status: string });
    // the manual crawl always runs (after waiting); of the ticks, those that met a running crawl were skipped
    expect(results[3]!.status).toBe('crawled');
    expect(results[4]!.status).toBe('crawled');
    expect(results.slice(0, 3).filter((r) => r.status === 'skipped').length).toBeGreaterThanOrEqual(1);
    expect(fake.calls.filter((c) => c.source === 'warehouse').length).toBe(results.slice(0, 4).filter((r) => r.status === 'crawled').length);
  });
});

describe('crawl schedules from the sources file', () => {
  let queue: CrawlQueue | undefined;
  let prefix = '';
  afterEach(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await deletePrefix(url, prefix);
    queue = undefined;
  });

  it('upserts one job scheduler per scheduled source, updates changed ones, removes those of removed sources', async () => {
    prefix = uniqueName('sched');
    queue = createCrawlQueue({ connection: { url }, prefix });
    const other = new Queue(queue.name, { connection: { url }, prefix });
    await other.upsertJobScheduler('not-a-crawl', { every: 3_600_000 }, { name: 'other' });
    await other.close();

    const sources = [
      source('hourly', { schedule: '0 * * * *' }),
      source('interval', { schedule: 3_600_000 }),
      source('on-request'),
      source('broken', { schedule: 'every tuesday' }),
    ];
    const first = await syncCrawlSchedulers(queue, sources, { tz: 'Asia/Seoul' });
    expect(first.upserted.sort()).toEqual(['hourly', 'interval']);
    expect(first.invalid).toEqual([{ source: 'broken', error: expect.stringContaining('broken') }]);
    const hourly = await queue.getJobScheduler(crawlSchedulerId('hourly'));
    expect(hourly).toMatchObject({ pattern: '0 * * * *', tz: 'Asia/Seoul', template: { data: { sourceId: 'hourly', trigger: 'schedule' } } });
    expect(await queue.getJobScheduler(crawlSchedulerId('interval'))).toMatchObject({ every: 3_600_000 });

    // the same file again changes nothing and queues no extra job
    const jobsBefore = await queue.getJobCountByTypes('waiting', 'delayed');
    const again = await syncCrawlSchedulers(queue, sources, { tz: 'Asia/Seoul' });
    expect(again.upserted).toEqual([]);
    expect(again.unchanged.sort()).toEqual(['hourly', 'interval']);
    expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(jobsBefore);

    // a changed schedule is updated; a removed source loses its scheduler; other schedulers stay
    const edited = [source('hourly', { schedule: '30 2 * * *' })];
    const third = await syncCrawlSchedulers(queue, edited, { tz: 'Asia/Seoul' });
    expect(third).toMatchObject({ upserted: ['hourly'], removed: ['interval'] });
    expect(await queue.getJobScheduler(crawlSchedulerId('hourly'))).toMatchObject({ pattern: '30 2 * * *' });
    expect(await queue.getJobScheduler(crawlSchedulerId('interval'))).toBeUndefined();
    expect(await queue.getJobScheduler('not-a-crawl')).toBeDefined();
    const delayed = await queue.getDelayed();
    expect(delayed.filter((j) => j.data.sourceId === 'interval')).toEqual([]);
  });

  it('a scheduled source is crawled by the worker on its schedule', async () => {
    prefix = uniqueName('sched-run');
    queue = createCrawlQueue({ connection: { url }, prefix });
    const fake = new FakeCrawl();
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    const processor = createCrawlProcessor({ crawl: fake.crawl, getSource: (id) => source(id), locks: new RedisSourceLocks(redis, { prefix }), logger });
    const worker = createCrawlWorker({ location: { connection: { url }, prefix }, processor, logger });
    try {
      void worker.run();
      await syncCrawlSchedulers(queue, [source('every-second', { schedule: '* * * * * *' })]);
      await eventually(() => fake.calls.length >= 2, 5000, 'two scheduled crawls');
      expect(fake.calls[0]!.options.crawlId).toMatch(/^repeat:crawl\.every-second:\d+$/);
      await syncCrawlSchedulers(queue, []);
      await sleep(300);
      const n = fake.calls.length;
      await sleep(1500);
      expect(fake.calls.length).toBeLessThanOrEqual(n + 1);
    } finally {
      await closeCrawlWorker(worker, { graceMs: 5000, logger });
      redis.disconnect();
    }
  });
});

describe('source locks in Redis', () => {
  const prefix = uniqueName('locks');
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  afterAll(async () => {
    await deletePrefix(url, prefix);
    redis.disconnect();
  });

  it('gives a source to one holder at a time and renews the lease while it is held', async () => {
    const locks = new RedisSourceLocks(redis, { prefix, ttlMs: 300 });
    const a = await locks.acquire('w', 'job-a');
    expect('lease' in a).toBe(true);
    await sleep(700); // longer than the ttl: renewed
    expect(await locks.acquire('w', 'job-b')).toEqual({ heldBy: 'job-a' });
    expect(await locks.acquire('w', 'job-a')).toEqual({ heldBy: 'job-a' });
    if ('lease' in a) {
      expect(a.lease.lost.aborted).toBe(false);
      await a.lease.release();
    }
    const b = await locks.acquire('w', 'job-b');
    expect('lease' in b).toBe(true);
    if ('lease' in b) await b.lease.release();
  });

  it('aborts the lease when someone else took the source', async () => {
    const locks = new RedisSourceLocks(redis, { prefix, ttlMs: 300 });
    const a = await locks.acquire('stolen', 'job-a');
    if (!('lease' in a)) throw new Error('not acquired');
    await redis.set(locks.key('stolen'), 'job-z|x', 'PX', 5000);
    await eventually(() => a.lease.lost.aborted, 2000, 'the lease to be lost');
    await a.lease.release();
    expect(await redis.get(locks.key('stolen'))).toBe('job-z|x');
  });
});

test('UnrecoverableError is what BullMQ reads as "no retries"', () => {
  expect(new UnrecoverableError('x').name).toBe('UnrecoverableError');
});
