/**
 * Alert benchmark: `npm run bench:alerts -- [--channels 50] [--crawls 5] [--gap 1100] [--json]`.
 *
 * A real PostgreSQL database with one table per channel is crawled by the real pipeline; each round alters every
 * table and crawls again, then queues the crawl's alert job as the crawl worker does. The real alert workers
 * (BullMQ on Redis, Redis alert store) deliver to the fake Slack Web API on loopback, which enforces Slack's
 * 1 message/s/channel with 429s. Half the channels subscribe to one table each, half to the whole schema, so
 * every crawl owes every channel one message. Measures, per message, the time from the end of the crawl
 * (`CrawlReport.finishedAt`) to the fake Slack receiving the post; counts messages and duplicates (two accepted
 * posts with one delivery key). Rounds are spaced a little over a second apart, so Slack's own per-channel rate
 * limit does not dominate the figure.
 *
 * Needs `bash scripts/services.sh up` (PostgreSQL, Redis). Prints progress on stderr and, with `--json`, one
 * JSON line on stdout: `{"channels":N,"alertMs":{"p50":..,"p95":..},"messages":..,"duplicates":..}`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { crawlSource, type CrawlDeps } from '../ingest/crawl';
import type { SourceConfig } from '../ingest/source';
import { SqliteCrawlStore } from '../src/adapters/embedded/sqlite-crawl-store';
import { RedisAlertStore } from '../src/adapters/redis/redis-alert-store';
import { RedisChannelRateLimiter } from '../src/adapters/redis/redis-channel-rate-limiter';
import { ALERT_METADATA_TYPE } from '../src/ports/slack-poster';
import { WebClientPoster } from '../src/adapters/slack/web-client-poster';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { silentLogger } from '../src/log/logger';
import { startAlertWorkers } from '../src/alerts/jobs/worker';
import { enqueueAlert } from '../src/alerts/jobs/queues';
import { FakeSlack, type RecordedCall } from '../tools/fake-slack/server';
import { percentile, round2 } from './lib';
import { serviceEnv } from './service-env';

const { values } = parseArgs({ options: { channels: { type: 'string', default: '50' }, crawls: { type: 'string', default: '5' }, gap: { type: 'string', default: '1100' }, json: { type: 'boolean', default: false } } });
const CHANNELS = Number(values.channels);
const CRAWLS = Number(values.crawls);
/** Pause between a round's last message and the next crawl; below 1000 ms Slack's per-channel limit shows in the figures. */
const GAP_MS = Number(values.gap);
const env = { ...serviceEnv(), ...process.env };
const PG = env.PG_URL ?? 'postgres://nansen:nansen@127.0.0.1:54329/nansen';
const REDIS = env.REDIS_URL ?? 'redis://127.0.0.1:6390';

const say = (msg: string): void => void process.stderr.write(`[bench:alerts] ${msg}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function deliveryKey(c: RecordedCall): string | undefined {
  const m = c.args.metadata as { event_type?: string; event_payload?: { delivery_key?: string } } | undefined;
  return m?.event_type === ALERT_METADATA_TYPE ? m.event_payload?.delivery_key : undefined;
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const dbName = `nansen_bench_alerts_${id}`;
  const prefix = `nansen_bench_${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'nansen-bench-alerts-'));
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const db = new Client({ connectionString: withDatabase(PG, dbName) });
  await db.connect();
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const crawlStore = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
  const fake = await FakeSlack.start();
  const store = new RedisAlertStore({ url: REDIS, prefix: `${prefix}:alerts` });
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    await Promise.all([graph.init(), search.init(), crawlStore.init(), store.init()]);
    await db.query('CREATE SCHEMA bench');
    await db.query(Array.from({ length: CHANNELS }, (_, i) => `CREATE TABLE bench.t${i} (id bigint, v text);`).join('\n'));
    const source: SourceConfig = { id: 'bench', type: 'postgres', urlEnv: 'BENCH_ALERTS_PG_URL', cluster: 'main' };
    const deps: CrawlDeps = { stores: { graph, search }, logger: silentLogger(), state: crawlStore, status: crawlStore, env: { BENCH_ALERTS_PG_URL: withDatabase(PG, dbName) } };
    await crawlSource(source, deps);

    for (let i = 0; i < CHANNELS; i++) {
      const pattern = i % 2 === 0 ? `bench.t${i}` : 'bench.*';
      await store.subscribe({ channel: `C${String(i).padStart(4, '0')}`, pattern, mode: 'live', createdAt: new Date().toISOString() });
    }
    const limiterRedis = new Redis(REDIS);
    cleanup.push(async () => limiterRedis.disconnect());
    const workers = await startAlertWorkers({
      connection: { url: REDIS },
      limiter: new RedisChannelRateLimiter(limiterRedis, { prefix: `${prefix}:alerts` }),
      store,
      graph,
      slack: new WebClientPoster({ token: fake.options.botToken, apiUrl: fake.apiUrl }),
      logger: silentLogger(),
      timeZone: 'Asia/Seoul',
      digestCron: false,
      queue: { prefix },
    });
    cleanup.push(() => workers.close());

    const finishedAt = new Map<string, number>();
    const accepted = (): RecordedCall[] => fake.calls.filter((c) => c.method === 'chat.postMessage' && c.response.ok === true);
    const crawlOf = (c: RecordedCall): string | undefined => [...finishedAt.keys()].find((crawlId) => deliveryKey(c)?.includes(crawlId));
    for (let round = 0; round < CRAWLS; round++) {
      await db.query(Array.from({ length: CHANNELS }, (_, i) => `ALTER TABLE bench.t${i} ADD COLUMN r${round} integer;`).join('\n'));
      const report = await crawlSource(source, deps);
      finishedAt.set(report.crawlId, Date.parse(report.finishedAt));
      await enqueueAlert(workers.alertQueue, { kind: 'schema_changes', source: report.source, crawlId: report.crawlId, changeIds: report.changes.map((c) => c.id), observedAt: report.finishedAt });
      if (GAP_MS >= 1000) {
        const deadline = Date.now() + 60_000;
        while (accepted().filter((c) => crawlOf(c) === report.crawlId).length < CHANNELS && Date.now() < deadline) await sleep(5);
      }
      say(`crawl ${round + 1}/${CRAWLS}: ${report.changes.length} changes`);
      await sleep(GAP_MS);
    }
    const deadline = Date.now() + 120_000;
    while (accepted().length < CHANNELS * CRAWLS && Date.now() < deadline) await sleep(20);
    await sleep(1500);
    const samples = accepted().map((c) => c.at - finishedAt.get(crawlOf(c) ?? '')!).filter((ms) => Number.isFinite(ms));
    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage' && c.response.ok === true);
    const keys = new Set(posts.map(deliveryKey));
    const result = {
      channels: CHANNELS,
      alertMs: { p50: round2(percentile(samples, 50)), p95: round2(percentile(samples, 95)) },
      messages: posts.length,
      duplicates: posts.length - keys.size,
      crawls: CRAWLS,
      expected: CHANNELS * CRAWLS,
      slack429: fake.calls.filter((c) => c.status === 429).length,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else say(JSON.stringify(result, null, 2));
  } finally {
    for (const c of cleanup) await c().catch(() => undefined);
    await store.close();
    await fake.close();
    await Promise.allSettled([graph.close(), search.close(), crawlStore.close()]);
    rmSync(dir, { recursive: true, force: true });
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    const redis = new Redis(REDIS);
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length) await redis.del(...found);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:alerts failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
