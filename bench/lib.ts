/** Shared helpers of the benchmark programs: percentiles, timing, memory, arguments. */
import { Neo4jGraphStore } from '../src/adapters/neo4j/neo4j-graph-store';
import type { Config } from '../src/config/config';
import { silentLogger } from '../src/log/logger';

/** The p-th percentile (0–100) of the samples, nearest-rank; 0 for no samples. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Rounds to two decimals, for JSON that people read. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Times an async call in milliseconds. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Samples this process's resident memory until stopped; returns the peak in MB. */
export function trackPeakRss(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
      return round2(peak / 1024 / 1024);
    },
  };
}

/** Removes a neo4j-es benchmark's Neo4j keyspace and Elasticsearch indexes; says on stderr what it could not remove. */
export async function removeBenchStores(config: Pick<Config, 'NEO4J_URL' | 'NEO4J_USER' | 'NEO4J_PASSWORD' | 'NEO4J_KEYSPACE' | 'ELASTICSEARCH_URL' | 'ELASTICSEARCH_INDEX_PREFIX'>): Promise<void> {
  const graph = new Neo4jGraphStore({ url: config.NEO4J_URL, username: config.NEO4J_USER, password: config.NEO4J_PASSWORD, logger: silentLogger(), keyspace: config.NEO4J_KEYSPACE });
  await graph.init().then(() => graph.clear()).catch((e: unknown) => process.stderr.write(`could not remove keyspace ${config.NEO4J_KEYSPACE}: ${String(e)}\n`));
  await graph.close().catch(() => undefined);
  await dropIndexes(config.ELASTICSEARCH_URL, config.ELASTICSEARCH_INDEX_PREFIX).catch(() => undefined);
}

/** Deletes a benchmark's Elasticsearch indexes by name (wildcard deletes are refused by default). */
export async function dropIndexes(node: string, prefix: string): Promise<void> {
  const res = await fetch(`${node}/_cat/indices/${prefix}-*?format=json&h=index`);
  const names = ((await res.json()) as Array<{ index: string }>).map((i) => i.index);
  if (names.length) await fetch(`${node}/${names.join(',')}`, { method: 'DELETE' });
}

export { seededRandom } from '../tools/random';
