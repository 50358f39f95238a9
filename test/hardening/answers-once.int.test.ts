/**
 * Issue 11 item 6: an event is done when its answer is posted, not when it is received. With Redis, a bot killed
 * between ack and reply no longer loses the answer (the redelivery after the short lease is answered); without
 * Redis, de-duplication lives in the embedded state file, so restarts never answer one event twice.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { SqliteEventDeduper } from '../../src/adapters/embedded/sqlite-event-deduper';
import { RedisEventDeduper } from '../../src/adapters/redis/redis-chat-state';
import type { EventDeduper } from '../../src/ports/event-deduper';
import * as P from '../../tools/fake-slack/payloads';
import { type Harness, startHarness } from '../slack/harness';

/**
 * Starts a process that claims `claimed` and claims and completes `done` in `file` (a `SqliteEventDeduper`), then
 * kills it with SIGKILL as soon as it says both resolved, before it could close the file or checkpoint the WAL.
 */
async function claimThenKill(file: string, claimed: string, done: string): Promise<void> {
  const root = join(__dirname, '..', '..');
  const script = `
    const { SqliteEventDeduper } = require(${JSON.stringify(join(root, 'src/adapters/embedded/sqlite-event-deduper.ts'))});
    const d = new SqliteEventDeduper(${JSON.stringify(file)});
    (async () => {
      const a = await d.claim(${JSON.stringify(claimed)});
      const b = await d.claim(${JSON.stringify(done)});
      await d.complete(${JSON.stringify(done)});
      process.stdout.write('resolved ' + a + ' ' + b + '\\n');
      setInterval(() => undefined, 1000);
    })();`;
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) {
        child.kill('SIGKILL');
        resolve(out.trim());
      }
    });
    void exited.then(() => reject(new Error(`the claiming process exited first: ${stderr}`)));
  });
  expect(line).toBe('resolved true true');
  expect(await exited).toBe('SIGKILL');
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function answersIn(h: Harness, ts: string, wait = 400): Promise<number> {
  await sleep(wait);
  return h.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts).length;
}

describe('with Redis: a kill between ack and reply', () => {
  let redis: Redis;
  const prefix = `nansen-test:${randomBytes(6).toString('hex')}:`;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('the redelivery after the lease is answered, once', async () => {
    const dedupe = (): EventDeduper => new RedisEventDeduper(redis, prefix, 3600, 800);
    // The first bot acks and then hangs in the answer: as good as killed there.
    const dead = await startHarness({ dedupe: dedupe(), answer: () => new Promise(() => undefined) });
    const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0LEASE01' });
    const envelope = P.eventCallback(mention);
    expect((await dead.event(envelope)).status).toBe(200);
    await sleep(100);
    await dead.close();

    const next = await startHarness({ dedupe: dedupe() });
    try {
      // Within the lease the redelivery is still someone's.
      await next.event(envelope, { num: 1, reason: 'http_timeout' });
      expect(await answersIn(next, mention.ts as string, 200)).toBe(0);
      await sleep(800);
      await next.event(envelope, { num: 2, reason: 'http_timeout' });
      await next.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
      // Done now: a later redelivery is dropped.
      await next.event(envelope, { num: 3, reason: 'http_timeout' });
      expect(await answersIn(next, mention.ts as string)).toBe(1);
    } finally {
      await next.close();
    }
  });
});

describe('without Redis: de-duplication kept in the embedded state file', () => {
  it('one event delivered to 3 restarts of the bot is answered once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-events-'));
    const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0LOCAL01' });
    const envelope = P.eventCallback(mention);
    let answered = 0;
    try {
      for (let restart = 0; restart < 3; restart++) {
        const dedupe = new SqliteEventDeduper(join(dir, 'events.sqlite'));
        const h = await startHarness({ dedupe });
        try {
          await h.event(envelope, restart ? { num: restart, reason: 'http_timeout' } : undefined);
          if (!restart) await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
          answered += await answersIn(h, mention.ts as string);
        } finally {
          await h.close();
          await dedupe.close();
        }
      }
      expect(answered).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a claim and a completion that resolved survive SIGKILL of the process right after (synchronous=NORMAL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-events-'));
    const file = join(dir, 'events.sqlite');
    try {
      await claimThenKill(file, 'EvLeased', 'EvDone');
      const next = new SqliteEventDeduper(file);
      // the killed process's lease still holds its event, and its completed one stays done
      expect(await next.claim('EvLeased')).toBe(false);
      expect(await next.claim('EvDone')).toBe(false);
      expect(await next.claim('EvNew')).toBe(true);
      await next.close();
      // after the lease lapses, only the leased event is claimable again
      const later = new SqliteEventDeduper(file, { now: () => Date.now() + 60_000 });
      expect(await later.claim('EvLeased')).toBe(true);
      expect(await later.claim('EvDone')).toBe(false);
      await later.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two connections to one file (two bots): each id is claimed by one of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-events-'));
    try {
      const a = new SqliteEventDeduper(join(dir, 'events.sqlite'));
      const b = new SqliteEventDeduper(join(dir, 'events.sqlite'));
      const ids = Array.from({ length: 50 }, (_, i) => `EvTwo${i}`);
      const won = await Promise.all(ids.map(async (id, i) => [await (i % 2 ? a : b).claim(id), await (i % 2 ? b : a).claim(id)]));
      expect(won.every(([first, second]) => first === true && second === false)).toBe(true);
      await a.complete('EvTwo0');
      expect(await b.claim('EvTwo0')).toBe(false);
      await Promise.all([a.close(), b.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a lease lapses after a crash; a done event stays done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-events-'));
    let now = 1_000_000;
    try {
      const a = new SqliteEventDeduper(join(dir, 'events.sqlite'), { leaseMs: 1000, now: () => now });
      expect(await a.claim('Ev1')).toBe(true);
      expect(await a.claim('Ev1')).toBe(false);
      await a.close();
      now += 1001;
      const b = new SqliteEventDeduper(join(dir, 'events.sqlite'), { leaseMs: 1000, now: () => now });
      expect(await b.claim('Ev1')).toBe(true);
      await b.complete('Ev1');
      now += 3_600_000;
      expect(await b.claim('Ev1')).toBe(false);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
