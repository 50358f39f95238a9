import type { Redis } from 'ioredis';
import type { CrawlReport } from '../../domain/crawl';
import type { IsoTime } from '../../domain/model';
import type { CrawlStateStore, SourceCrawlState } from '../../ports/crawl-state-store';
import type { CrawlStatus, CrawlStatusStore } from '../../ports/crawl-status-store';
import { statusOnFailure, statusOnFinish, statusOnStart } from '../crawl-status';

export interface RedisCrawlStoreOptions {
  client: Redis;
  /** Key prefix (default `nansen:crawl`): `{prefix}:state:{source}`, `{prefix}:fp:{source}`, `{prefix}:status:{source}`, `{prefix}:sources`. */
  prefix?: string;
}

/** Fingerprints per HSET/HDEL command, so no single command carries a whole 100k-table source. */
const CHUNK = 2000;

/**
 * The crawler's memory and crawl status in Redis, shared by every worker replica and the CLI: a worker that starts
 * with an empty data directory carries on where the last one stopped. The state is one JSON string per source,
 * the fingerprints one hash per source, the status one JSON string per source updated with optimistic
 * transactions (WATCH/MULTI), so two processes recording at once never lose an update. Durable as Redis is
 * configured to be (compose and the README ask for `appendonly yes`).
 */
export class RedisCrawlStore implements CrawlStateStore, CrawlStatusStore {
  private readonly redis: Redis;
  private readonly p: string;
  /** A connection of its own for WATCH/MULTI (WATCH is per connection), with updates queued one at a time. */
  private tx?: Redis;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RedisCrawlStoreOptions) {
    this.redis = options.client;
    this.p = options.prefix ?? 'nansen:crawl';
  }

  async init(): Promise<void> {
    await this.redis.ping();
    this.tx = this.redis.duplicate();
    this.tx.on('error', () => undefined);
    await this.tx.ping();
  }

  /** Closes the store's own connection; the client passed in stays the caller's. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.tx?.quit().catch(() => this.tx?.disconnect());
  }

  async getState(source: string): Promise<SourceCrawlState | undefined> {
    const doc = await this.redis.get(`${this.p}:state:${source}`);
    return doc === null ? undefined : (JSON.parse(doc) as SourceCrawlState);
  }

  async putState(source: string, state: SourceCrawlState): Promise<void> {
    await this.redis.set(`${this.p}:state:${source}`, JSON.stringify(state));
  }

  async getFingerprints(source: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(`${this.p}:fp:${source}`)));
  }

  async putFingerprints(source: string, entries: Array<[string, string | null]>): Promise<void> {
    if (!entries.length) return;
    const key = `${this.p}:fp:${source}`;
    const tx = this.redis.multi();
    const sets: string[] = [];
    const dels: string[] = [];
    const flush = (): void => {
      if (sets.length) tx.hset(key, ...sets.splice(0));
      if (dels.length) tx.hdel(key, ...dels.splice(0));
    };
    for (const [k, fp] of entries) {
      if (fp === null) dels.push(k);
      else sets.push(k, fp);
      if (sets.length >= CHUNK * 2 || dels.length >= CHUNK) flush();
    }
    flush();
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('fingerprints not written: the transaction was aborted');
  }

  async recordStart(source: string, crawlId: string, at: IsoTime): Promise<void> {
    await this.update(source, (prev) => statusOnStart(prev, source, crawlId, at));
  }

  async recordFinish(source: string, report: CrawlReport, durationMs: number): Promise<void> {
    await this.update(source, (prev) => statusOnFinish(prev, source, report, durationMs));
  }

  async recordFailure(source: string, crawlId: string, at: IsoTime, error: { code: string; message: string; retryable: boolean }, durationMs: number): Promise<void> {
    await this.update(source, (prev) => statusOnFailure(prev, source, crawlId, at, error, durationMs));
  }

  /** Writes a status as it is (the move from a local store). */
  async putStatus(status: CrawlStatus): Promise<void> {
    await this.update(status.source, () => status);
  }

  async getStatus(source: string): Promise<CrawlStatus | undefined> {
    const doc = await this.redis.get(`${this.p}:status:${source}`);
    return doc === null ? undefined : (JSON.parse(doc) as CrawlStatus);
  }

  async listStatus(): Promise<CrawlStatus[]> {
    const sources = (await this.redis.smembers(`${this.p}:sources`)).sort();
    if (!sources.length) return [];
    const docs = await this.redis.mget(sources.map((s) => `${this.p}:status:${s}`));
    return docs.filter((d): d is string => d !== null).map((d) => JSON.parse(d) as CrawlStatus);
  }

  /** Read, change, write, retried when another process wrote the status in between. */
  private update(source: string, fn: (prev: CrawlStatus | undefined) => CrawlStatus): Promise<void> {
    const run = this.queue.catch(() => undefined).then(() => this.updateNow(source, fn));
    this.queue = run;
    return run;
  }

  private async updateNow(source: string, fn: (prev: CrawlStatus | undefined) => CrawlStatus): Promise<void> {
    const redis = this.tx;
    if (!redis) throw new Error('RedisCrawlStore used before init()');
    const key = `${this.p}:status:${source}`;
    for (let attempt = 0; attempt < 20; attempt++) {
      await redis.watch(key);
      const doc = await redis.get(key);
      const next = fn(doc === null ? undefined : (JSON.parse(doc) as CrawlStatus));
      const res = await redis.multi().set(key, JSON.stringify(next)).sadd(`${this.p}:sources`, source).exec();
      if (res) return;
    }
    throw new Error(`crawl status of ${source} not recorded: too many concurrent updates`);
  }
}
