import type { ChannelRateLimiter } from '../../ports/channel-rate-limiter';

/** In one process (no Redis): a map of each channel's next free time. */
export class MemoryChannelRateLimiter implements ChannelRateLimiter {
  private readonly next = new Map<string, number>();

  constructor(
    private readonly intervalMs = 1100,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(channel: string): Promise<number> {
    const now = this.now();
    const free = this.next.get(channel) ?? 0;
    if (free > now) return free - now;
    this.next.set(channel, now + this.intervalMs);
    if (this.next.size > 10_000) for (const [k, v] of this.next) if (v < now) this.next.delete(k);
    return 0;
  }

  async penalize(channel: string, ms: number): Promise<void> {
    const until = this.now() + ms;
    if ((this.next.get(channel) ?? 0) < until) this.next.set(channel, until);
  }
}
