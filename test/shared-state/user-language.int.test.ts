import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import { RedisUserStateStore } from '../../src/adapters/redis/redis-chat-state';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
const SESSIONS = 'hive://gold.game_log/sessions';

/** The shared user state keeps what the owners' DMs and people's own subscriptions are written in (issue 12 item 7). */
describe('languages in the Redis user state', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    prefix = `nansen-test:${randomBytes(6).toString('hex')}:`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('a table subscription keeps its language; a doc written before languages has none', async () => {
    const s = new RedisUserStateStore(redis, prefix);
    await s.toggleSubscription({ user: 'U1', tableKey: SESSIONS, channel: 'U1', language: 'ko' }, '2026-11-24T09:00:00Z');
    // as the bot wrote it before subscriptions kept a language
    const oldDoc = JSON.stringify({ tableKey: SESSIONS, user: 'U2', channel: 'U2', at: '2026-10-01T00:00:00Z' });
    await redis.hset(`${prefix}subs:user:U2`, SESSIONS, oldDoc);
    await redis.hset(`${prefix}subs:table:${SESSIONS}`, 'U2', oldDoc);
    expect(await s.subscribersOf(SESSIONS)).toEqual([
      { tableKey: SESSIONS, user: 'U1', channel: 'U1', at: '2026-11-24T09:00:00Z', language: 'ko' },
      { tableKey: SESSIONS, user: 'U2', channel: 'U2', at: '2026-10-01T00:00:00Z' },
    ]);
    expect((await s.subscriptionsOf('U1'))[0]!.language).toBe('ko');
  });

  it('the latest question’s language, seen by every replica; migrate-state moves local ones without overwriting newer', async () => {
    const bot = new RedisUserStateStore(redis, prefix);
    const worker = new RedisUserStateStore(redis, prefix);
    expect(await worker.questionLanguage('U1')).toBeUndefined();
    await bot.recordQuestionLanguage('U1', 'ko', '2026-11-24T09:00:00Z');
    expect(await worker.questionLanguage('U1')).toBe('ko');
    await bot.recordQuestionLanguage('U1', 'en', '2026-11-24T09:01:00Z');
    expect(await worker.questionLanguage('U1')).toBe('en');

    const local = new SqliteUserStateStore(':memory:');
    await local.recordQuestionLanguage('U1', 'ko', '2026-11-20T00:00:00Z');
    await local.recordQuestionLanguage('U9', 'ko', '2026-11-20T00:00:00Z');
    await local.toggleSubscription({ user: 'U9', tableKey: SESSIONS, channel: 'U9', language: 'ko' }, '2026-11-20T00:00:00Z');
    const records = local.exportRecords().filter((r) => r.kind === 'question_language' || r.kind === 'table_subscription');
    expect(await Promise.all(records.map((r) => worker.importRecord(r)))).toEqual([true, false, true]);
    expect([await bot.questionLanguage('U1'), await bot.questionLanguage('U9')]).toEqual(['en', 'ko']);
    expect((await bot.subscriptionsOf('U9'))[0]!.language).toBe('ko');
    await local.close();
  });
});
