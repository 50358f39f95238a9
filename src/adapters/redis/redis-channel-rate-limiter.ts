import type { Redis } from 'ioredis';
import type { ChannelRateLimiter } from '../../ports/channel-rate-limiter';

const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free > now then return free - now end
redis.call('SET', KEYS[1], tostring(now + tonumber(ARGV[1])), 'PX', tonumber(ARGV[1]) + 60000)
return 0
`;

const PENALIZE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < until_ then redis.call('SET', KEYS[1], tostring(until_), 'PX', tonumber(ARGV[1]) + 60000) end
return 0
`;

/** Across workers: each channel's next free time in Redis, taken atomically on Redis's clock. */
export class RedisChannelRateLimiter implements ChannelRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix?: string; intervalMs?: number } = {},
  ) {}

  private key(channel: string): string {
    return `${this.options.prefix ?? 'nansen:alerts'}:rl:${channel}`;
  }

  async acquire(channel: string): Promise<number> {
    return Number(await this.redis.eval(ACQUIRE, 1, this.key(channel), String(this.options.intervalMs ?? 1100)));
  }

  async penalize(channel: string, ms: number): Promise<void> {
    await this.redis.eval(PENALIZE, 1, this.key(channel), String(Math.max(1, Math.ceil(ms))));
  }
}
