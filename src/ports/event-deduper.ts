/**
 * Remembers which deliveries were already handled, so a redelivered event (Slack retries after 3 s) is processed
 * once. `claim` is atomic: of concurrent claims of one id, exactly one gets `true`.
 */
export interface EventDeduper {
  /** True the first time an id is claimed (within the retention window), false ever after. */
  claim(id: string): Promise<boolean>;
  /** Releases the deduper's connection. */
  close(): Promise<void>;
}
