import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A server's answer to a POST: its status and its body as text. */
export interface PostReply {
  status: number;
  ok: boolean;
  text: string;
}

/** TLS connections are kept open between requests: a handshake costs more than the request. */
const httpsAgent = new HttpsAgent({ keepAlive: true });

/**
 * POSTs a JSON body and reads the whole reply. Rejects on a network failure or when `signal` aborts; any HTTP status
 * resolves. `onSent` is called once the request has been written, so a caller can do synchronous work while the
 * server computes (`fetch` tells no such moment, and writes its body a few event-loop turns after the call).
 *
 * Plain HTTP (a model server beside the bot) opens a connection per request: connecting over loopback costs a
 * fraction of a millisecond, where a kept-alive connection to a server that writes its headers and its body apart
 * (Python's `http.server`) stalls each reply by the 40 ms of TCP's delayed acknowledgement.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, options: { signal: AbortSignal; onSent?: () => void }): Promise<PostReply> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent: secure ? httpsAgent : false,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        signal: options.signal,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(body, () => options.onSent?.());
  });
}
