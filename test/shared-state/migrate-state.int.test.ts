/**
 * `nansen migrate-state` moves every local store with a shared counterpart into Redis (crawls.sqlite,
 * alerts.sqlite, state.sqlite, events.sqlite), losing nothing: what was written locally reads back through the
 * shared stores; a rerun changes nothing; a run interrupted half-way and run again gives what an uninterrupted run
 * gives, with no duplicates. Real Redis; a key prefix and data directory of its own per case.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import { SqliteCrawlStore } from '../../src/adapters/embedded/sqlite-crawl-store';
import { SqliteEventDeduper } from '../../src/adapters/embedded/sqlite-event-deduper';
import { SqliteLineageRunStore } from '../../src/adapters/embedded/sqlite-lineage-run-store';
import { SqliteMissLog } from '../../src/adapters/embedded/sqlite-miss-log';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { RedisEventDeduper, RedisUserStateStore } from '../../src/adapters/redis/redis-chat-state';
import type { RedisCrawlStore } from '../../src/adapters/redis/redis-crawl-store';
import { loadConfig, type Config } from '../../src/config/config';
import type { SchemaChange } from '../../src/domain/model';
import { chatStatePrefix } from '../../src/main/chat-state';
import { openCrawlStore } from '../../src/main/crawl-store';
import { migrateState, type MigrationResult, type StoreMigration } from '../../src/main/migrate-state';
import { openLineageRunStore, openMissLog } from '../../src/main/shared-stores';
import { alertStorePrefix } from '../../src/main/stores';
import type { Miss } from '../../src/ports/miss-log';
import { deletePrefix, sharedRedisUrl, uniqueName } from '../workers/support/redis';
import { runCli } from './support';

const url = sharedRedisUrl();
const MEMORY = 'neo4j-es/postgres:wh';
/** One clock for every deployment's local stores, so that two of them hold the same data. */
const NOW = Date.now();
const change = (id: string, tableKey = 'postgres://main.s/t1'): SchemaChange => ({ id, source: 'wh', crawlId: 'c7', at: '2026-12-01T10:00:00.000Z', tableKey, kind: 'column_added', column: id });

