import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { SqliteAlertStore } from '../adapters/embedded/sqlite-alert-store';
import { SqliteCrawlStore } from '../adapters/embedded/sqlite-crawl-store';
import { SqliteEventDeduper } from '../adapters/embedded/sqlite-event-deduper';
import { SqliteLineageRunStore } from '../adapters/embedded/sqlite-lineage-run-store';
import { SqliteMissLog } from '../adapters/embedded/sqlite-miss-log';
import { SqliteUserStateStore } from '../adapters/embedded/sqlite-user-state-store';
import { RedisAlertStore } from '../adapters/redis/redis-alert-store';
import { RedisEventDeduper, RedisUserStateStore } from '../adapters/redis/redis-chat-state';
import { RedisLineageRunStore } from '../adapters/redis/redis-lineage-run-store';
import { RedisMissLog } from '../adapters/redis/redis-miss-log';
import type { RedisCrawlStore } from '../adapters/redis/redis-crawl-store';
import { connectRedis } from '../adapters/redis/connect';
import type { Config } from '../config/config';
import { UserError } from '../domain/errors';
import { redactUrl } from '../log/redact';
import { chatStatePrefix, localChatStatePaths } from './chat-state';
import { localCrawlStorePath, openCrawlStore, sharedCrawlState } from './crawl-store';
import { missesPath } from './settings';
import { lineageRunPrefix, localLineagePath, missLogPrefix } from './shared-stores';
import { alertStorePrefix, localAlertStorePath } from './stores';

/** The local stores `migrate-state` moves, in the order it moves them. */
export const STATE_STORES = ['crawls', 'alerts', 'state', 'events', 'misses', 'lineage'] as const;
export type StateStoreName = (typeof STATE_STORES)[number];

/** What the move did to one local store. */
export interface StoreMigration {
  store: StateStoreName;
  file: string;
  /**
   * `moved`: copied now (its done marker written); `done_before`: an earlier run moved it (the marker is in Redis),
   * so it was skipped; `no_file`: there is no such local file; `dry_run`: counted, nothing written.
   */
  status: 'moved' | 'done_before' | 'no_file' | 'dry_run';
  /** What the local file holds, by kind (for `done_before`: what the earlier run found). */
  counts: Record<string, number>;
  /** Records written to the shared store by this run. */
  written: number;
  /** Records the shared store had already, left as they are (an interrupted earlier run, or a replica's write). */
  kept: number;
}

/** What a move of the local state did, store by store. */
export interface MigrationResult {
  /** The data directory the local files are in. */
  from: string;
  dryRun: boolean;
  stores: StoreMigration[];
  /** Crawl memory: sources copied, with their fingerprints and generation. */
  copied: Array<{ source: string; fingerprints: number; generation?: number }>;
  /** Crawl memory: sources the shared store already knew, left as they are (`--force` overwrites them). */
  kept: string[];
  summary: string;
}

export interface MigrateStateOptions {
  /** Runs stores whose done marker is set again, and overwrites the crawl memory Redis has for a source. */
  force?: boolean;
  /** Counts what would move; writes nothing. */
  dryRun?: boolean;
  /** Called after each record is written or kept, with how many of the store's are through (tests interrupt here). */
  onRecord?: (store: StateStoreName, done: number) => void | Promise<void>;
}

/** The Redis key of a store's done marker. */
export function migrationMarkerKey(config: Pick<Config, 'NANSEN_REDIS_PREFIX'>, store: StateStoreName): string {
  return `${config.NANSEN_REDIS_PREFIX}:migrated:${store}`;
}

interface Marker {
  at: string;
  file: string;
  counts: Record<string, number>;
  written: number;
  kept: number;
}

/** A store's move: count what the file holds; copy it record by record. */
interface Mover {
  file: string;
  open(): Promise<{ counts: Record<string, number>; copy(each: (written: boolean) => Promise<void>): Promise<void>; close(): Promise<void> }>;
}

