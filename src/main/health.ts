import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger';

/** One backend the process needs: `check` resolves when it answers, rejects (or times out) when it does not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

/** The health endpoints of a running process. */
export interface HealthServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** From now on `/readyz` answers 503 `stopping`, so a load balancer stops sending work while the process drains. */
  markStopping(): void;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  checks: ReadinessCheck[];
  logger: Logger;
  /** How long one check may take before it counts as failed (default 2 s). */
  timeoutMs?: number;
}

/** Runs every check, each bounded by `timeoutMs`; the names of those that failed, with why. */
export async function runChecks(checks: ReadinessCheck[], timeoutMs: number): Promise<Array<{ name: string; error: string }>> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return undefined;
      } catch (err) {
        return { name: c.name, error: err instanceof Error ? err.message : String(err) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.filter((r): r is { name: string; error: string } => r !== undefined);
}

/**
 * HTTP health endpoints for orchestrators: `GET /healthz` answers 200 while the process runs (liveness);
 * `GET /readyz` answers 200 when every backend check passes and 503 with the failing ones otherwise, or while
 * stopping (readiness). A change of readiness is logged once, so an operator sees "redis not ready" in the logs.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { logger, checks } = options;
  const timeoutMs = options.timeoutMs ?? 2000;
  let stopping = false;
  let lastReady: boolean | undefined;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { status: 'method not allowed' });
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path !== '/readyz') return send(404, { status: 'not found' });
    if (stopping) return send(503, { status: 'stopping' });
    void runChecks(checks, timeoutMs).then((failed) => {
      const ready = failed.length === 0;
      if (ready !== lastReady) {
        if (ready) logger.info({ checks: checks.map((c) => c.name) }, 'ready');
        else logger.warn({ failed }, 'not ready: a backend does not answer');
        lastReady = ready;
      }
      send(ready ? 200 : 503, ready ? { status: 'ready' } : { status: 'not ready', failed });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'health endpoints listening (/healthz, /readyz)');
  return {
    port,
    markStopping() {
      stopping = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
