import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** Where Node's `fetch` (undici) publishes that a request's body has been written to its socket. */
const BODY_SENT = 'undici:request:bodySent';

/** The header that names a request, so that its publication can be told from other requests'. */
export const REQUEST_ID_HEADER = 'x-nansen-request';

let sequence = 0;

/** A name for one request, unique in this process. */
export function newRequestId(): string {
  return `${process.pid}.${++sequence}`;
}

/** Whether undici's headers (`[name, value, …]`, or one `name: value\r\n` string in older versions) name this request. */
function names(headers: unknown, id: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === REQUEST_ID_HEADER && String(headers[i + 1]) === id) return true;
    return false;
  }
  return typeof headers === 'string' && headers.toLowerCase().includes(`${REQUEST_ID_HEADER}: ${id}\r\n`);
}

/**
 * Calls `onSent` once `fetch` has written the request that carries `id` in `REQUEST_ID_HEADER` (`fetch` itself tells
 * no such moment, and writes the body a few event-loop turns after the call). Never called where the runtime does
 * not publish it. Returns a stop, for when the request ends first.
 */
export function whenSent(id: string, onSent: () => void): () => void {
  const listener = (message: unknown): void => {
    if (!names((message as { request?: { headers?: unknown } } | undefined)?.request?.headers, id)) return;
    stop();
    onSent();
  };
  const stop = (): void => void unsubscribe(BODY_SENT, listener);
  subscribe(BODY_SENT, listener);
  return stop;
}
