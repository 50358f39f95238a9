import { Queue } from 'bullmq';
import { CRAWL_QUEUE, enqueueCrawl, type CrawlJobData } from '../../workers/queues';
import { eventually } from './support/fakes';
import { WorkerProcess, type WorkerEvent } from './support/process';
import { PrivateRedis } from './support/redis';

/** Crawl intervals per source from the start/end/abort events of every worker process. */
function intervals(procs: WorkerProcess[]): Map<string, Array<{ crawlId: string; from: number; to: number; pid: number }>> {
  const bySource = new Map<string, Array<{ crawlId: string; from: number; to: number; pid: number }>>();
  for (const p of procs) {
    const open = new Map<string, WorkerEvent>();
    for (const e of p.events) {
      const key = `${String(e.source)}|${String(e.crawlId)}`;
      if (e.event === 'crawl-start') open.set(key, e);
      if (e.event === 'crawl-end' || e.event === 'crawl-aborted') {
        const s = open.get(key);
        if (!s) continue;
        open.delete(key);
        const list = bySource.get(String(e.source)) ?? [];
        list.push({ crawlId: String(e.crawlId), from: s.t, to: e.t, pid: p.pid });
        bySource.set(String(e.source), list);
      }
    }
    for (const s of open.values()) {
      const list = bySource.get(String(s.source)) ?? [];
      list.push({ crawlId: String(s.crawlId), from: s.t, to: Number.POSITIVE_INFINITY, pid: p.pid });
      bySource.set(String(s.source), list);
    }
  }
  return bySource;
}

function overlaps(list: Array<{ from: number; to: number }>): number {
  const sorted = [...list].sort((a, b) => a.from - b.from);
  let n = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.from < sorted[i - 1]!.to) n++;
  return n;
}

const SOURCES = [
  { id: 'warehouse', type: 'postgres', urlEnv: 'X' },
  { id: 'hive', type: 'hive-metastore', urlEnv: 'Y' },
  { id: 'games', type: 'mysql', urlEnv: 'Z' },
  { id: 'ticking', type: 'postgres', urlEnv: 'X', schedule: '* * * * * *' },
];

/**
 * A redis-server of this test's own (append-only file, as production runs it) is restarted while crawls run in
 * two worker processes: every job still completes, and no source is ever crawled by two workers at once.
 */
describe('Redis restarted during a crawl', () => {
  let redis: PrivateRedis;
  const procs: WorkerProcess[] = [];
  let queue: Queue<CrawlJobData> | undefined;

  beforeEach(async () => {
    redis = await PrivateRedis.start();
    queue = new Queue<CrawlJobData>(CRAWL_QUEUE, { connection: { url: redis.url }, prefix: 'nansen' });
    queue.on('error', () => undefined);
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.kill()));
    await queue?.close().catch(() => undefined);
    await redis.stop();
  });

  /**
   * `exactlyOnce`: with the outage shorter than the job lock every job's crawl finishes once. With a longer one
   * BullMQ hands the jobs out again (delivery is at-least-once), so a crawl may run a second time, after the first.
   */
  async function run(options: { downForMs: number; env: Record<string, string>; exactlyOnce: boolean }): Promise<void> {
    const env = { REDIS_URL: redis.url, SOURCES: JSON.stringify(SOURCES), CRAWL_MS: '3000', CONCURRENCY: '2', ...options.env };
    procs.push(await WorkerProcess.start(env), await WorkerProcess.start(env));
    const ids: string[] = [];
    for (const s of ['warehouse', 'hive', 'games']) ids.push((await enqueueCrawl(queue as never, { sourceId: s })).jobId);
    // crawls in flight in both processes
    await eventually(() => procs.filter((p) => p.events.some((e) => e.event === 'crawl-start')).length === 2, 15_000, 'crawls running in both workers');
    await redis.restart(options.downForMs);

    await eventually(
      async () => {
        const states = await Promise.all(ids.map((id) => queue!.getJobState(id)));
        return states.every((s) => s === 'completed');
      },
      60_000,
      'every queued crawl to complete',
    );
    // the scheduler survived too: the ticking source is crawled again after the restart
    const restartedAt = Date.now();
    await eventually(() => procs.some((p) => p.events.some((e) => e.event === 'crawl-end' && e.source === 'ticking' && e.t > restartedAt)), 20_000, 'a scheduled crawl after the restart');

    for (const [sourceId, list] of intervals(procs)) {
      expect({ source: sourceId, overlaps: overlaps(list) }).toEqual({ source: sourceId, overlaps: 0 });
    }
    for (const id of ids) {
      const ends = procs.flatMap((p) => p.events.filter((e) => e.event === 'crawl-end' && e.crawlId === id));
      if (options.exactlyOnce) expect({ id, finishedCrawls: ends.length }).toEqual({ id, finishedCrawls: 1 });
      else expect(ends.length).toBeGreaterThanOrEqual(1);
    }
    for (const p of procs) p.signal('SIGTERM');
    for (const p of procs) expect((await p.exited).code).toBe(0);
  }

  it('briefly (job locks survive): nothing lost, nothing run twice', async () => {
    await run({ downForMs: 500, env: {}, exactlyOnce: true });
  });

  it('for longer than the job lock (jobs handed out again): nothing lost, nothing run twice at once', async () => {
    await run({ downForMs: 3500, env: { LOCK_MS: '2000', STALLED_MS: '1000' }, exactlyOnce: false });
  });
});
