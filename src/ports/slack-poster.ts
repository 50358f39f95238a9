import type { IsoTime } from '../domain/model';

/** `event_type` of the metadata every alert message carries; its payload holds the delivery key. */
export const ALERT_METADATA_TYPE = 'nansen_schema_alert';

/** A message as the delivery hands it to Slack. */
export interface OutgoingMessage {
  /** A channel id, or a user id for a direct message from the app. */
  channel: string;
  text: string;
  /** Block Kit blocks, passed to Slack as they are. */
  blocks: readonly object[];
  /** Written into the message's metadata so a later attempt can find it. */
  deliveryKey: string;
}

/**
 * What alert delivery needs of Slack.
 *
 * Contract: `postMessage` resolves with where Slack put the message, or rejects with a `SlackRateLimitedError`
 * (nothing was posted) or a `SlackDeliveryError` (which says whether retrying can help and whether the message
 * may have been posted anyway); it writes `deliveryKey` into the message's metadata (`ALERT_METADATA_TYPE`), which
 * is what `findPosted` looks for.
 */
export interface SlackPoster {
  /** Posts a message; where Slack put it, or one of the errors below. */
  postMessage(message: OutgoingMessage): Promise<{ channel: string; ts: string }>;
  /**
   * Looks in the channel's history since `since` for a message carrying this delivery key. Answers the message,
   * `null` when it is certainly not there, or `undefined` when it cannot tell (no history access).
   */
  findPosted(channel: string, deliveryKey: string, since: IsoTime): Promise<{ channel: string; ts: string } | null | undefined>;
}

/** Slack said 429: nothing was posted; try again after `retryAfterMs`. */
export class SlackRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Slack rate limited the call; retry after ${retryAfterMs} ms`);
    this.name = 'SlackRateLimitedError';
  }
}

/**
 * A Slack failure. `permanent` ones (channel_not_found, not_in_channel, invalid_blocks, invalid_auth, ...) will not
 * get better by retrying; transient ones will. `maybeSent` is true when Slack may have posted the message anyway
 * (a timeout, a dropped connection, a 5xx, `internal_error`).
 */
export class SlackDeliveryError extends Error {
  constructor(
    readonly code: string,
    readonly permanent: boolean,
    readonly maybeSent: boolean,
    cause?: unknown,
  ) {
    super(`Slack delivery failed: ${code}`, { cause });
    this.name = 'SlackDeliveryError';
  }
}

/** Any failure of a poster as one of the two contract errors: an unexpected one may have posted the message. */
export function asSlackError(err: unknown): SlackRateLimitedError | SlackDeliveryError {
  if (err instanceof SlackRateLimitedError || err instanceof SlackDeliveryError) return err;
  return new SlackDeliveryError(err instanceof Error ? err.name : 'unknown_error', false, true, err);
}