/**
 * Moves every local store that has a shared counterpart into Redis, losing nothing: the crawl memory
 * (`crawls.sqlite`: state, fingerprints, status), the alert store (`alerts.sqlite`: subscriptions, broken channels,
 * mutes, DM opt-outs, change sets, the digest buffer, the delivery ledger, change claims), bookmarks and table
 * subscriptions (`state.sqlite`), answered events (`events.sqlite`), missed questions (`misses.sqlite`) and the
 * OpenLineage intake's applied events and last runs (`lineage.sqlite`).
 *
 * Each record is written only when the shared store does not know it yet, atomically, so a run that stops half-way
 * (even `kill -9`) is finished by running it again, without duplicates, and a record a replica wrote since is never
 * taken back. A store moved to the end gets a done marker in Redis, and later runs skip it (`force` runs it again,
 * and for crawl memory overwrites what Redis has). The local files are left in place.
 */
export async function migrateState(config: Config, options: MigrateStateOptions = {}): Promise<MigrationResult> {
  if (!sharedCrawlState(config, config.NANSEN_BACKEND) || !config.REDIS_URL) throw new UserError('bad_config', 'migrate-state moves the local state into Redis: set NANSEN_BACKEND=neo4j-es and REDIS_URL.');
  const chat = localChatStatePaths(config);
  const files: Record<StateStoreName, string> = {
    crawls: localCrawlStorePath(config),
    alerts: localAlertStorePath(config),
    state: chat.state,
    events: chat.events,
    misses: missesPath(config),
    lineage: localLineagePath(config),
  };
  if (!STATE_STORES.some((s) => existsSync(files[s]))) throw new UserError('not_found', `There is no local state to move: none of ${STATE_STORES.map((s) => files[s]).join(', ')} exists.`);

  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  try {
    await connectRedis(redis, redactUrl(config.REDIS_URL));
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  const result: MigrationResult = { from: config.NANSEN_DATA_DIR, dryRun: Boolean(options.dryRun), stores: [], copied: [], kept: [], summary: '' };
  const movers: Record<StateStoreName, Mover> = {
    crawls: crawlMover(config, files.crawls, result, Boolean(options.force)),
    alerts: alertMover(files.alerts, new RedisAlertStore({ client: redis, prefix: alertStorePrefix(config) })),
    state: userStateMover(files.state, new RedisUserStateStore(redis, chatStatePrefix(config))),
    events: eventMover(files.events, new RedisEventDeduper(redis, chatStatePrefix(config))),
    misses: missMover(files.misses, new RedisMissLog({ client: redis, prefix: missLogPrefix(config) })),
    lineage: lineageMover(files.lineage, new RedisLineageRunStore({ client: redis, prefix: lineageRunPrefix(config) })),
  };
  try {
    for (const store of STATE_STORES) {
      const file = files[store];
      const markerKey = migrationMarkerKey(config, store);
      const marker = await redis.get(markerKey);
      if (marker && !options.force) {
        result.stores.push({ store, file, status: 'done_before', counts: (JSON.parse(marker) as Marker).counts, written: 0, kept: 0 });
        continue;
      }
      if (!existsSync(file)) {
        result.stores.push({ store, file, status: 'no_file', counts: {}, written: 0, kept: 0 });
        continue;
      }
      const local = await movers[store].open();
      try {
        const entry: StoreMigration = { store, file, status: options.dryRun ? 'dry_run' : 'moved', counts: local.counts, written: 0, kept: 0 };
        if (!options.dryRun) {
          await local.copy(async (written) => {
            if (written) entry.written++;
            else entry.kept++;
            await options.onRecord?.(store, entry.written + entry.kept);
          });
          const done: Marker = { at: new Date().toISOString(), file, counts: entry.counts, written: entry.written, kept: entry.kept };
          await redis.set(markerKey, JSON.stringify(done));
        }
        result.stores.push(entry);
      } finally {
        await local.close();
      }
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
  result.summary = summarize(result);
  return result;
}

/** The crawl memory: one record per source (its state, fingerprints and status together). */
function crawlMover(config: Config, file: string, result: MigrationResult, force: boolean): Mover {
  return {
    file,
    async open() {
      const local = new SqliteCrawlStore({ path: file });
      await local.init();
      const statuses = new Map((await local.listStatus()).map((s) => [s.source, s]));
      const sources = [...new Set([...(await local.listStateSources()), ...(await local.listFingerprintSources()), ...statuses.keys()])].sort();
      let fingerprints = 0;
      for (const source of sources) fingerprints += (await local.getFingerprints(source)).size;
      return {
        counts: { sources: sources.length, fingerprints, statuses: statuses.size },
        async copy(each) {
          const shared = await openCrawlStore(config);
          const target = shared.store as RedisCrawlStore;
          try {
            for (const source of sources) {
              const state = await local.getState(source);
              const status = statuses.get(source);
              // Fingerprints, then status, then state (the generation): what is written last says the source is whole,
              // so a run stopped between the three writes them all again.
              const known = state ? (await target.getState(source)) !== undefined : status ? (await target.getStatus(source)) !== undefined : (await target.getFingerprints(source)).size > 0;
              if (known && !force) {
                result.kept.push(source);
                await each(false);
                continue;
              }
              const prints = await local.getFingerprints(source);
              const stale = [...(await target.getFingerprints(source)).keys()].filter((k) => !prints.has(k));
              await target.putFingerprints(source, [...[...prints].map(([k, v]): [string, string] => [k, v]), ...stale.map((k): [string, null] => [k, null])]);
              if (status) await target.putStatus(status);
              if (state) await target.putState(source, state);
              result.copied.push({ source, fingerprints: prints.size, ...(state ? { generation: state.generation } : {}) });
              await each(true);
            }
          } finally {
            await shared.close();
          }
        },
        close: () => local.close(),
      };
    },
  };
}

/** A local store whose records are exported at once and imported one by one, each write saying whether it wrote. */
interface RecordSource<R> {
  exportRecords(): R[];
  close(): Promise<void> | void;
}

/** Moves a local store's records into its shared counterpart; `count` names the kinds the report counts. */
function recordMover<R>(file: string, openLocal: () => Promise<RecordSource<R>>, target: { importRecord(r: R): Promise<boolean> }, count: (records: R[]) => Record<string, number>): Mover {
  return {
    file,
    async open() {
      const local = await openLocal();
      const records = local.exportRecords();
      return {
        counts: count(records),
        async copy(each) {
          for (const r of records) await each(await target.importRecord(r));
        },
        close: async () => {
          await local.close();
        },
      };
    },
  };
}

const alertMover = (file: string, target: RedisAlertStore): Mover =>
  recordMover(file, async () => { const local = new SqliteAlertStore({ path: file }); await local.init(); return local; }, target, (rs) => countBy(rs, (r) => r.kind));
const userStateMover = (file: string, target: RedisUserStateStore): Mover => recordMover(file, async () => new SqliteUserStateStore(file), target, (rs) => countBy(rs, (r) => r.kind));
const eventMover = (file: string, target: RedisEventDeduper): Mover => recordMover(file, async () => new SqliteEventDeduper(file), target, (rs) => countBy(rs, (r) => r.state));
const missMover = (file: string, target: RedisMissLog): Mover => recordMover(file, async () => new SqliteMissLog(file), target, (rs) => ({ miss: rs.length }));
const lineageMover = (file: string, target: RedisLineageRunStore): Mover =>
  recordMover(file, async () => { const local = new SqliteLineageRunStore({ path: file }); await local.init(); return local; }, target, (rs) => countBy(rs, (r) => r.kind));

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function summarize(r: MigrationResult): string {
  const lines = [r.dryRun ? `Dry run: nothing was written. The local state in ${r.from}:` : `Moved the local state in ${r.from} to Redis:`];
  for (const s of r.stores) {
    const counts = Object.entries(s.counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const what = counts || 'nothing';
    const name = s.file.split('/').pop();
    switch (s.status) {
      case 'no_file':
        lines.push(`  ${name}: no such file.`);
        break;
      case 'done_before':
        lines.push(`  ${name}: moved by an earlier run (${what}); skipped (--force runs it again).`);
        break;
      case 'dry_run':
        lines.push(`  ${name}: ${what}.`);
        break;
      case 'moved':
        lines.push(`  ${name}: ${what}; ${s.written} record(s) written, ${s.kept} Redis had already.`);
        break;
    }
  }
  if (r.kept.length) lines.push(`Kept the crawl memory Redis already had for ${r.kept.join(', ')} (--force overwrites it).`);
  return lines.join('\n');
}
