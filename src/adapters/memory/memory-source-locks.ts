import type { SourceLease, SourceLocks } from '../../ports/source-locks';

/** In one process (no Redis): a map. */
export class MemorySourceLocks implements SourceLocks {
  private readonly held = new Map<string, string>();

  async acquire(sourceId: string, holder: string): Promise<{ lease: SourceLease } | { heldBy: string }> {
    const current = this.held.get(sourceId);
    if (current !== undefined) return { heldBy: current };
    this.held.set(sourceId, holder);
    const lost = new AbortController();
    return {
      lease: {
        lost: lost.signal,
        release: async () => {
          if (this.held.get(sourceId) === holder) this.held.delete(sourceId);
        },
      },
    };
  }
}
