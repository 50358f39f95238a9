/** A held lock on one source. `lost` aborts when the lock could not be kept; the crawl must stop then. */
export interface SourceLease {
  /** Aborts when the lock could not be kept. */
  readonly lost: AbortSignal;
  /** Gives the lock back (only if it is still ours). */
  release(): Promise<void>;
}

/**
 * At most one crawl of a source at a time, across every worker process. Scheduled and manual crawls of the same
 * source, or a job BullMQ hands out again after a long Redis outage, meet here.
 */
export interface SourceLocks {
  /**
   * Takes the source's lock for `holder` (a job id), or returns who holds it. A lock already held by the same
   * holder is *not* re-entered: that is a second run of the same job.
   */
  acquire(sourceId: string, holder: string): Promise<{ lease: SourceLease } | { heldBy: string }>;
}
