/**
 * `npm run bench:faults -- --json`: fault counts of the hardening work (issue 11), on real servers where they
 * are involved. Prints one JSON object:
 * - `alerts`: schema changes expected / announced / duplicated over 20 crash points of the crawl → alert path
 *   (embedded stores; a crash is the Nth durable write never happening and a new process crawling again);
 * - `events`: Events API deliveries / answered / duplicated over 50 restarts of the Bolt app, with the real Redis
 *   and with the embedded state file; every 5th restart dies between ack and reply (its answer never comes), and
 *   every restart also receives Slack's retry of the previous event;
 * - `malformed`: signed malformed bodies sent to the HTTP bot in a child process / crashes / unhandled errors.
 * Targets: zero lost, zero duplicated, zero crashes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { SqliteAlertStore } from '../src/adapters/embedded/sqlite-alert-store';
import { SqliteEventDeduper } from '../src/adapters/embedded/sqlite-event-deduper';
import { SqliteGraphStore } from '../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../src/adapters/embedded/sqlite-search-index';
import { MemoryThreadContextStore, MemoryUserStateStore } from '../src/adapters/memory/memory-chat-state';
import { RedisEventDeduper } from '../src/adapters/redis/redis-chat-state';
import { answer as realAnswer } from '../src/answering/answer';
import { importCatalog, readCatalogFile } from '../src/catalog/import';
import { silentLogger } from '../src/log/logger';
import type { EventDeduper } from '../src/ports/event-deduper';
import { renderSlack } from '../src/render/slack';
import { createSlackApp } from '../src/slack/app';
import type { SlackDeps } from '../src/slack/deps';
import { startChild } from '../tools/fake-slack/child';
import { malformedBodies } from '../tools/fake-slack/malformed';
import * as P from '../tools/fake-slack/payloads';
import { FakeSlack } from '../tools/fake-slack/server';
import { runAlertCrash } from './fault-alerts';

const SECRET = 'test-signing-secret-0123456789abcdef';
const ROOT = join(__dirname, '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function alertFaults(points: number): Promise<{ crashPoints: number; expected: number; announced: number; duplicated: number; lost: number }> {
  const { writes } = await runAlertCrash({ tables: 40, batchSize: 10 });
  let expected = 0;
  let announced = 0;
  let duplicated = 0;
  for (let i = 0; i < points; i++) {
    const crashAt = 1 + Math.floor((i * writes) / points);
    const r = await runAlertCrash({ tables: 40, batchSize: 10, crashAt, sameCrawlId: i % 2 === 1 });
    expected += r.expected;
    announced += r.announced;
    duplicated += r.duplicated;
  }
  return { crashPoints: points, expected, announced, duplicated, lost: expected - announced };
}

/** One Bolt app in HTTP mode on the demo catalog; `hang` makes every answer never come (a process about to die). */
async function startBot(dir: string, dedupe: EventDeduper, hang: boolean): Promise<{ url: string; fake: FakeSlack; stop(): Promise<void> }> {
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite') });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const alerts = new SqliteAlertStore({ path: join(dir, 'alerts.sqlite') });
  await graph.init();
  await search.init();
  await alerts.init();
  if (!(await graph.stats()).tables) await importCatalog(await readCatalogFile(join(ROOT, 'data/demo-catalog.json')), { graph, search });
  const fake = await FakeSlack.start({ postMessageRate: false });
  const deps: SlackDeps = {
    graph,
    search,
    answer: hang ? () => new Promise(() => undefined) : realAnswer,
    threads: new MemoryThreadContextStore(),
    dedupe,
    userState: new MemoryUserStateStore(),
    policy: { mode: 'everyone' },
    now: () => new Date(),
    timeZone: 'Asia/Seoul',
    log: silentLogger(),
    renderAnswer: (a) => renderSlack(a),
    alerts,
  };
  const slack = createSlackApp({ botToken: fake.options.botToken, apiUrl: fake.apiUrl, signingSecret: SECRET, port: 0, host: '127.0.0.1' }, deps);
  const { port } = await slack.start();
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    fake,
    async stop() {
      await slack.stop().catch(() => undefined);
      await fake.close();
      await graph.close();
      await search.close();
      await alerts.close();
    },
  };
}

