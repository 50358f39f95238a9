import { UnrecoverableError } from 'bullmq';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import { silentLogger } from '../../src/log/logger';
import { AlertsNotQueuedError, classifyCrawlError, SourceBusyError } from '../../workers/errors';
import { createCrawlProcessor, type CrawlFailure, type CrawlJob } from '../../workers/processors/crawl';
import type { CrawlJobData, CrawlJobProgress } from '../../workers/queues';
import { MemorySourceLocks } from '../../src/adapters/memory/memory-source-locks';
import { FakeCrawl, report, source } from './support/fakes';

function job(data: Partial<CrawlJobData> = {}, attemptsMade = 0, id = 'job-1'): CrawlJob & { progress: CrawlJobProgress[] } {
  const progress: CrawlJobProgress[] = [];
  return {
    id,
    data: { sourceId: 'warehouse', trigger: 'manual', ...data },
    attemptsMade,
    opts: { attempts: 3 },
    progress,
    updateProgress: async (p) => {
      progress.push(p);
    },
  };
}

function setup(fake: FakeCrawl) {
  const failures: CrawlFailure[] = [];
  const locks = new MemorySourceLocks();
  const sources = [source('warehouse'), source('hive', { type: 'hive-metastore' })];
  const processor = createCrawlProcessor({
    crawl: fake.crawl,
    getSource: (id) => sources.find((s) => s.id === id),
    locks,
    recordFailure: async (f) => void failures.push(f),
    logger: silentLogger(),
    progressIntervalMs: 0,
  });
  return { processor, failures, locks };
}