/** Fills every local store the way a bot and a worker on the embedded layout would have. */
async function fillLocalStores(dir: string): Promise<void> {
  const crawls = new SqliteCrawlStore({ path: join(dir, 'crawls.sqlite') });
  await crawls.init();
  await crawls.putState(MEMORY, { generation: 4, connector: { writes: { 's.t1': 17 } }, pendingSearch: { tables: ['postgres://main.s/t2'], dashboards: [] } });
  await crawls.putFingerprints(MEMORY, [
    ['postgres://main.s/t1', 'f1'],
    ['postgres://main.s/t2', 'f2'],
    ['postgres://main.s/t3', 'f3'],
  ]);
  await crawls.recordStart('wh', 'c7', '2026-12-01T10:00:00.000Z');
  await crawls.recordFailure('wh', 'c7', '2026-12-01T10:00:05.000Z', { code: 'timeout', message: 'no answer', retryable: true }, 5000);
  await crawls.close();

  const alerts = new SqliteAlertStore({ path: join(dir, 'alerts.sqlite'), now: () => NOW });
  await alerts.init();
  await alerts.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdBy: 'U1', createdAt: '2026-11-01T00:00:00.000Z' });
  await alerts.subscribe({ channel: 'C2', pattern: 'tag:latency', mode: 'daily', createdAt: '2026-11-02T00:00:00.000Z' });
  await alerts.subscribe({ channel: 'C1', pattern: 'postgres://main.s/t1', mode: 'daily', createdBy: 'U2', createdAt: '2026-11-03T00:00:00.000Z' });
  await alerts.markChannelBroken({ channel: 'C9', code: 'is_archived', since: '2026-11-04T00:00:00.000Z' });
  await alerts.mute({ channel: 'C1', tableKey: 'postgres://main.s/t2', mutedBy: 'U1', at: '2026-11-05T00:00:00.000Z' });
  await alerts.mute({ channel: 'C2', tableKey: 'postgres://main.s/t3', at: '2026-11-06T00:00:00.000Z' });
  await alerts.setOwnerDmOptOut('U7', true);
  await alerts.putChangeSet({ id: 'crawl:wh:c6', kind: 'crawl', source: 'wh', crawlId: 'c6', createdAt: '2026-11-30T00:00:00.000Z', changes: [change('x0')] });
  await alerts.bufferDigest('C2', [change('d1'), change('d2')]);
  await alerts.sealDigest('C2', 'digest:C2:2026-11-30', '2026-11-30T09:00:00.000Z');
  await alerts.bufferDigest('C2', [change('d3')]);
  await alerts.claimDelivery('dlv-sent', 'tok-1', 60_000);
  await alerts.completeDelivery('dlv-sent', 'tok-1', { channel: 'C1', ts: '1700000000.000100', at: '2026-11-30T00:00:01.000Z' });
  await alerts.claimDelivery('dlv-sending', 'tok-2', 600_000);
  await alerts.claimDelivery('dlv-uncertain', 'tok-3', 60_000);
  await alerts.releaseDelivery('dlv-uncertain', 'tok-3', 'maybe_sent');
  await alerts.claimChanges('crawl:wh:c7', ['x1', 'x2'], 600_000);
  await alerts.announceChanges('crawl:wh:c7', ['x1']);
  await alerts.close();

  const state = new SqliteUserStateStore(join(dir, 'state.sqlite'));
  for (const t of ['t1', 't2', 't3']) await state.toggleBookmark('U1', `postgres://main.s/${t}`);
  await state.toggleBookmark('U2', 'postgres://main.s/t1');
  await state.toggleSubscription({ tableKey: 'postgres://main.s/t1', user: 'U1', channel: 'D1' }, '2026-11-10T00:00:00.000Z');
  await state.toggleSubscription({ tableKey: 'postgres://main.s/t1', user: 'U2', channel: 'D2' }, '2026-11-11T00:00:00.000Z');
  await state.close();

  const events = new SqliteEventDeduper(join(dir, 'events.sqlite'), { now: () => NOW });
  await events.complete('Ev-done');
  await events.claim('Ev-answering');
  await events.close();

  const misses = new SqliteMissLog(join(dir, 'misses.sqlite'));
  for (const m of MISSES) await misses.record(m);
  await misses.close();

  const lineage = new SqliteLineageRunStore({ path: join(dir, 'lineage.sqlite') });
  await lineage.init();
  await lineage.markApplied('run-1', 'START', '2026-11-20T00:00:00.000Z');
  await lineage.markApplied('run-1', 'FAIL', '2026-11-20T00:05:00.000Z');
  await lineage.recordRuns([
    { tableKey: 'postgres://main.s/t1', state: 'FAIL', at: '2026-11-20T00:05:00.000Z', runId: 'run-1', job: 'airflow/load_t1', message: 'disk full' },
    { tableKey: 'postgres://main.s/t2', state: 'COMPLETE', at: '2026-11-20T00:06:00.000Z', runId: 'run-2', job: 'airflow/load_t2' },
  ]);
  await lineage.close();
}

const miss = (at: string, text: string, extra: Partial<Miss> = {}): Miss => ({ at, kind: 'unknown', text, lang: 'en', offered: [], via: 'slack', ...extra });
const MISSES: Miss[] = [
  miss('2026-11-24T01:00:00.000Z', 'a', { reason: 'no_match' }),
  miss('2026-11-24T02:00:00.000Z', '레이턴시 테이블', { kind: 'guess', lang: 'ko', offered: ['hive://gold.x/y'], asker: 'U1' }),
  miss('2026-11-24T02:00:00.000Z', 'same millisecond, later', { kind: 'not_what_i_meant', via: 'terminal' }),
];

/** Every key under the prefix with its content (not its TTL), the prefix taken out; done markers left aside. */
async function snapshot(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    if (key.startsWith(`${prefix}:migrated:`)) continue;
    const type = await redis.type(key);
    const name = key.slice(prefix.length);
    if (type === 'string') out[name] = await redis.get(key);
    else if (type === 'hash') out[name] = await redis.hgetall(key);
    else if (type === 'list') out[name] = await redis.lrange(key, 0, -1);
    else if (type === 'set') out[name] = (await redis.smembers(key)).sort();
    else if (type === 'zset') out[name] = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else out[name] = type;
  }
  return out;
}

const byStore = (r: MigrationResult): Record<string, StoreMigration> => Object.fromEntries(r.stores.map((s) => [s.store, s]));

