import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SourceLease, SourceLocks } from '../../ports/source-locks';

/** Renews the lock if it is still ours, or takes it again if it expired and nobody took it meanwhile. */
const RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); return 1 end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisSourceLocksOptions {
  /** Key prefix (default `nansen`); the lock of a source is `{prefix}:crawl-lock:{source}`. */
  prefix?: string;
  /** How long a lock lives without renewal (default 60 s); it is renewed every third of that. */
  ttlMs?: number;
  onError?: (err: unknown, sourceId: string) => void;
}

/**
 * Leases in Redis: `SET NX PX` with a token, renewed while the crawl runs, released by compare-and-delete. When
 * Redis is unreachable the renewal waits for it; if the lease expired meanwhile and somebody else took it, the
 * lease is lost and `lost` aborts.
 */
export class RedisSourceLocks implements SourceLocks {
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisSourceLocksOptions = {},
  ) {
    this.prefix = options.prefix ?? 'nansen';
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  key(sourceId: string): string {
    return `${this.prefix}:crawl-lock:${sourceId}`;
  }

  async acquire(sourceId: string, holder: string): Promise<{ lease: SourceLease } | { heldBy: string }> {
    const key = this.key(sourceId);
    const token = `${holder}|${randomUUID()}`;
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') {
      const current = await this.redis.get(key);
      if (current === null) return this.acquire(sourceId, holder);
      return { heldBy: current.slice(0, current.lastIndexOf('|')) };
    }
    const lost = new AbortController();
    let released = false;
    let timer: NodeJS.Timeout | undefined;
    let renewing: Promise<void> = Promise.resolve();
    const renew = async (): Promise<void> => {
      try {
        const r = (await this.redis.eval(RENEW, 1, key, token, String(this.ttlMs))) as number;
        if (r !== 1 && !released) lost.abort(new Error(`lost the crawl lock of ${sourceId}`));
      } catch (err) {
        this.options.onError?.(err, sourceId);
      }
    };
    const schedule = (): void => {
      timer = setTimeout(() => {
        renewing = renew().then(() => {
          if (!released && !lost.signal.aborted) schedule();
        });
      }, this.ttlMs / 3);
      timer.unref();
    };
    schedule();
    return {
      lease: {
        lost: lost.signal,
        release: async () => {
          released = true;
          clearTimeout(timer);
          await renewing;
          await this.redis.eval(RELEASE, 1, key, token);
        },
      },
    };
  }
}
