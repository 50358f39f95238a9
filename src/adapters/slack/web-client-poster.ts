import { ErrorCode, LogLevel, WebClient, type WebAPICallResult } from '@slack/web-api';
import type { IsoTime } from '../../domain/model';
import { outgoingMessage } from '../../text/mrkdwn';
import { ALERT_METADATA_TYPE, asSlackError, SlackDeliveryError, SlackRateLimitedError, type OutgoingMessage, type SlackPoster } from '../../ports/slack-poster';

/** Slack errors after which the message might have been posted (Slack's own words: "some aspect of the operation succeeded"). */
const MAYBE_SENT = new Set(['internal_error', 'fatal_error', 'service_unavailable']);
const TRANSIENT = new Set([...MAYBE_SENT, 'ratelimited', 'request_timeout', 'team_added_to_org']);
/** Network errors raised before the request reached the server. */
const NOT_SENT_NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED_BEFORE_SEND', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps an error of `@slack/web-api` to a rate-limit or a delivery error. */
export function toSlackError(err: unknown): SlackRateLimitedError | SlackDeliveryError {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: unknown };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return new SlackRateLimitedError(Math.max(1, e.retryAfter ?? 1) * 1000);
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return new SlackDeliveryError(code, !TRANSIENT.has(code), MAYBE_SENT.has(code), err);
    }
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      if (status === 429) return new SlackRateLimitedError(1000);
      return new SlackDeliveryError(`http_${status}`, status >= 400 && status < 500, status >= 500, err);
    }
    case ErrorCode.RequestError: {
      const net = networkCode(e.original) ?? 'request_error';
      return new SlackDeliveryError(net, false, !NOT_SENT_NETWORK.has(net), err);
    }
    default:
      return asSlackError(err);
  }
}

/** The first `code` along an error's `cause` chain (fetch puts the socket's error in `cause`). */
function networkCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export interface WebClientPosterOptions {
  token: string;
  /** Base URL of the Web API (`SLACK_API_URL`); tests point it at the fake Slack. */
  apiUrl?: string;
  /** Request timeout (default 10 s); keep it well under the delivery lease. */
  timeoutMs?: number;
  client?: WebClient;
}

/**
 * `SlackPoster` on `@slack/web-api`. The client neither retries nor waits out 429s itself: the delivery does,
 * through the queue, so a rate-limited channel does not hold a worker slot.
 */
export class WebClientPoster implements SlackPoster {
  readonly client: WebClient;
  private readonly dmChannels = new Map<string, string>();

  constructor(options: WebClientPosterOptions) {
    this.client =
      options.client ??
      new WebClient(options.token, {
        ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        timeout: options.timeoutMs ?? 10_000,
        // Failures are classified and logged by the delivery, once.
        logLevel: LogLevel.ERROR,
      });
  }

  async postMessage(m: OutgoingMessage): Promise<{ channel: string; ts: string }> {
    try {
      const out = outgoingMessage({ text: m.text, blocks: m.blocks });
      const r = (await this.client.chat.postMessage({
        channel: m.channel,
        text: out.text,
        blocks: out.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: ALERT_METADATA_TYPE, event_payload: { delivery_key: m.deliveryKey } },
      })) as WebAPICallResult & { channel?: string; ts?: string };
      if (!r.ts) throw new SlackDeliveryError('no_ts', false, true);
      return { channel: r.channel ?? m.channel, ts: r.ts };
    } catch (err) {
      throw toSlackError(err);
    }
  }

  async findPosted(channel: string, deliveryKey: string, since: IsoTime): Promise<{ channel: string; ts: string } | null | undefined> {
    try {
      let id = channel;
      if (/^[UW]/.test(channel)) {
        id = this.dmChannels.get(channel) ?? '';
        if (!id) {
          const opened = (await this.client.conversations.open({ users: channel })) as WebAPICallResult & { channel?: { id?: string } };
          id = opened.channel?.id ?? '';
          if (!id) return undefined;
          this.dmChannels.set(channel, id);
        }
      }
      const oldest = String(Math.floor(Date.parse(since) / 1000) - 60);
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const r = (await this.client.conversations.history({ channel: id, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) })) as WebAPICallResult & {
          messages?: Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: { delivery_key?: unknown } } }>;
          has_more?: boolean;
        };
        const hit = r.messages?.find((msg) => msg.metadata?.event_type === ALERT_METADATA_TYPE && msg.metadata.event_payload?.delivery_key === deliveryKey);
        if (hit?.ts) return { channel: id, ts: hit.ts };
        cursor = r.response_metadata?.next_cursor;
        if (!r.has_more || !cursor) return null;
      }
      return undefined;
    } catch {
      // No history access (missing scope, not in channel, a Slack without the method): cannot tell.
      return undefined;
    }
  }
}
