/**
 * Spaces messages to one channel: at most one per `intervalMs`, shared by every worker. Slack allows about one
 * `chat.postMessage` per second per channel and answers faster posts with 429.
 */
export interface ChannelRateLimiter {
  /** Takes the channel's next slot: 0 when it is taken now, else how long to wait before asking again. */
  acquire(channel: string): Promise<number>;
  /** Keeps the channel closed for `ms` (Slack's `Retry-After`). */
  penalize(channel: string, ms: number): Promise<void>;
}
