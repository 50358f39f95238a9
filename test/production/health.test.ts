import { createServer } from 'node:net';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { runChecks, startHealthServer } from '../../src/main/health';
import { startReadiness } from '../../src/main/readiness';

async function get(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('health endpoints', () => {
  it('/healthz is up while the process runs; /readyz is 200 only when every check passes, 503 naming the others', async () => {
    let searchUp = true;
    const h = await startHealthServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), checks: [{ name: 'graph', check: async () => 1 }, { name: 'search', check: async () => { if (!searchUp) throw new Error('connection refused'); } }] });
    try {
      expect(await get(h.port, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get(h.port, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
      searchUp = false;
      expect(await get(h.port, '/readyz')).toEqual({ status: 503, body: { status: 'not ready', failed: [{ name: 'search', error: 'connection refused' }] } });
      expect((await get(h.port, '/nope')).status).toBe(404);
      searchUp = true;
      h.markStopping();
      expect(await get(h.port, '/readyz')).toEqual({ status: 503, body: { status: 'stopping' } });
      expect((await get(h.port, '/healthz')).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('a check that hangs fails after the timeout', async () => {
    const failed = await runChecks([{ name: 'neo4j', check: () => new Promise(() => undefined) }], 50);
    expect(failed).toEqual([{ name: 'neo4j', error: 'no answer in 50 ms' }]);
  });

  it('is not ready, naming redis, when Redis does not answer', async () => {
    const config = loadConfig({ NANSEN_HEALTH_PORT: '0', NANSEN_HEALTH_HOST: '127.0.0.1', REDIS_URL: `redis://127.0.0.1:${await deadPort()}` });
    const h = await startReadiness(config, silentLogger(), { redis: true });
    try {
      const r = await get(h!.port, '/readyz');
      expect(r.status).toBe(503);
      expect((r.body.failed as Array<{ name: string }>).map((f) => f.name)).toEqual(['redis']);
    } finally {
      await h?.close();
    }
  });

  it('is off without NANSEN_HEALTH_PORT, and a bad port is refused naming the variable', async () => {
    expect(await startReadiness(loadConfig({}), silentLogger(), {})).toBeUndefined();
    expect(() => loadConfig({ NANSEN_HEALTH_PORT: 'eighty' })).toThrow(/NANSEN_HEALTH_PORT/);
  });
});
