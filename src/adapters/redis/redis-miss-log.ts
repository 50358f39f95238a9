import type { Redis } from 'ioredis';
import type { Miss, MissLog, MissRecord } from '../../ports/miss-log';

export interface RedisMissLogOptions {
  /** An open client; `close` quits it only when `ownsClient`. */
  client: Redis;
  ownsClient?: boolean;
  /** Key prefix (`nansen:misses`); tests pass a unique one. */
  prefix: string;
  /** How many misses are kept, the oldest dropped first (default 100 000). */
  max?: number;
}

/** An entry: its place (`r…` written here, `l…` moved from a local log), then the miss. */
type Entry = { id: string } & Miss;

/**
 * Missed questions in Redis, shared by every bot process, the terminal and the CLI: one sorted set scored by the
 * time asked. A member starts with its zero-padded sequence number, so misses asked in the same millisecond come
 * back newest first, as the SQLite log gives them. The newest `max` are kept.
 */
export class RedisMissLog implements MissLog {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly key: string;
  private readonly max: number;

  constructor(options: RedisMissLogOptions) {
    this.redis = options.client;
    this.owned = options.ownsClient ?? false;
    this.key = `${options.prefix}:log`;
    this.max = options.max ?? 100_000;
  }

  async record(m: Miss): Promise<void> {
    const seq = await this.redis.incr(`${this.key}:seq`);
    await this.add(`r${String(seq).padStart(12, '0')}`, m, false);
  }

  async recent(options: { limit?: number; since?: string } = {}): Promise<Miss[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 10_000));
    const since = options.since ? Date.parse(options.since) : NaN;
    const members = await this.redis.zrevrangebyscore(this.key, '+inf', Number.isFinite(since) ? String(since) : '-inf', 'LIMIT', 0, limit);
    return members.map((doc) => {
      const { id: _id, ...miss } = JSON.parse(doc) as Entry;
      return miss;
    });
  }

  /** Adds a miss of a local log (`SqliteMissLog.exportRecords`) unless it was moved already; true when it wrote. */
  async importRecord(rec: MissRecord): Promise<boolean> {
    return this.add(`l${String(rec.id).padStart(12, '0')}`, rec.miss, true);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async add(id: string, m: Miss, onlyNew: boolean): Promise<boolean> {
    const at = Date.parse(m.at);
    const entry: Entry = { id, ...m };
    const score = Number.isFinite(at) ? at : 0;
    const member = JSON.stringify(entry);
    const add = onlyNew ? this.redis.multi().zadd(this.key, 'NX', score, member) : this.redis.multi().zadd(this.key, score, member);
    const res = await add.zremrangebyrank(this.key, 0, -(this.max + 1)).exec();
    const [err, added] = res?.[0] ?? [new Error('redis transaction aborted'), 0];
    if (err) throw err;
    return Number(added) === 1;
  }
}