async function eventFaults(restarts: number, makeDedupe: (dir: string) => EventDeduper, leaseMs: number): Promise<{ restarts: number; delivered: number; answered: number; duplicated: number; lost: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-bench-events-'));
  const answers = new Map<string, number>();
  const envelopes: Array<{ ts: string; envelope: Record<string, unknown> }> = [];
  const count = (fake: FakeSlack): void => {
    for (const c of fake.callsTo('chat.postMessage')) {
      const ts = String(c.args.thread_ts);
      answers.set(ts, (answers.get(ts) ?? 0) + 1);
    }
  };
  try {
    for (let r = 0; r <= restarts; r++) {
      const last = r === restarts; // a final start that only receives the retries of what the dead ones dropped
      const dies = !last && r % 5 === 4;
      const dedupe = makeDedupe(dir);
      const bot = await startBot(dir, dedupe, dies);
      try {
        if (last) await sleep(leaseMs + 100);
        const retries = last ? envelopes : envelopes.slice(-1);
        for (const e of retries) await P.postEvent(bot.url, SECRET, e.envelope, { num: 1, reason: 'http_timeout' });
        if (!last) {
          const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0BENCH01' });
          const envelope = P.eventCallback(mention);
          envelopes.push({ ts: String(mention.ts), envelope });
          await P.postEvent(bot.url, SECRET, envelope);
        }
        await sleep(dies ? 50 : 300);
        count(bot.fake);
      } finally {
        await bot.stop();
        await dedupe.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const delivered = envelopes.length;
  const answered = envelopes.filter((e) => (answers.get(e.ts) ?? 0) > 0).length;
  const duplicated = envelopes.filter((e) => (answers.get(e.ts) ?? 0) > 1).length;
  return { restarts, delivered, answered, duplicated, lost: delivered - answered };
}

async function malformedFaults(n: number): Promise<{ bodies: number; crashes: number; unhandled: number; answeredAfter: boolean }> {
  const bot = await startChild(join(ROOT, 'test/hardening/support/http-bot.ts'));
  try {
    const bodies = malformedBodies(n);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        await Promise.race([P.postSigned(bot.ready, SECRET, b.body, { contentType: b.contentType }).catch(() => undefined), sleep(6000)]);
      }
    };
    await Promise.all(Array.from({ length: 250 }, worker));
    await sleep(300);
    const ok = bot.exited() ? undefined : await P.postCommand(bot.ready, SECRET, P.slashCommand({ text: 'help', triggerId: 't', responseUrl: 'http://127.0.0.1:1/r' })).catch(() => undefined);
    const unhandled = bot.stderr().split('\n').filter((l) => /unhandled promise rejection|uncaught exception/.test(l)).length;
    return { bodies: n, crashes: bot.exited() ? 1 : 0, unhandled, answeredAfter: ok?.status === 200 };
  } finally {
    await bot.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, restarts: { type: 'string' }, points: { type: 'string' }, bodies: { type: 'string' } } });
  const restarts = Number(values.restarts ?? 50);
  const leaseMs = 300;
  const t0 = performance.now();
  const alerts = await alertFaults(Number(values.points ?? 20));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `nansen-bench-faults:${Date.now()}:`;
  let withRedis;
  try {
    withRedis = await eventFaults(restarts, () => new RedisEventDeduper(redis, prefix, 3600, leaseMs), leaseMs);
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
  const embedded = await eventFaults(restarts, (dir) => new SqliteEventDeduper(join(dir, 'events.sqlite'), { leaseMs }), leaseMs);
  const malformed = await malformedFaults(Number(values.bodies ?? 1000));
  const out = { alerts, events: { redis: withRedis, embedded }, malformed, seconds: Math.round((performance.now() - t0) / 100) / 10 };
  process.stdout.write(values.json ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:faults: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