describe('migrate-state moves every local store into Redis', () => {
  let redis: Redis;
  const cleanups: Array<() => Promise<void>> = [];

  /** A deployment of its own: a Redis prefix and a data directory filled with local state. */
  const setup = async (label: string): Promise<{ config: Config; env: Record<string, string>; prefix: string }> => {
    const prefix = uniqueName(label);
    const dir = mkdtempSync(join(tmpdir(), 'nansen-migrate-'));
    cleanups.push(async () => {
      await deletePrefix(url, prefix);
      rmSync(dir, { recursive: true, force: true });
    });
    await fillLocalStores(dir);
    const env = { PATH: process.env.PATH ?? '', NANSEN_BACKEND: 'neo4j-es', REDIS_URL: url, NANSEN_REDIS_PREFIX: prefix, NANSEN_DATA_DIR: dir };
    return { config: loadConfig(env), env, prefix };
  };

  beforeAll(() => {
    redis = new Redis(url);
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    redis.disconnect();
  });

  it('--dry-run counts what each store holds and writes nothing', async () => {
    const { env, prefix } = await setup('mig-dry');
    const r = await runCli(['migrate-state', '--dry-run', '--json'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as MigrationResult;
    expect(result.dryRun).toBe(true);
    expect(byStore(result)).toEqual({
      crawls: expect.objectContaining({ status: 'dry_run', counts: { sources: 2, fingerprints: 3, statuses: 1 }, written: 0 }),
      alerts: expect.objectContaining({
        status: 'dry_run',
        counts: { subscription: 3, broken_channel: 1, mute: 2, dm_opt_out: 1, change_set: 2, digest: 3, delivery: 3, change_claim: 2 },
      }),
      state: expect.objectContaining({ status: 'dry_run', counts: { bookmark: 4, table_subscription: 2 } }),
      events: expect.objectContaining({ status: 'dry_run', counts: { done: 1, answering: 1 } }),
      misses: expect.objectContaining({ status: 'dry_run', counts: { miss: 3 } }),
      lineage: expect.objectContaining({ status: 'dry_run', counts: { applied: 2, table_run: 2 } }),
    });
    expect(await snapshot(redis, prefix)).toEqual({});
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    const text = await runCli(['migrate-state', '--dry-run'], env);
    expect(text.out).toMatch(/^Dry run: nothing was written/);
    expect(text.out).toMatch(/alerts\.sqlite: 3 subscription, 1 broken_channel, 2 mute/);
  });

  it('moves everything, reads it back through the shared stores, and a rerun changes nothing', async () => {
    const { config, env, prefix } = await setup('mig-all');
    const moved = await migrateState(config);
    expect(moved.stores.map((s) => [s.store, s.status, s.written, s.kept])).toEqual([
      ['crawls', 'moved', 2, 0],
      ['alerts', 'moved', 17, 0],
      ['state', 'moved', 6, 0],
      ['events', 'moved', 2, 0],
      ['misses', 'moved', 3, 0],
      ['lineage', 'moved', 4, 0],
    ]);

    // crawl memory and status
    const crawl = await openCrawlStore(config);
    try {
      const store = crawl.store as RedisCrawlStore;
      expect(crawl.kind).toBe('redis');
      expect(await store.getState(MEMORY)).toEqual({ generation: 4, connector: { writes: { 's.t1': 17 } }, pendingSearch: { tables: ['postgres://main.s/t2'], dashboards: [] } });
      expect(Object.fromEntries(await store.getFingerprints(MEMORY))).toEqual({ 'postgres://main.s/t1': 'f1', 'postgres://main.s/t2': 'f2', 'postgres://main.s/t3': 'f3' });
      expect(await store.getStatus('wh')).toMatchObject({ outcome: 'failed', crawlId: 'c7', lastError: { code: 'timeout' } });
    } finally {
      await crawl.close();
    }

    // alerts
    const alerts = new RedisAlertStore({ client: redis, prefix: alertStorePrefix(config) });
    expect(await alerts.allSubscriptions()).toEqual([
      { channel: 'C1', pattern: 'game_log.*', mode: 'live', createdBy: 'U1', createdAt: '2026-11-01T00:00:00.000Z' },
      { channel: 'C2', pattern: 'tag:latency', mode: 'daily', createdAt: '2026-11-02T00:00:00.000Z' },
      { channel: 'C1', pattern: 'postgres://main.s/t1', mode: 'daily', createdBy: 'U2', createdAt: '2026-11-03T00:00:00.000Z' },
    ]);
    expect((await alerts.listSubscriptions('C1')).map((s) => s.pattern)).toEqual(['game_log.*', 'postgres://main.s/t1']);
    expect(await alerts.subscribe({ channel: 'C2', pattern: 'tag:latency', mode: 'daily', createdAt: '2026-12-01T00:00:00.000Z' })).toEqual({ status: 'unchanged' });
    expect(await alerts.brokenChannels()).toEqual([{ channel: 'C9', code: 'is_archived', since: '2026-11-04T00:00:00.000Z' }]);
    expect(await alerts.allMutes()).toEqual([
      { channel: 'C1', tableKey: 'postgres://main.s/t2', mutedBy: 'U1', at: '2026-11-05T00:00:00.000Z' },
      { channel: 'C2', tableKey: 'postgres://main.s/t3', at: '2026-11-06T00:00:00.000Z' },
    ]);
    expect([...(await alerts.ownerDmOptOuts(['U7', 'U8']))]).toEqual(['U7']);
    expect(await alerts.getChangeSet('crawl:wh:c6')).toMatchObject({ kind: 'crawl', changes: [{ id: 'x0' }] });
    expect((await alerts.getChangeSet('digest:C2:2026-11-30'))?.changes.map((c) => c.id)).toEqual(['d1', 'd2']);
    // The digest buffer: d3 waits for the next digest; d1 (sealed already) is not buffered again.
    expect(await alerts.digestChannels()).toEqual(['C2']);
    await alerts.bufferDigest('C2', [change('d1'), change('d4')]);
    expect((await alerts.sealDigest('C2', 'digest:C2:2026-12-01', '2026-12-01T09:00:00.000Z'))?.changes.map((c) => c.id)).toEqual(['d3', 'd4']);
    // The delivery ledger: sent stays sent, a live lease stays live, an uncertain one is reported as such.
    expect(await alerts.claimDelivery('dlv-sent', 'tok-9', 60_000)).toEqual({ status: 'sent', receipt: { channel: 'C1', ts: '1700000000.000100', at: '2026-11-30T00:00:01.000Z' } });
    expect(await alerts.claimDelivery('dlv-sending', 'tok-9', 60_000)).toMatchObject({ status: 'busy' });
    expect(await alerts.getDelivery('dlv-uncertain')).toMatchObject({ state: 'uncertain', token: 'tok-3' });
    expect(await alerts.claimDelivery('dlv-uncertain', 'tok-9', 60_000)).toMatchObject({ status: 'claimed', uncertainSince: expect.any(String) });
    // The change ledger: x1 announced, x2 still held by its crawl.
    expect(await alerts.unannouncedChanges(['x1', 'x2'])).toEqual(['x2']);
    expect(await alerts.claimChanges('crawl:wh:c8', ['x1', 'x2'], 60_000)).toEqual({ held: [], lapsed: [] });

    // bookmarks and table subscriptions
    const prefixChat = chatStatePrefix(config);
    const users = new RedisUserStateStore(redis, prefixChat);
    expect(await users.bookmarks('U1')).toEqual(['postgres://main.s/t3', 'postgres://main.s/t2', 'postgres://main.s/t1']);
    expect(await users.bookmarks('U2')).toEqual(['postgres://main.s/t1']);
    expect(await users.subscribersOf('postgres://main.s/t1')).toEqual([
      { tableKey: 'postgres://main.s/t1', user: 'U1', channel: 'D1', at: '2026-11-10T00:00:00.000Z' },
      { tableKey: 'postgres://main.s/t1', user: 'U2', channel: 'D2', at: '2026-11-11T00:00:00.000Z' },
    ]);
    expect(await users.subscriptionsOf('U1')).toEqual([{ tableKey: 'postgres://main.s/t1', user: 'U1', channel: 'D1', at: '2026-11-10T00:00:00.000Z' }]);

    // answered events
    const events = new RedisEventDeduper(redis, prefixChat);
    expect(await events.claim('Ev-done')).toBe(false);
    expect(await events.claim('Ev-answering')).toBe(false);
    expect(await redis.pttl(`${prefixChat}event:Ev-done`)).toBeGreaterThan(23 * 3_600_000);

    // missed questions and the OpenLineage intake's memory, through the stores the bot and the CLI open
    const misses = await openMissLog(config);
    try {
      expect(misses.constructor.name).toBe('RedisMissLog');
      expect(await misses.recent()).toEqual([MISSES[2], MISSES[1], MISSES[0]]);
      await misses.record(miss('2026-11-24T02:00:00.000Z', 'asked in Redis'));
      expect((await misses.recent({ since: '2026-11-24T02:00:00.000Z', limit: 2 })).map((m) => m.text)).toEqual(['asked in Redis', 'same millisecond, later']);
    } finally {
      await misses.close();
    }
    const runs = await openLineageRunStore(config);
    try {
      expect(runs.constructor.name).toBe('RedisLineageRunStore');
      expect(await runs.applied('run-1', 'FAIL')).toBe(true);
      expect(await runs.applied('run-1', 'COMPLETE')).toBe(false);
      expect(Object.fromEntries(await runs.lastRuns(['postgres://main.s/t1', 'postgres://main.s/t2', 'postgres://main.s/t9']))).toEqual({
        'postgres://main.s/t1': { tableKey: 'postgres://main.s/t1', state: 'FAIL', at: '2026-11-20T00:05:00.000Z', runId: 'run-1', job: 'airflow/load_t1', message: 'disk full' },
        'postgres://main.s/t2': { tableKey: 'postgres://main.s/t2', state: 'COMPLETE', at: '2026-11-20T00:06:00.000Z', runId: 'run-2', job: 'airflow/load_t2' },
      });
      // newer wins, older is ignored, a tie goes to the one recorded last
      await runs.recordRuns([
        { tableKey: 'postgres://main.s/t1', state: 'COMPLETE', at: '2026-11-21T00:00:00.000Z', runId: 'run-3', job: 'airflow/load_t1' },
        { tableKey: 'postgres://main.s/t2', state: 'FAIL', at: '2026-11-19T00:00:00.000Z', runId: 'run-0', job: 'airflow/load_t2' },
      ]);
      await runs.recordRuns([{ tableKey: 'postgres://main.s/t1', state: 'FAIL', at: '2026-11-21T00:00:00.000Z', runId: 'run-4', job: 'airflow/load_t1' }]);
      const last = await runs.lastRuns(['postgres://main.s/t1', 'postgres://main.s/t2']);
      expect([last.get('postgres://main.s/t1')?.runId, last.get('postgres://main.s/t2')?.runId]).toEqual(['run-4', 'run-2']);
    } finally {
      await runs.close();
    }

    // A rerun skips every store (done markers) and changes nothing; --force runs them all again and writes nothing new.
    const before = await snapshot(redis, prefix);
    const again = await runCli(['migrate-state', '--json'], env);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as MigrationResult).stores.map((s) => [s.store, s.status])).toEqual([
      ['crawls', 'done_before'],
      ['alerts', 'done_before'],
      ['state', 'done_before'],
      ['events', 'done_before'],
      ['misses', 'done_before'],
      ['lineage', 'done_before'],
    ]);
    expect(await snapshot(redis, prefix)).toEqual(before);
    const forced = await migrateState(config, { force: true });
    expect(forced.stores.map((s) => [s.store, s.status, s.written])).toEqual([
      ['crawls', 'moved', 2],
      ['alerts', 'moved', 0],
      ['state', 'moved', 0],
      ['events', 'moved', 0],
      ['misses', 'moved', 0],
      ['lineage', 'moved', 0],
    ]);
    expect(await snapshot(redis, prefix)).toEqual(before);
  });

  it('a run stopped half-way and run again gives what one run gives, without duplicates', async () => {
    const clean = await setup('mig-ref');
    await migrateState(clean.config);
    const expected = await snapshot(redis, clean.prefix);

    const { config, prefix } = await setup('mig-kill');
    // Stops in the middle of the alert store, after its 7th record (the subscriptions, the broken channel, the mutes, the opt-out).
    const stop = new Error('killed');
    await expect(
      migrateState(config, {
        onRecord: (store, n) => {
          if (store === 'alerts' && n === 7) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(await redis.exists(`${prefix}:migrated:crawls`)).toBe(1);
    expect(await redis.exists(`${prefix}:migrated:alerts`)).toBe(0);
    expect(await redis.exists(`${prefix}:migrated:state`)).toBe(0);

    const rerun = await migrateState(config);
    expect(rerun.stores.map((s) => [s.store, s.status, s.written, s.kept])).toEqual([
      ['crawls', 'done_before', 0, 0],
      ['alerts', 'moved', 10, 7],
      ['state', 'moved', 6, 0],
      ['events', 'moved', 2, 0],
      ['misses', 'moved', 3, 0],
      ['lineage', 'moved', 4, 0],
    ]);
    expect(await snapshot(redis, prefix)).toEqual(expected);

    // Stopped twice, in the digest buffer's rows and then earlier, forced both times: still the same.
    const { config: c2, prefix: p2 } = await setup('mig-kill2');
    for (const at of [11, 3]) {
      const onRecord = (store: string, n: number): void => {
        if (store === 'alerts' && n === at) throw stop;
      };
      await expect(migrateState(c2, { force: true, onRecord })).rejects.toBe(stop);
    }
    await migrateState(c2);
    expect(await snapshot(redis, p2)).toEqual(expected);
  });

  it('kill -9 of a migrate-state process half-way, then a rerun: everything, once', async () => {
    const { config, env, prefix } = await setup('mig-sigkill');
    // Enough misses that the move takes a few seconds: appended straight into the file in one transaction.
    const TOTAL = 40_000;
    const db = new Database(join(config.NANSEN_DATA_DIR, 'misses.sqlite'));
    const put = db.prepare('INSERT INTO misses (at, kind, text, lang, reason, offered, asker, via) VALUES (?, ?, ?, ?, NULL, ?, NULL, ?)');
    db.transaction(() => {
      for (let i = MISSES.length; i < TOTAL; i++) put.run(new Date(Date.UTC(2026, 10, 1) + Math.floor(i / 3) * 1000).toISOString(), 'unknown', `question ${i}`, 'en', '[]', 'slack');
    })();
    db.close();

    const root = join(__dirname, '..', '..');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'src/main/cli.ts'), 'migrate-state', '--json'], { cwd: root, env: { ...env, HOME: config.NANSEN_DATA_DIR }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let finished = false;
    void exited.then(() => (finished = true));
    const key = `${prefix}:misses:log`;
    const deadline = Date.now() + 60_000;
    while (!finished && (await redis.zcard(key)) < 2_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect({ finished, stderr }).toEqual({ finished: false, stderr: '' });
    child.kill('SIGKILL');
    await exited;
    const moved = await redis.zcard(key);
    expect(moved).toBeGreaterThanOrEqual(2_000);
    expect(moved).toBeLessThan(TOTAL);
    expect(await redis.exists(`${prefix}:migrated:misses`)).toBe(0);
    expect(await redis.exists(`${prefix}:migrated:events`)).toBe(1);

    const rerun = byStore(await migrateState(config));
    expect(rerun.misses).toMatchObject({ status: 'moved', counts: { miss: TOTAL } });
    expect(rerun.misses!.kept).toBeGreaterThanOrEqual(moved);
    expect(rerun.misses!.written + rerun.misses!.kept).toBe(TOTAL);
    expect(rerun.lineage).toMatchObject({ status: 'moved', written: 4 });
    expect(await redis.zcard(key)).toBe(TOTAL);
    const local = new SqliteMissLog(join(config.NANSEN_DATA_DIR, 'misses.sqlite'));
    const shared = await openMissLog(config);
    try {
      expect(await shared.recent({ limit: 10_000 })).toEqual(await local.recent({ limit: 10_000 }));
      expect(await shared.recent({ limit: 10, since: '2026-11-24T00:00:00.000Z' })).toEqual(await local.recent({ limit: 10, since: '2026-11-24T00:00:00.000Z' }));
    } finally {
      await Promise.all([local.close(), shared.close()]);
    }
  });

  it('the embedded backend keeps its files, even with REDIS_URL', async () => {
    const { config } = await setup('mig-embedded');
    const embedded = { ...config, NANSEN_BACKEND: 'embedded' as const };
    const misses = await openMissLog(embedded);
    const runs = await openLineageRunStore(embedded);
    try {
      expect(misses.constructor.name).toBe('SqliteMissLog');
      expect(await misses.recent()).toHaveLength(3);
      expect(runs.constructor.name).toBe('SqliteLineageRunStore');
      expect(await runs.applied('run-1', 'START')).toBe(true);
    } finally {
      await Promise.all([misses.close(), runs.close()]);
    }
  });

  it('says what is missing: the shared backend, or any local file', async () => {
    const { env } = await setup('mig-bad');
    const embedded = await runCli(['migrate-state'], { ...env, NANSEN_BACKEND: 'embedded' });
    expect(embedded.code).toBe(1);
    expect(embedded.err).toMatch(/set NANSEN_BACKEND=neo4j-es and REDIS_URL/);
    const empty = mkdtempSync(join(tmpdir(), 'nansen-migrate-empty-'));
    try {
      const none = await runCli(['migrate-state'], { ...env, NANSEN_DATA_DIR: empty });
      expect(none.code).toBe(1);
      expect(none.err).toMatch(/There is no local state to move/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
