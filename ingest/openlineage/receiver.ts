import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';
import type { Logger } from '../../src/log/logger';
import type { IntakeResult } from './apply';
import type { RunEvent } from './types';
import type { OpenLineageValidator } from './validate';

/** The path OpenLineage's HTTP transport posts to by default. */
export const LINEAGE_PATH = '/api/v1/lineage';

export interface ReceiverOptions {
  /** API keys accepted as `Authorization: Bearer <key>` (the HTTP transport's `api_key` auth). */
  apiKeys: string[];
  /** The largest body taken, after decompression; larger is 413. */
  maxBytes: number;
  validator: OpenLineageValidator;
  /** Applies one valid RunEvent (`applyRunEvent` bound to its stores). */
  intake: (event: RunEvent) => Promise<IntakeResult>;
  log: Logger;
}

class TooLarge extends Error {}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Whether the request carries one of the keys; compared as digests in constant time. */
export function hasApiKey(req: Pick<IncomingMessage, 'headers'>, keys: string[]): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const got = digest(m[1]!);
  return keys.reduce((ok, k) => timingSafeEqual(got, digest(k)) || ok, false);
}

function send(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Bearer realm="nansen-openlineage"' } : {}) }).end(JSON.stringify(body));
}

/** Reads the body (gunzipped when `content-encoding: gzip`) up to `max` bytes, else throws `TooLarge`. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new TooLarge());
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding && encoding !== 'identity' && encoding !== 'gzip') return Promise.reject(new Error(`unsupported content-encoding ${encoding}`));
  const source: NodeJS.ReadableStream = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        source.removeAllListeners('data');
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    source.on('end', () => resolve(Buffer.concat(chunks)));
    source.on('error', reject);
  });
}

/**
 * The OpenLineage receiver's request handler: `POST /api/v1/lineage` with one event. Checks, in order and before
 * anything is written: the API key (401), the size (413), JSON and the spec's schema (400 with the reasons). A valid
 * RunEvent is applied (200 with what it did, `duplicate` for a runId + eventType seen before); a valid DatasetEvent or
 * JobEvent is acknowledged and not used (200, `ignored`); a failure while applying is 500, for the client to retry.
 */
export function lineageHandler(options: ReceiverOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
      if (path === '/health' && req.method === 'GET') return send(res, 200, { ok: true });
      if (path !== LINEAGE_PATH) return send(res, 404, { error: `not found; events go to POST ${LINEAGE_PATH}` });
      if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
      if (!hasApiKey(req, options.apiKeys)) return send(res, 401, { error: 'missing or unknown API key: send Authorization: Bearer <key>' });
      let body: Buffer;
      try {
        body = await readBody(req, options.maxBytes);
      } catch (e) {
        if (e instanceof TooLarge) {
          res.setHeader('connection', 'close');
          send(res, 413, { error: `the event is larger than ${options.maxBytes} bytes` });
          req.resume();
          return;
        }
        return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch (e) {
        return send(res, 400, { error: 'the body is not JSON', reasons: [(e as Error).message] });
      }
      const v = options.validator.validate(json);
      if (v.kind === 'invalid') return send(res, 400, { error: 'not a valid OpenLineage event', reasons: v.reasons });
      if (v.kind === 'other') return send(res, 200, { status: 'ignored', reason: `${v.what}s are not used` });
      try {
        send(res, 200, await options.intake(v.event));
      } catch (err) {
        options.log.error({ err, runId: v.event.run.runId, eventType: v.event.eventType }, 'openlineage event failed');
        send(res, 500, { error: 'the event could not be applied; retry it' });
      }
    })().catch((err: unknown) => {
      options.log.error({ err }, 'openlineage request failed');
      send(res, 500, { error: 'internal error' });
    });
  };
}

export interface RunningReceiver {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens with the handler on host:port (0: a free port). */
export async function startReceiver(handler: (req: IncomingMessage, res: ServerResponse) => void, options: { host: string; port: number }): Promise<RunningReceiver> {
  const server = createServer(handler);
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
