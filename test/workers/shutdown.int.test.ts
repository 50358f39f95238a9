import { Queue } from 'bullmq';
import { CRAWL_QUEUE, enqueueCrawl, type CrawlJobData, type CrawlQueue } from '../../workers/queues';
import { eventually } from './support/fakes';
import { WorkerProcess } from './support/process';
import { deletePrefix, sharedRedisUrl, uniqueName } from './support/redis';

const url = sharedRedisUrl();
const SOURCES = JSON.stringify([{ id: 'warehouse', type: 'postgres', urlEnv: 'X' }]);

describe('worker shutdown on SIGTERM/SIGINT', () => {
  let prefix = '';
  let queue: CrawlQueue | undefined;
  const procs: WorkerProcess[] = [];
  beforeEach(() => {
    prefix = uniqueName('stop');
    queue = new Queue<CrawlJobData, never, string>(CRAWL_QUEUE, { connection: { url }, prefix }) as unknown as CrawlQueue;
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.kill()));
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await deletePrefix(url, prefix);
  });

  const start = async (env: Record<string, string>): Promise<WorkerProcess> => {
    const p = await WorkerProcess.start({ REDIS_URL: url, QUEUE_PREFIX: prefix, SOURCES, ...env });
    procs.push(p);
    return p;
  };

  it('lets the crawl in progress finish, then exits 0', async () => {
    const worker = await start({ CRAWL_MS: '1500' });
    const { jobId } = await enqueueCrawl(queue!, { sourceId: 'warehouse' });
    await worker.waitFor((e) => e.event === 'crawl-start', 10_000, 'the crawl to start');
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    const ends = worker.events.filter((e) => e.event === 'crawl-end');
    expect(ends).toHaveLength(1);
    expect(worker.events.find((e) => e.event === 'exit')).toMatchObject({ code: 0 });
    expect(await queue!.getJobState(jobId)).toBe('completed');
  });

  it('SIGINT does the same', async () => {
    const worker = await start({ CRAWL_MS: '800' });
    const { jobId } = await enqueueCrawl(queue!, { sourceId: 'warehouse' });
    await worker.waitFor((e) => e.event === 'crawl-start');
    worker.signal('SIGINT');
    expect((await worker.exited).code).toBe(0);
    expect(await queue!.getJobState(jobId)).toBe('completed');
  });

  it('returns a crawl still running after the grace period to the queue, untried, and another worker finishes it', async () => {
    const worker = await start({ CRAWL_MS: '20000', GRACE_MS: '300' });
    const { jobId } = await enqueueCrawl(queue!, { sourceId: 'warehouse' });
    await worker.waitFor((e) => e.event === 'crawl-start');
    const signalled = Date.now();
    worker.signal('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(worker.events.some((e) => e.event === 'crawl-aborted')).toBe(true);
    expect(await queue!.getJobState(jobId)).toBe('waiting');
    const job = await queue!.getJob(jobId);
    expect(job!.attemptsMade).toBe(0);

    const next = await start({ CRAWL_MS: '200' });
    await eventually(async () => (await queue!.getJobState(jobId)) === 'completed', 15_000, 'the returned job to complete');
    expect(next.events.filter((e) => e.event === 'crawl-end' && e.crawlId === jobId)).toHaveLength(1);
  });

  it('exits 0 when idle', async () => {
    const worker = await start({});
    worker.signal('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('without Redis, runs in-process and still waits for the crawl in progress', async () => {
    const worker = await WorkerProcess.start({ SOURCES: JSON.stringify([{ id: 'warehouse', type: 'postgres', urlEnv: 'X', schedule: 60_000 }]), CRAWL_MS: '1000' });
    procs.push(worker);
    expect(worker.events[0]).toMatchObject({ event: 'ready', mode: 'in-process' });
    await worker.waitFor((e) => e.event === 'crawl-start', 10_000, 'the scheduled crawl to start');
    worker.signal('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect(worker.events.filter((e) => e.event === 'crawl-end')).toHaveLength(1);
  });
});
