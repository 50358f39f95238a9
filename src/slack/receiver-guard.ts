/**
 * A guard in front of Bolt's HTTPReceiver: Bolt reads `body.ssl_check` from whatever the body parses to, so a
 * signed JSON `null` (or `payload=null`, a number, an array) throws outside every handler and takes the process
 * down. The guard reads the body first and answers 400 to anything that is not a JSON object, so Bolt only ever
 * sees the shapes it was written for. The body is left buffered on the request, which Bolt then reuses.
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

/** Puts the guard in front of the receiver's request listener (before `start()`). */
export function guardReceiver(receiver: HTTPReceiver, log: Logger, bodyLimit = HTTPModuleFunctions.defaultBodyLimit): void {
  const inner: RequestListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      inner(req, res);
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
