/**
 * A guard in front of Bolt's HTTPReceiver: Bolt reads `body.ssl_check` from whatever the body parses to, so a
 * signed JSON `null` (or `payload=null`, a number, an array) throws outside every handler and takes the process
 * down. The guard reads the body first and answers 400 to anything that is not a JSON object, so Bolt only ever
 * sees the shapes it was written for. The body is left buffered on the request, which Bolt then reuses.
 * It also refuses a request timestamp more than 5 minutes away in either direction: Bolt checks only the past,
 * so a signature captured with a future timestamp could be replayed for as long as that timestamp lay ahead.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../log/logger';

/** Whether a raw request body parses to what Bolt expects: a JSON object, or a form whose `payload` (if any) is one. */
export function isWellFormedBody(raw: string, contentType: string | undefined): boolean {
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  try {
    if ((contentType ?? '').split(';')[0]!.trim() === 'application/x-www-form-urlencoded') {
      const form = parseQuery(raw);
      if (form.payload === undefined) return true;
      return typeof form.payload === 'string' && isObject(JSON.parse(form.payload));
    }
    return isObject(JSON.parse(raw));
  } catch {
    return false;
  }
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/** Slack's limit on the distance between a request's timestamp and now, either way. */
export const MAX_SKEW_SECONDS = 300;

/** Whether a request timestamp (seconds) lies within `MAX_SKEW_SECONDS` of now, in the past or in the future. */
export function isFreshTimestamp(header: string | undefined, nowMs: number): boolean {
  const ts = Number(header);
  if (!header || !Number.isFinite(ts)) return false;
  return Math.abs(nowMs / 1000 - ts) <= MAX_SKEW_SECONDS;
}

export interface ReceiverGuardOptions {
  bodyLimit?: number;
  now?: () => number;
}

/** Puts the guard in front of the receiver's request listener (before `start()`). */
export function guardReceiver(receiver: HTTPReceiver, log: Logger, options: ReceiverGuardOptions = {}): void {
  const bodyLimit = options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit;
  const now = options.now ?? (() => Date.now());
  const inner: RequestListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      inner(req, res);
      return;
    }
    const stamp = req.headers['x-slack-request-timestamp'];
    // Without a signature Bolt refuses the request itself (or answers an ssl_check, which needs none).
    if (req.headers['x-slack-signature'] !== undefined && !isFreshTimestamp(Array.isArray(stamp) ? stamp[0] : stamp, now())) {
      log.warn({ reason: 'timestamp_skew', timestamp: String(stamp).slice(0, 20) }, 'slack request refused');
      req.resume();
      answer(res, 401);
      return;
    }
    void (async () => {
      let buffered: IncomingMessage & { rawBody: Buffer };
      try {
        buffered = (await HTTPModuleFunctions.bufferIncomingMessage(req, bodyLimit)) as IncomingMessage & { rawBody: Buffer };
      } catch (err) {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && (err as { statusCode?: number }).statusCode === 413;
        log.warn({ reason: tooLarge ? 'too_large' : 'unreadable' }, 'slack request refused');
        answer(res, tooLarge ? 413 : 400);
        return;
      }
      const type = req.headers['content-type'];
      if (!isWellFormedBody(buffered.rawBody.toString('utf8'), Array.isArray(type) ? type[0] : type)) {
        log.warn({ reason: 'malformed', bytes: buffered.rawBody.length }, 'slack request refused');
        answer(res, 400);
        return;
      }
      inner(buffered, res);
    })().catch((err: unknown) => {
      log.error({ err }, 'slack request failed before it reached Bolt');
      answer(res, 500);
    });
  };
}
