/**
 * Makes each Events API delivery answered once, across retries and restarts. An event is *done* when its answer
 * was posted, not when it was received: `claim` takes a short in-progress lease, `complete` makes it final. A
 * process that dies between the two leaves only the lease, so Slack's redelivery after it lapses is answered.
 *
 * Contract: `claim` is atomic: of concurrent claims of one id, exactly one gets `true` while its lease is live; a
 * completed id is never claimed again within the retention window (24 h).
 */
export interface EventDeduper {
  /** True when the caller may answer the event now: nobody answered it and no live lease holds it. */
  claim(id: string): Promise<boolean>;
  /** The event was answered (or told why not): final. */
  complete(id: string): Promise<void>;
  /** Releases the deduper's connection. */
  close(): Promise<void>;
}

/** An event the deduper remembers, as it is moved to the shared store: `until` (ms since the epoch) is when it is forgotten. */
export interface EventRecord {
  id: string;
  state: 'answering' | 'done';
  until: number;
}

/** How long an answer in progress holds its event (Slack redelivers after 1 and 5 minutes). */
export const EVENT_LEASE_MS = 45_000;
/** How long a done event is remembered. */
export const EVENT_RETENTION_MS = 24 * 3_600_000;
