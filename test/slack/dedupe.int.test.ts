import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import { RedisEventDeduper, RedisThreadContextStore, RedisUserStateStore } from '../../src/adapters/redis/redis-chat-state';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, type Harness, SESSIONS, startHarness } from './harness';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';

describe('event de-duplication and thread memory in Redis (survive a restart)', () => {
  let redis: Redis;
  let prefix: string;
  const harnesses: Harness[] = [];

  beforeEach(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    prefix = `nansen-test:${randomBytes(6).toString('hex')}:`;
  });

  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const bot = async (): Promise<Harness> => {
    const h = await startHarness({ dedupe: new RedisEventDeduper(redis, prefix), threads: new RedisThreadContextStore(redis, prefix) });
    harnesses.push(h);
    return h;
  };

  it('of many concurrent claims of one event id exactly one wins', async () => {
    const d = new RedisEventDeduper(redis, prefix, 60);
    const results = await Promise.all(Array.from({ length: 25 }, () => d.claim('Ev-concurrent')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await redis.ttl(`${prefix}event:Ev-concurrent`)).toBeGreaterThan(0);
  });

  it('a retry delivered to a restarted bot is not answered again, and the thread’s context is still there', async () => {
    const first = await bot();
    const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0REDIS001' });
    const envelope = P.eventCallback(mention);
    await first.event(envelope);
    await first.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
    await first.close();
    harnesses.splice(harnesses.indexOf(first), 1);

    const second = await bot();
    await second.event(envelope, { num: 1, reason: 'http_timeout' });
    const follow = P.appMention({ text: 'is it hourly?', channel: 'C0REDIS001', threadTs: mention.ts as string });
    await second.event(P.eventCallback(follow));
    const answer = await second.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
    expect(blocksText(answer.args.blocks)).toContain(`kind=cadence table=${SESSIONS}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(second.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === mention.ts)).toHaveLength(1);
  });

  it('keeps bookmarks and subscriptions, toggled atomically', async () => {
    const s = new RedisUserStateStore(redis, prefix);
    expect(await s.toggleBookmark('U1', SESSIONS)).toBe(true);
    expect(await s.toggleBookmark('U1', 'hive://gold.dim/dim_user')).toBe(true);
    expect(await s.bookmarks('U1')).toEqual(['hive://gold.dim/dim_user', SESSIONS]);
    expect(await s.toggleBookmark('U1', SESSIONS)).toBe(false);
    expect(await s.toggleSubscription({ user: 'U1', tableKey: SESSIONS, channel: 'U1' }, '2026-11-24T09:00:00Z')).toBe(true);
    expect((await s.subscribersOf(SESSIONS)).map((x) => x.user)).toEqual(['U1']);
    expect(await s.toggleSubscription({ user: 'U1', tableKey: SESSIONS, channel: 'U1' }, '2026-11-24T09:00:00Z')).toBe(false);
    expect(await s.subscriptionsOf('U1')).toEqual([]);
  });

  it('welcomes a person once across replicas (SET NX), and a restarted bot does not welcome again', async () => {
    const replicas = [new RedisUserStateStore(redis, prefix), new RedisUserStateStore(redis, prefix)];
    const marks = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.markWelcomed('U0WELCOME1', '2026-11-24T09:00:00Z')));
    expect(marks.filter(Boolean)).toHaveLength(1);
    expect(await redis.get(`${prefix}welcomed:U0WELCOME1`)).toBe('2026-11-24T09:00:00Z');
    // `nansen migrate-state` moves the local welcomes: an imported one counts, one Redis has already does not
    const local = new SqliteUserStateStore(':memory:');
    await local.markWelcomed('U0WELCOME1', '2026-11-20T00:00:00Z');
    await local.markWelcomed('U0WELCOME9', '2026-11-20T00:00:00Z');
    const records = local.exportRecords().filter((r) => r.kind === 'welcomed');
    expect(records).toHaveLength(2);
    expect(await Promise.all(records.map((r) => replicas[0]!.importRecord(r)))).toEqual([false, true]);
    expect(await replicas[1]!.markWelcomed('U0WELCOME9', '2026-11-24T09:00:00Z')).toBe(false);
    await local.close();
    const first = await startHarness({ userState: new RedisUserStateStore(redis, prefix) });
    harnesses.push(first);
    await first.event(P.eventCallback(P.appHomeOpened('U0WELCOME2', 'messages')));
    await first.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0WELCOME2');
    const second = await startHarness({ userState: new RedisUserStateStore(redis, prefix) });
    harnesses.push(second);
    await second.event(P.eventCallback(P.appHomeOpened('U0WELCOME2', 'messages')));
    await new Promise((r) => setTimeout(r, 300));
    expect(second.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
