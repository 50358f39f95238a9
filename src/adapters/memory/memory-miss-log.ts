import type { Miss, MissLog } from '../../ports/miss-log';

/** Missed questions in the process (tests, the terminal chat without a data dir): the newest `max` kept. */
export class MemoryMissLog implements MissLog {
  private readonly misses: Miss[] = [];
  constructor(private readonly max = 10_000) {}

  async record(m: Miss): Promise<void> {
    this.misses.push({ ...m, offered: [...m.offered] });
    if (this.misses.length > this.max) this.misses.splice(0, this.misses.length - this.max);
  }

  async recent(options: { limit?: number; since?: string } = {}): Promise<Miss[]> {
    const limit = Math.max(1, options.limit ?? 50);
    return this.misses
      .filter((m) => !options.since || m.at >= options.since)
      .slice()
      .reverse()
      .slice(0, limit)
      .map((m) => ({ ...m, offered: [...m.offered] }));
  }

  async close(): Promise<void> {}
}
