import type Redis from 'ioredis';
import type { TableSubscription, UserStateRecord, UserStateStore } from '../../ports/user-state-store';
import type { SubscriptionLanguage } from '../../ports/alert-store';
import type { ThreadContext, ThreadContextStore } from '../../ports/thread-context-store';
import { EVENT_LEASE_MS, EVENT_RETENTION_MS, type EventDeduper, type EventRecord } from '../../ports/event-deduper';

/** Thread memory in Redis: survives restarts and is shared by every bot process. */
export class RedisThreadContextStore implements ThreadContextStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {}

  async get(key: string): Promise<ThreadContext | undefined> {
    const raw = await this.redis.get(`${this.prefix}thread:${key}`);
    return raw ? (JSON.parse(raw) as ThreadContext) : undefined;
  }

  async set(key: string, context: ThreadContext): Promise<void> {
    await this.redis.set(`${this.prefix}thread:${key}`, JSON.stringify(context), 'EX', this.ttlSeconds);
  }

  async close(): Promise<void> {}
}

/** `SET key 1 NX EX ttl`: of any number of deliveries of one event, across processes and restarts, one wins. */
export class RedisEventDeduper implements EventDeduper {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = EVENT_RETENTION_MS / 1000,
    private readonly leaseMs = EVENT_LEASE_MS,
  ) {}

  async claim(id: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}event:${id}`, 'answering', 'PX', this.leaseMs, 'NX')) === 'OK';
  }

  async complete(id: string): Promise<void> {
    await this.redis.set(`${this.prefix}event:${id}`, 'done', 'EX', this.ttlSeconds);
  }

  /**
   * Remembers an event a local deduper knew (`SqliteEventDeduper.exportRecords`) until the same time, unless Redis
   * knows the event already; true when it wrote. An event already forgotten is not written.
   */
  async importRecord(rec: EventRecord, now = Date.now()): Promise<boolean> {
    const ms = rec.until - now;
    if (ms <= 0) return false;
    return (await this.redis.set(`${this.prefix}event:${rec.id}`, rec.state, 'PX', ms, 'NX')) === 'OK';
  }

  async close(): Promise<void> {}
}

const TOGGLE_BOOKMARK = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1`;

const TOGGLE_SUBSCRIPTION = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[2])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1`;

// KEYS: the person's subscriptions, the table's. ARGV: table key, user, doc.
const IMPORT_SUBSCRIPTION = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1`;

/**
 * Bookmarks (a sorted set per person, newest first), subscriptions (a hash per person and one per table, kept
 * together by a script so both sides change atomically), readable by the alert workers, who was welcomed, and the
 * language of each person's latest question.
 */
export class RedisUserStateStore implements UserStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async bookmarks(user: string): Promise<string[]> {
    return this.redis.zrevrange(`${this.prefix}bookmarks:${user}`, 0, -1);
  }

  async toggleBookmark(user: string, tableKey: string): Promise<boolean> {
    return (await this.redis.eval(TOGGLE_BOOKMARK, 1, `${this.prefix}bookmarks:${user}`, tableKey, Date.now())) === 1;
  }

  async subscriptionsOf(user: string): Promise<TableSubscription[]> {
    return parseSubs(await this.redis.hvals(`${this.prefix}subs:user:${user}`)).sort((a, b) => b.at.localeCompare(a.at));
  }

  async subscribersOf(tableKey: string): Promise<TableSubscription[]> {
    return parseSubs(await this.redis.hvals(`${this.prefix}subs:table:${tableKey}`)).sort((a, b) => a.user.localeCompare(b.user));
  }

  async toggleSubscription(sub: Omit<TableSubscription, 'at'>, at: string): Promise<boolean> {
    const doc = subscriptionDoc({ ...sub, at });
    const added = await this.redis.eval(TOGGLE_SUBSCRIPTION, 2, `${this.prefix}subs:user:${sub.user}`, `${this.prefix}subs:table:${sub.tableKey}`, sub.tableKey, sub.user, doc);
    return added === 1;
  }

  /** `SET welcomed:<user> <at> NX`: one welcome per person, whichever replica sees the tab opened first. */
  async markWelcomed(user: string, at: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}welcomed:${user}`, at, 'NX')) === 'OK';
  }

  /** `question-lang:<user>`: `<language> <at>`, replaced by each newer question. */
  async recordQuestionLanguage(user: string, language: SubscriptionLanguage, at: string): Promise<void> {
    await this.redis.set(`${this.prefix}question-lang:${user}`, `${language} ${at}`);
  }

  async questionLanguage(user: string): Promise<SubscriptionLanguage | undefined> {
    return asLanguage((await this.redis.get(`${this.prefix}question-lang:${user}`))?.split(' ')[0]);
  }

  /**
   * Writes one record of a local store (`SqliteUserStateStore.exportRecords`) unless Redis has that bookmark or
   * subscription already; true when it wrote. A bookmark's `order` becomes its rank below every bookmark made in
   * Redis (whose ranks are times), so a person's list keeps its order and the new ones stay on top.
   */
  async importRecord(rec: UserStateRecord): Promise<boolean> {
    if (rec.kind === 'bookmark') return (await this.redis.zadd(`${this.prefix}bookmarks:${rec.user}`, 'NX', rec.order, rec.tableKey)) === 1;
    if (rec.kind === 'welcomed') return this.markWelcomed(rec.user, rec.at);
    // a language Redis has is newer than the local file's: it was recorded after the move began
    if (rec.kind === 'question_language') return (await this.redis.set(`${this.prefix}question-lang:${rec.user}`, `${rec.language} ${rec.at}`, 'NX')) === 'OK';
    const s = rec.subscription;
    const doc = subscriptionDoc(s);
    return (await this.redis.eval(IMPORT_SUBSCRIPTION, 2, `${this.prefix}subs:user:${s.user}`, `${this.prefix}subs:table:${s.tableKey}`, s.tableKey, s.user, doc)) === 1;
  }

  async close(): Promise<void> {}
}

function subscriptionDoc(s: TableSubscription): string {
  return JSON.stringify({ tableKey: s.tableKey, user: s.user, channel: s.channel, at: s.at, ...(s.language ? { language: s.language } : {}) });
}

function asLanguage(value: unknown): SubscriptionLanguage | undefined {
  return value === 'en' || value === 'ko' ? value : undefined;
}

/** Subscription docs as subscriptions; one written before languages were kept has none. */
function parseSubs(values: string[]): TableSubscription[] {
  return values.map((v) => {
    const { language, ...sub } = JSON.parse(v) as TableSubscription;
    const known = asLanguage(language);
    return { ...sub, ...(known ? { language: known } : {}) };
  });
}
