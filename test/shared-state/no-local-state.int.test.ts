/**
 * With neo4j-es and REDIS_URL, every store a process opens for state of its own is the shared one: opening them all
 * (as the bot, the worker, the CLI and the OpenLineage receiver do) and writing to each leaves the data directory
 * without a single file. With the embedded backend, the stores that follow the backend keep their files.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';
import { openChatState } from '../../src/main/chat-state';
import { openCrawlStore } from '../../src/main/crawl-store';
import { openLineageRunStore, openMissLog } from '../../src/main/shared-stores';
import { openAlertStore } from '../../src/main/stores';
import { deletePrefix, sharedRedisUrl, uniqueName } from '../workers/support/redis';

const url = sharedRedisUrl();
const log = createLogger({ level: 'silent' });

async function useEveryStore(config: Config): Promise<Record<string, string>> {
  const crawl = await openCrawlStore(config);
  const alerts = await openAlertStore(config, log);
  const chat = await openChatState(config, log);
  const misses = await openMissLog(config);
  const runs = await openLineageRunStore(config);
  try {
    await crawl.store.putState('neo4j-es/postgres:wh', { generation: 1 });
    await crawl.store.recordStart('wh', 'c1', '2026-12-01T00:00:00.000Z');
    await alerts.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: '2026-12-01T00:00:00.000Z' });
    await chat.userState.toggleBookmark('U1', 'postgres://main.s/t1');
    await chat.dedupe.complete('Ev1');
    await chat.threads.set('C1:1.0', { messages: ['q'], updatedAt: '2026-12-01T00:00:00.000Z' });
    await misses.record({ at: '2026-12-01T00:00:00.000Z', kind: 'unknown', text: 'q', lang: 'en', offered: [], via: 'slack' });
    await runs.markApplied('run-1', 'START', '2026-12-01T00:00:00.000Z');
    return { crawl: crawl.kind, chat: chat.kind, misses: misses.constructor.name, runs: runs.constructor.name, alerts: alerts.store.constructor.name };
  } finally {
    await Promise.allSettled([crawl.close(), alerts.close(), chat.close(), misses.close(), runs.close()]);
  }
}

describe('no process keeps state of its own with neo4j-es and REDIS_URL', () => {
  const prefix = uniqueName('no-local');
  const dir = mkdtempSync(join(tmpdir(), 'nansen-no-local-'));
  afterAll(async () => {
    await deletePrefix(url, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('every store is in Redis and the data directory stays empty', async () => {
    const dataDir = join(dir, 'shared');
    const kinds = await useEveryStore(loadConfig({ NANSEN_BACKEND: 'neo4j-es', REDIS_URL: url, NANSEN_REDIS_PREFIX: prefix, NANSEN_DATA_DIR: dataDir }));
    expect(kinds).toEqual({ crawl: 'redis', chat: 'redis', misses: 'RedisMissLog', runs: 'RedisLineageRunStore', alerts: 'RedisAlertStore' });
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });

  it('the embedded backend without Redis keeps its single-file layout', async () => {
    const dataDir = join(dir, 'embedded');
    await useEveryStore(loadConfig({ NANSEN_BACKEND: 'embedded', NANSEN_DATA_DIR: dataDir }));
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.sqlite')).sort()).toEqual(['alerts.sqlite', 'crawls.sqlite', 'events.sqlite', 'lineage.sqlite', 'misses.sqlite', 'state.sqlite']);
  });
});
