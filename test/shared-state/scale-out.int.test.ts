/**
 * Scale-out on the real servers (Neo4j, Elasticsearch, Redis, PostgreSQL), with real worker processes
 * (src/main/worker.ts) and the CLI, all on one deployment's keyspace, index prefix and Redis prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store';
import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { parsePattern } from '../../src/alerts/patterns';
import type { CrawlReport } from '../../src/domain/crawl';
import { createCrawlQueue, enqueueCrawl } from '../../workers/queues';
import { FakeSlack } from '../../tools/fake-slack/server';
import { createPgDatabase } from '../ingest/support/servers';
import { eventually, sleep } from '../workers/support/fakes';
import { deployment, runCli, type Deployment } from './support';

const ROOT = join(__dirname, '..', '..');
const TABLES = 300;

interface Worker {
  child: ChildProcess;
  log(): string;
  exited: Promise<number | string>;
  /** The JSON log lines with this message. */
  lines(msg: string): Array<Record<string, unknown>>;
}

function startWorker(env: Record<string, string>, dataDir: string): Worker {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/main/worker.ts')], { cwd: ROOT, env: { ...env, NANSEN_DATA_DIR: dataDir, HOME: dataDir, LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const lines = (msg: string): Array<Record<string, unknown>> =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      })
      .filter((o) => o.msg === msg);
  return { child, log: () => err, exited, lines };
}

describe('scale-out: two workers and the CLI on one Redis', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let dep: Deployment;
  let dir: string;
  let fake: FakeSlack;
  let workers: Worker[] = [];
  let graph: Neo4jGraphStore;

  beforeAll(async () => {
    db = await createPgDatabase();
    await db.query('CREATE SCHEMA sales');
    for (let i = 0; i < TABLES; i++) await db.query(`CREATE TABLE sales.t${String(i).padStart(3, '0')} (id bigint, amount numeric, note text)`);
    dir = mkdtempSync(join(tmpdir(), 'nansen-scale-'));
    fake = await FakeSlack.start({ postMessageRate: false });
    dep = deployment('scale', {
      WH_URL: db.url,
      NANSEN_SOURCES: join(dir, 'sources.yml'),
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_API_URL: fake.apiUrl,
      NANSEN_DIGEST_CRON: 'off',
      NANSEN_CRAWL_LOCK_TTL_MS: '4000',
      NANSEN_JOB_LOCK_MS: '3000',
      NANSEN_SHUTDOWN_GRACE_MS: '3000',
    });
    graph = new Neo4jGraphStore({ url: dep.env.NEO4J_URL!, keyspace: dep.env.NEO4J_KEYSPACE! });
    await graph.init();
  }, 120_000);

  afterEach(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    workers = [];
  });

  afterAll(async () => {
    await graph?.close();
    await fake?.close();
    await dep?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const subscribe = async (channels: string[]): Promise<void> => {
    const client = new Redis(dep.env.REDIS_URL!);
    try {
      const store = new RedisAlertStore({ client, prefix: `${dep.env.NANSEN_REDIS_PREFIX}:alerts` });
      await store.init();
      for (const channel of channels) await store.subscribe({ channel, pattern: parsePattern('sales.*').text, mode: 'live', createdAt: new Date().toISOString() });
    } finally {
      client.disconnect();
    }
  };
  const messagesTo = (channel: string): number => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel).length;
  const changesOf = async (column: string): Promise<number> => (await graph.recentSchemaChanges({ limit: 1000 })).filter((c) => c.column === column).length;

  it('two workers and a CLI crawl of the same source, started together: one crawl, one set of changes, one message per channel', async () => {
    writeFileSync(join(dir, 'sources.yml'), 'version: 1\nsources:\n  - id: wh\n    type: postgres\n    urlEnv: WH_URL\n    cluster: main\n    schedule: 1500\n');
    const first = await runCli(['crawl', 'wh', '--json'], { ...dep.env, NANSEN_DATA_DIR: join(dir, 'cli-0') });
    expect(first.code).toBe(0);
    await subscribe(['C0SCALE001', 'C0SCALE002']);
    await db.query('ALTER TABLE sales.t007 ADD COLUMN region text');

    workers = [startWorker(dep.env, join(dir, 'w1')), startWorker(dep.env, join(dir, 'w2'))];
    const cli = await runCli(['crawl', 'wh', '--json'], { ...dep.env, NANSEN_DATA_DIR: join(dir, 'cli-1') });
    // The CLI either did the crawl or found a worker's lock on the source and did nothing.
    const cliReport = cli.code === 0 ? (JSON.parse(cli.out.trim().split('\n').pop()!) as CrawlReport) : undefined;
    if (!cliReport) expect(cli.err).toMatch(/wh is being crawled now/);

    await eventually(() => messagesTo('C0SCALE001') >= 1 && messagesTo('C0SCALE002') >= 1, 60_000, 'the alert in both channels');
    // Several more schedule ticks, on both workers: nothing more may come.
    await sleep(6000);
    const crawlsWithChanges = workers.flatMap((w) => w.lines('crawl finished')).filter((l) => Number(l.changes) > 0).length + (cliReport?.changes.length ? 1 : 0);
    expect(crawlsWithChanges).toBe(1);
    expect(await changesOf('region')).toBe(1);
    expect(messagesTo('C0SCALE001')).toBe(1);
    expect(messagesTo('C0SCALE002')).toBe(1);
    // Both workers took part: each ran crawls (no-change ones after the first).
    for (const w of workers) expect(w.lines('crawl worker started')).toHaveLength(1);
    expect(workers.flatMap((w) => w.lines('crawl finished')).length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('kill -9 of the worker mid-crawl: the other takes the job over once the lock expires; nothing lost or doubled', async () => {
    await db.query('ALTER TABLE sales.t123 ADD COLUMN channel text');
    // A schedule far away: the only crawl is the one asked for now, through the queue, by a manual job.
    writeFileSync(join(dir, 'sources.yml'), 'version: 1\nsources:\n  - id: wh\n    type: postgres\n    urlEnv: WH_URL\n    cluster: main\n    schedule: "0 0 1 1 *"\n');
    const before = fake.callsTo('chat.postMessage').length;
    workers = [startWorker(dep.env, join(dir, 'k1')), startWorker(dep.env, join(dir, 'k2'))];
    await eventually(() => workers.every((w) => w.lines('crawl worker started').length === 1), 60_000, 'both workers to start');
    const queue = createCrawlQueue({ connection: { url: dep.env.REDIS_URL! }, prefix: dep.env.NANSEN_REDIS_PREFIX! }, { attempts: 20, backoffMs: 1000 });
    try {
      await enqueueCrawl(queue, { sourceId: 'wh', requestedBy: 'test' });
      const victim = await eventually(() => workers.find((w) => w.lines('crawl job started').length > 0), 30_000, 'a worker to start the crawl');
      victim.child.kill('SIGKILL');
      await victim.exited;
      const survivor = workers.find((w) => w !== victim)!;
      const done = await eventually(() => survivor.lines('crawl finished').find((l) => Number(l.tables) === TABLES), 90_000, 'the other worker to finish the crawl');
      expect(done).toBeDefined();
      await eventually(() => messagesTo('C0SCALE001') > 0 && fake.callsTo('chat.postMessage').length >= before + 2, 60_000, 'the alerts');
      await sleep(3000);
      expect(await changesOf('channel')).toBe(1);
      expect(fake.callsTo('chat.postMessage').length - before).toBe(2);
      expect((await graph.listTableKeys()).length).toBe(TABLES);
    } finally {
      await queue.close();
    }
  }, 240_000);
});
