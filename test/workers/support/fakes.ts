import type { CrawlOptions, SourceConfig } from '../../../ingest/source';
import type { CrawlReport } from '../../../src/domain/crawl';
import { sourceName } from '../../../ingest/source';

export function source(id: string, overrides: Partial<SourceConfig> = {}): SourceConfig {
  return { id, type: 'postgres', urlEnv: 'WAREHOUSE_URL', ...overrides };
}

export function report(src: SourceConfig, overrides: Partial<CrawlReport> = {}): CrawlReport {
  const now = new Date().toISOString();
  return {
    source: sourceName(src),
    crawlId: 'crawl-1',
    startedAt: now,
    finishedAt: now,
    dryRun: false,
    tables: 3,
    added: ['pg://main.public/a'],
    changed: ['pg://main.public/b'],
    removed: [],
    unchanged: 1,
    loaded: [],
    dashboards: { added: [], changed: [], removed: [], unchanged: 0 },
    changes: [],
    counts: {},
    wrote: true,
    ...overrides,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * A crawl that records how many crawls of each source run at once and waits on a gate, so a test can hold it
 * in flight. `script` decides, per call, what the crawl does.
 */
export class FakeCrawl {
  calls: Array<{ source: string; options: CrawlOptions; at: number }> = [];
  running = new Map<string, number>();
  maxConcurrent = new Map<string, number>();
  private gates: Array<() => void> = [];

  constructor(private readonly script: (call: number, source: SourceConfig, options: CrawlOptions) => Promise<void> | void = () => undefined) {}

  crawl = async (src: SourceConfig, options: CrawlOptions): Promise<CrawlReport> => {
    const call = this.calls.push({ source: src.id, options, at: Date.now() });
    const n = (this.running.get(src.id) ?? 0) + 1;
    this.running.set(src.id, n);
    this.maxConcurrent.set(src.id, Math.max(n, this.maxConcurrent.get(src.id) ?? 0));
    try {
      options.onProgress?.({ phase: 'extract', done: 0, total: 3 });
      await this.script(call, src, options);
      options.onProgress?.({ phase: 'publish', done: 3, total: 3 });
      return report(src, { crawlId: options.crawlId ?? `crawl-${call}`, dryRun: !!options.dryRun });
    } finally {
      this.running.set(src.id, (this.running.get(src.id) ?? 1) - 1);
    }
  };

  /** A promise the script can await; `open()` releases every waiter. */
  gate(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      this.gates.push(resolve);
      signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
    });
  }

  open(): void {
    const g = this.gates;
    this.gates = [];
    for (const r of g) r();
  }

  get waiting(): number {
    return this.gates.length;
  }
}
