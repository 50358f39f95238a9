import { UnrecoverableError } from 'bullmq';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import type { SourceConfig } from '../../ingest/source';
import { silentLogger } from '../../src/log/logger';
import { InProcessCrawlRunner } from '../../workers/in-process-runner';
import { createCrawlProcessor, type CrawlFailure } from '../../workers/processors/crawl';
import { MemorySourceLocks } from '../../src/adapters/memory/memory-source-locks';
import { eventually, FakeCrawl, sleep, source } from './support/fakes';

function setup(fake: FakeCrawl, sources: SourceConfig[], retry = { attempts: 3, backoffMs: 100 }) {
  const failures: CrawlFailure[] = [];
  let current = sources;
  const processor = createCrawlProcessor({
    crawl: fake.crawl,
    getSource: (id) => current.find((s) => s.id === id),
    locks: new MemorySourceLocks(),
    recordFailure: async (f) => void failures.push(f),
    logger: silentLogger(),
  });
  const runner = new InProcessCrawlRunner({ processor, logger: silentLogger(), retry, busyRetryMs: 50 });
  return {
    runner,
    failures,
    setSources(next: SourceConfig[]) {
      current = next;
      return runner.setSources(next);
    },
  };
}

describe('in-process crawl runner (no Redis)', () => {
  let runner: InProcessCrawlRunner | undefined;
  afterEach(async () => {
    await runner?.close({ abortAfterMs: 0 });
    runner = undefined;
  });

  it('crawls each scheduled source on its cron schedule and stops when the source leaves the file', async () => {
    const fake = new FakeCrawl();
    const t = setup(fake, []);
    runner = t.runner;
    const sync = t.setSources([source('every-second', { schedule: '* * * * * *' }), source('on-request')]);
    expect(sync.upserted).toEqual(['every-second']);
    await eventually(() => fake.calls.length >= 2, 5000, 'two scheduled crawls');
    expect(fake.calls.every((c) => c.source === 'every-second')).toBe(true);
    expect(t.runner.setSources([source('every-second', { schedule: '* * * * * *' })]).unchanged).toEqual(['every-second']);
    expect(t.setSources([]).removed).toEqual(['every-second']);
    const n = fake.calls.length;
    await sleep(1500);
    expect(fake.calls.length).toBe(n);
  });

  it('fires an interval schedule at once, then every interval', async () => {
    const fake = new FakeCrawl();
    const t = setup(fake, []);
    runner = t.runner;
    const started = Date.now();
    t.setSources([source('w', { schedule: 1000 })]);
    await eventually(() => fake.calls.length >= 2, 5000, 'two crawls');
    expect(fake.calls[0]!.at - started).toBeLessThan(500);
    expect(fake.calls[1]!.at - fake.calls[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('retries a transient failure with exponential backoff, then succeeds', async () => {
    const fake = new FakeCrawl((n) => {
      if (n <= 2) throw new TransientSourceError('w', 'unreachable', 'connection refused');
    });
    const t = setup(fake, [source('w')]);
    runner = t.runner;
    await expect(t.runner.crawlNow({ sourceId: 'w' })).resolves.toMatchObject({ status: 'crawled' });
    expect(fake.calls).toHaveLength(3);
    const gap1 = fake.calls[1]!.at - fake.calls[0]!.at;
    const gap2 = fake.calls[2]!.at - fake.calls[1]!.at;
    expect(gap1).toBeGreaterThanOrEqual(95);
    expect(gap2).toBeGreaterThanOrEqual(195);
    expect(t.failures.map((f) => f.willRetry)).toEqual([true, true]);
  });

  it('gives up after the last try', async () => {
    const fake = new FakeCrawl(() => {
      throw new TransientSourceError('w', 'unreachable', 'connection refused');
    });
    const t = setup(fake, [source('w')], { attempts: 2, backoffMs: 10 });
    runner = t.runner;
    await expect(t.runner.crawlNow({ sourceId: 'w' })).rejects.toBeInstanceOf(TransientSourceError);
    expect(fake.calls).toHaveLength(2);
    expect(t.failures.at(-1)).toMatchObject({ attempt: 2, willRetry: false });
  });

  it('does not retry bad credentials', async () => {
    const fake = new FakeCrawl(() => {
      throw new PermanentSourceError('w', 'bad_credentials', 'password authentication failed');
    });
    const t = setup(fake, [source('w')]);
    runner = t.runner;
    await expect(t.runner.crawlNow({ sourceId: 'w' })).rejects.toBeInstanceOf(UnrecoverableError);
    expect(fake.calls).toHaveLength(1);
    expect(t.failures).toEqual([expect.objectContaining({ kind: 'permanent', willRetry: false })]);
  });

  it('never runs one source twice at once: a second request joins the first, a scheduled tick skips', async () => {
    const fake: FakeCrawl = new FakeCrawl((_n, _s, o): Promise<void> => fake.gate(o.signal));
    const t = setup(fake, [source('w', { schedule: '* * * * * *' })]);
    runner = t.runner;
    const a = t.runner.crawlNow({ sourceId: 'w' });
    const b = t.runner.crawlNow({ sourceId: 'w' });
    expect(b).toBe(a);
    await eventually(() => fake.waiting === 1, 2000, 'the manual crawl running');
    t.runner.setSources([source('w', { schedule: '* * * * * *' })]);
    await sleep(1200); // at least one scheduled tick while the manual crawl holds the source
    expect(fake.calls).toHaveLength(1);
    fake.open();
    await a;
    expect(fake.maxConcurrent.get('w')).toBe(1);
  });

  it('a manual crawl asked for during a scheduled one runs after it', async () => {
    const fake: FakeCrawl = new FakeCrawl((_n, _s, o): Promise<void> => fake.gate(o.signal));
    const t = setup(fake, [source('w', { schedule: 60_000 })]);
    runner = t.runner;
    t.runner.setSources([source('w', { schedule: 60_000 })]);
    await eventually(() => fake.waiting === 1, 2000, 'the scheduled crawl running');
    const manual = t.runner.crawlNow({ sourceId: 'w' });
    await sleep(200);
    expect(fake.calls).toHaveLength(1);
    fake.open();
    await eventually(() => fake.waiting === 1, 2000, 'the manual crawl running');
    fake.open();
    await expect(manual).resolves.toMatchObject({ status: 'crawled' });
    expect(fake.calls).toHaveLength(2);
    expect(fake.maxConcurrent.get('w')).toBe(1);
  });

  it('close waits for a crawl in progress', async () => {
    const fake = new FakeCrawl(() => sleep(300));
    const t = setup(fake, [source('w')]);
    const run = t.runner.crawlNow({ sourceId: 'w' });
    await eventually(() => fake.calls.length === 1);
    const started = Date.now();
    await t.runner.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await expect(run).resolves.toMatchObject({ status: 'crawled' });
  });

  it('close can abort a crawl that takes too long', async () => {
    const fake: FakeCrawl = new FakeCrawl((_n, _s, o): Promise<void> => fake.gate(o.signal));
    const t = setup(fake, [source('w')]);
    const run = t.runner.crawlNow({ sourceId: 'w' });
    await eventually(() => fake.waiting === 1);
    await t.runner.close({ abortAfterMs: 50 });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
