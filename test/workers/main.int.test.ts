import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { SqliteCrawlStore } from '../../src/adapters/embedded/sqlite-crawl-store';
import { CRAWL_QUEUE, crawlSchedulerId, QUEUE_PREFIX } from '../../workers/queues';
import { eventually } from './support/fakes';
import { PrivateRedis, serviceUrl } from './support/redis';

const ROOT = join(__dirname, '..', '..');

const catalog = {
  format: 'catalog-v1',
  tables: [
    { key: 'hive://gold.game_log/sessions', database: 'hive', cluster: 'gold', schema: 'game_log', name: 'sessions', columns: [{ name: 'session_id', type: 'bigint' }] },
    { key: 'hive://gold.game_log/purchases', database: 'hive', cluster: 'gold', schema: 'game_log', name: 'purchases', columns: [{ name: 'amount', type: 'double' }] },
  ],
};

function sourcesYml(withBad: boolean): string {
  return [
    'sources:',
    '  - id: cat',
    '    type: catalog',
    '    path: catalog.json',
    '    schedule: 1000',
    ...(withBad ? ['  - id: pg-bad', '    type: postgres', '    urlEnv: PG_BAD_URL', '    schedule: "*/2 * * * * *"'] : []),
    '',
  ].join('\n');
}

/** `npm run worker` itself (src/main/worker.ts) against a private Redis, the embedded stores and a real PostgreSQL. */
describe('the worker process (src/main/worker.ts)', () => {
  let dir = '';
  let redis: PrivateRedis | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-worker-'));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
    writeFileSync(join(dir, 'sources.yml'), sourcesYml(true));
  });
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function startMain(env: Record<string, string>) {
    // The test server may trust loopback connections, so the bad credentials are a role that does not exist.
    const badUrl = new URL(serviceUrl('PG_URL'));
    badUrl.username = 'no_such_crawler';
    badUrl.password = 'wrong-password-31337';
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src', 'main', 'worker.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        NANSEN_DATA_DIR: join(dir, 'data'),
        NANSEN_SOURCES: join(dir, 'sources.yml'),
        NANSEN_BACKEND: 'embedded',
        PG_BAD_URL: badUrl.toString(),
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  async function status(source: string) {
    const store = new SqliteCrawlStore({ path: join(dir, 'data', 'crawls.sqlite') });
    await store.init();
    try {
      return await store.getStatus(source);
    } finally {
      await store.close();
    }
  }

  it('with Redis: crawls on schedule, fails bad credentials without retries (recorded, no password logged), follows edits of the sources file, stops on SIGTERM', async () => {
    redis = await PrivateRedis.start();
    const main = startMain({ REDIS_URL: redis.url });
    const queue = new Queue(CRAWL_QUEUE, { connection: { url: redis.url }, prefix: QUEUE_PREFIX });
    try {
      const ok = await eventually(async () => {
        const s = await status('cat').catch(() => undefined);
        return s?.outcome === 'ok' ? s : undefined;
      }, 30_000, 'a crawl of the catalog source');
      expect(ok.counts).toMatchObject({ tables: 2 });

      const bad = await eventually(async () => {
        const s = await status('pg-bad').catch(() => undefined);
        return s?.outcome === 'failed' ? s : undefined;
      }, 30_000, 'the failed crawl of pg-bad');
      expect(bad.lastError).toMatchObject({ code: 'bad_credentials', retryable: false });
      expect(bad.lastError!.message).not.toContain('wrong-password-31337');
      // the failure is recorded before the job is moved to failed: wait for the move
      const badJobs = await eventually(async () => {
        const jobs = (await queue.getFailed()).filter((j) => j.data.sourceId === 'pg-bad');
        return jobs.length ? jobs : undefined;
      }, 10_000, 'the failed job of pg-bad');
      expect(badJobs.every((j) => j.attemptsMade === 1)).toBe(true);

      // the source leaves the file: its scheduler goes (SIGHUP re-reads at once)
      expect(await queue.getJobScheduler(crawlSchedulerId('pg-bad'))).toBeDefined();
      writeFileSync(join(dir, 'sources.yml'), sourcesYml(false));
      main.child.kill('SIGHUP');
      await eventually(async () => (await queue.getJobScheduler(crawlSchedulerId('pg-bad'))) === undefined, 10_000, 'the scheduler of the removed source to go');
      expect(await queue.getJobScheduler(crawlSchedulerId('cat'))).toBeDefined();

      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.stderr()).toContain('crawl worker started');
      // no SLACK_BOT_TOKEN: the worker runs, and says its alerts are only logged
      expect(main.stderr()).toContain('SLACK_BOT_TOKEN is not set: schema-change alerts will be planned and logged, not posted');
      expect(main.stderr()).not.toContain('wrong-password-31337');
    } finally {
      main.child.kill('SIGKILL');
      await queue.close();
    }
  });

  it('without Redis: the same crawls run in-process', async () => {
    const main = startMain({});
    try {
      await eventually(async () => (await status('cat').catch(() => undefined))?.outcome === 'ok', 30_000, 'a crawl of the catalog source');
      const bad = await eventually(async () => {
        const s = await status('pg-bad').catch(() => undefined);
        return s?.outcome === 'failed' ? s : undefined;
      }, 30_000, 'the failed crawl of pg-bad');
      expect(bad.lastError).toMatchObject({ code: 'bad_credentials', retryable: false });
      expect(main.stderr()).toContain('"mode":"in-process"');
      expect(main.stderr()).toContain('"alerts":"log-only"');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.stderr()).not.toContain('wrong-password-31337');
    } finally {
      main.child.kill('SIGKILL');
    }
  });
});
