/** Shared helpers of the benchmark programs: percentiles, timing, memory, arguments. */

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

/** Deletes a benchmark's Elasticsearch indexes by name (wildcard deletes are refused by default). */
export async function dropIndexes(node: string, prefix: string): Promise<void> {
  const res = await fetch(`${node}/_cat/indices/${prefix}-*?format=json&h=index`);
  const names = ((await res.json()) as Array<{ index: string }>).map((i) => i.index);
  if (names.length) await fetch(`${node}/${names.join(',')}`, { method: 'DELETE' });
}

export { seededRandom } from '../tools/random';
