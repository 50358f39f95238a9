import { existsSync } from 'node:fs';
import { SqliteCrawlStore } from '../adapters/embedded/sqlite-crawl-store';
import { RedisCrawlStore } from '../adapters/redis/redis-crawl-store';
import type { Config } from '../config/config';
import { UserError } from '../domain/errors';
import { localCrawlStorePath, openCrawlStore, sharedCrawlState } from './crawl-store';

/** What a move of the crawl memory did, source by source. */
export interface MigrationResult {
  from: string;
  /** Sources copied: their state (generation, connector memory), fingerprints and status. */
  copied: Array<{ source: string; fingerprints: number; generation?: number }>;
  /** Sources the shared store already knew, left as they are (`--force` overwrites them). */
  kept: string[];
  summary: string;
}

/**
 * Copies the local crawl memory (`crawls.sqlite`) into the shared store, losing nothing: every source's state
 * (generation, connector state such as write counters, pending search keys), fingerprints and crawl status. A
 * source whose memory the shared store already has is kept, so running it twice, or after a worker crawled, never
 * goes back in time; `force` overwrites. The local file is left in place (delete it once the workers run shared).
 */
export async function migrateCrawlState(config: Config, options: { force?: boolean } = {}): Promise<MigrationResult> {
  if (!sharedCrawlState(config, config.NANSEN_BACKEND)) throw new UserError('bad_config', 'migrate-state moves crawl memory into Redis: set NANSEN_BACKEND=neo4j-es and REDIS_URL.');
  const from = localCrawlStorePath(config);
  if (!existsSync(from)) throw new UserError('not_found', `There is no local crawl memory to move: ${from} does not exist.`);
  const local = new SqliteCrawlStore({ path: from });
  await local.init();
  const shared = await openCrawlStore(config).catch(async (e: unknown) => {
    await local.close();
    throw e;
  });
  const target = shared.store as RedisCrawlStore;
  const result: MigrationResult = { from, copied: [], kept: [], summary: '' };
  try {
    const statuses = new Map((await local.listStatus()).map((s) => [s.source, s]));
    const sources = [...new Set([...(await local.listStateSources()), ...(await local.listFingerprintSources()), ...statuses.keys()])].sort();
    for (const source of sources) {
      const known = (await target.getState(source)) !== undefined || (await target.getFingerprints(source)).size > 0 || (await target.getStatus(source)) !== undefined;
      if (known && !options.force) {
        result.kept.push(source);
        continue;
      }
      const state = await local.getState(source);
      const fingerprints = await local.getFingerprints(source);
      if (state) await target.putState(source, state);
      const stale = [...(await target.getFingerprints(source)).keys()].filter((k) => !fingerprints.has(k));
      await target.putFingerprints(source, [...[...fingerprints].map(([k, v]): [string, string] => [k, v]), ...stale.map((k): [string, null] => [k, null])]);
      const status = statuses.get(source);
      if (status) await target.putStatus(status);
      result.copied.push({ source, fingerprints: fingerprints.size, ...(state ? { generation: state.generation } : {}) });
    }
  } finally {
    await shared.close();
    await local.close();
  }
  const copied = result.copied.map((c) => `${c.source} (${c.fingerprints} fingerprints${c.generation !== undefined ? `, generation ${c.generation}` : ''})`);
  result.summary = [
    `Moved the crawl memory of ${result.copied.length} source(s) from ${from} to Redis${copied.length ? `: ${copied.join(', ')}` : ''}.`,
    ...(result.kept.length ? [`Kept what Redis already had for ${result.kept.join(', ')} (--force overwrites it).`] : []),
  ].join('\n');
  return result;
}