describe('crawl processor', () => {
  it('runs the pipeline with the job id as crawl id, reports progress and returns counts', async () => {
    const fake = new FakeCrawl();
    const { processor, failures } = setup(fake);
    const j = job({ dryRun: true, force: true });
    const result = await processor(j, undefined, undefined);
    expect(result).toMatchObject({ status: 'crawled', source: 'warehouse', crawlId: 'job-1', dryRun: true, tables: 3, added: 1, changed: 1, removed: 0, unchanged: 1 });
    expect(fake.calls[0]!.options).toMatchObject({ dryRun: true, force: true, crawlId: 'job-1' });
    expect(j.progress).toEqual([
      { phase: 'extract', done: 0, total: 3 },
      { phase: 'publish', done: 3, total: 3 },
    ]);
    expect(failures).toEqual([]);
  });

  it('turns a refusal into a refused result', async () => {
    const refusing = createCrawlProcessor({
      crawl: async (s) => report(s, { refused: { reason: 'too_many_removals', removals: 10, total: 100, threshold: 0.05 }, wrote: false }),
      getSource: () => source('warehouse'),
      locks: new MemorySourceLocks(),
      logger: silentLogger(),
    });
    await expect(refusing(job(), undefined, undefined)).resolves.toMatchObject({ status: 'refused', removals: 10, total: 100, threshold: 0.05 });
  });

  it('fails bad credentials without retries, records the failure with no password in it', async () => {
    const fake = new FakeCrawl(() => {
      throw new PermanentSourceError('warehouse', 'bad_credentials', 'authentication failed for postgres://crawler:hunter2@db/wh');
    });
    const { processor, failures } = setup(fake);
    const err = await processor(job(), undefined, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(String((err as Error).message)).not.toContain('hunter2');
    expect(failures).toEqual([expect.objectContaining({ source: 'warehouse', kind: 'permanent', attempt: 1, maxAttempts: 3, willRetry: false })]);
    expect(failures[0]!.error).toContain('crawler:***@db');
  });

  it('rethrows a transient failure for a retry, recording whether one will come', async () => {
    const fake = new FakeCrawl(() => {
      throw new TransientSourceError('warehouse', 'unreachable', 'connection refused');
    });
    const { processor, failures } = setup(fake);
    await expect(processor(job({}, 0), undefined, undefined)).rejects.toBeInstanceOf(TransientSourceError);
    await expect(processor(job({}, 2), undefined, undefined)).rejects.toBeInstanceOf(TransientSourceError);
    expect(failures.map((f) => [f.attempt, f.willRetry])).toEqual([
      [1, true],
      [3, false],
    ]);
  });

  it('fails a manual crawl of an unknown source without retries; skips a scheduled one', async () => {
    const { processor, failures } = setup(new FakeCrawl());
    await expect(processor(job({ sourceId: 'gone' }), undefined, undefined)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(failures).toHaveLength(1);
    await expect(processor(job({ sourceId: 'gone', trigger: 'schedule' }), undefined, undefined)).resolves.toEqual({ status: 'skipped', source: 'gone', reason: 'source_removed' });
  });

  it('never runs two crawls of one source at once: a scheduled tick skips, a manual one is postponed', async () => {
    const fake: FakeCrawl = new FakeCrawl((_n, _s, o): Promise<void> => fake.gate(o.signal));
    const { processor } = setup(fake);
    const first = processor(job({}, 0, 'a'), undefined, undefined);
    await new Promise((r) => setTimeout(r, 10));
    await expect(processor(job({ trigger: 'schedule' }, 0, 'b'), undefined, undefined)).resolves.toMatchObject({ status: 'skipped', reason: 'already_running' });
    await expect(processor(job({}, 0, 'c'), undefined, undefined)).rejects.toBeInstanceOf(SourceBusyError);
    // another source is not held up
    const other = processor(job({ sourceId: 'hive' }, 0, 'd'), undefined, undefined);
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.running.get('hive')).toBe(1);
    fake.open();
    await Promise.all([first, other]);
    expect(fake.maxConcurrent.get('warehouse')).toBe(1);
    // the lock is released afterwards
    const again = processor(job({}, 0, 'e'), undefined, undefined);
    await new Promise((r) => setTimeout(r, 10));
    fake.open();
    await expect(again).resolves.toMatchObject({ status: 'crawled' });
  });

  it('passes the abort signal to the pipeline', async () => {
    const fake: FakeCrawl = new FakeCrawl((_n, _s, o): Promise<void> => fake.gate(o.signal));
    const { processor, failures } = setup(fake);
    const controller = new AbortController();
    const running = processor(job(), undefined, controller.signal);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(failures[0]).toMatchObject({ kind: 'aborted', willRetry: true });
  });

  describe('afterCrawl (schema-change alerts)', () => {
    function withHook(afterCrawl: NonNullable<Parameters<typeof createCrawlProcessor>[0]['afterCrawl']>, crawl = new FakeCrawl().crawl) {
      const failures: CrawlFailure[] = [];
      const processor = createCrawlProcessor({
        crawl,
        getSource: () => source('warehouse'),
        locks: new MemorySourceLocks(),
        recordFailure: async (f) => void failures.push(f),
        logger: silentLogger(),
        afterCrawl,
      });
      return { processor, failures };
    }

    it('hands every finished crawl to the hook, saying whether the job ran before', async () => {
      const seen: Array<[string, boolean]> = [];
      const { processor } = withHook(async (r, { rerun }) => void seen.push([r.crawlId, rerun]));
      await processor(job({}, 0, 'first'), undefined, undefined);
      await processor(job({}, 1, 'retried'), undefined, undefined);
      await processor({ ...job({}, 0, 'stalled'), attemptsStarted: 2 }, undefined, undefined);
      await processor({ ...job({}, 0, 'once'), attemptsStarted: 1 }, undefined, undefined);
      expect(seen).toEqual([
        ['first', false],
        ['retried', true],
        ['stalled', true],
        ['once', false],
      ]);
    });

    it('does not call the hook for a refused crawl', async () => {
      const hook = jest.fn(async () => undefined);
      const { processor } = withHook(hook, async (s) => report(s, { refused: { reason: 'too_many_removals', removals: 10, total: 100, threshold: 0.05 }, wrote: false }));
      await expect(processor(job(), undefined, undefined)).resolves.toMatchObject({ status: 'refused' });
      expect(hook).not.toHaveBeenCalled();
    });

    it('retries the job when the alert cannot be handed over, without calling the crawl failed', async () => {
      const { processor, failures } = withHook(async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      });
      const err = await processor(job(), undefined, undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AlertsNotQueuedError);
      expect(classifyCrawlError(err)).toBe('transient');
      expect(failures).toEqual([]);
    });
  });
});
