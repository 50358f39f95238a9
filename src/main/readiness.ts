import { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import type { GraphStore } from '../ports/graph-store';
import type { SearchIndex } from '../ports/search-index';
import { startHealthServer, type HealthServer, type ReadinessCheck } from './health';

/** A key no table has: reading it is one indexed lookup, the cheapest question the graph answers. */
const PROBE_KEY = 'nansen://readyz.probe/none';

/** What a process's readiness depends on. */
export interface ReadinessTargets {
  graph?: GraphStore;
  search?: SearchIndex;
  /** Check Redis (`REDIS_URL`) on a client of the health server's own, so a busy queue client does not hide an outage. */
  redis?: boolean;
  /** Further checks of the process's own (the worker: its jobs, paused while Redis is lost). */
  more?: ReadinessCheck[];
}

/**
 * Starts `/healthz` and `/readyz` on `NANSEN_HEALTH_PORT` (unset: none, and this returns undefined). Ready means the
 * graph, the search index and Redis (when the process uses it) answer now.
 */
export async function startReadiness(config: Config, logger: Logger, targets: ReadinessTargets): Promise<HealthServer | undefined> {
  if (config.NANSEN_HEALTH_PORT === undefined) return undefined;
  const checks: ReadinessCheck[] = [];
  const { graph, search } = targets;
  if (graph) checks.push({ name: 'graph', check: () => graph.getTable(PROBE_KEY) });
  if (search) checks.push({ name: 'search', check: () => search.count() });
  let redis: Redis | undefined;
  if (targets.redis && config.REDIS_URL) {
    const client = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: () => null });
    client.on('error', () => undefined);
    redis = client;
    checks.push({
      name: 'redis',
      check: async () => {
        // No reconnect loop of its own: each check that finds the client down connects again.
        if (client.status === 'wait' || client.status === 'end') await client.connect().catch(() => undefined);
        await client.ping();
      },
    });
  }
  checks.push(...(targets.more ?? []));
  const server = await startHealthServer({ port: config.NANSEN_HEALTH_PORT, ...(config.NANSEN_HEALTH_HOST ? { host: config.NANSEN_HEALTH_HOST } : {}), checks, logger: logger.child({ component: 'health' }) }).catch((err: unknown) => {
    redis?.disconnect();
    throw err;
  });
  return {
    port: server.port,
    markStopping: () => server.markStopping(),
    async close() {
      await server.close();
      redis?.disconnect();
    },
  };
}
