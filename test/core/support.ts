import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { publishRecords } from '../../src/catalog/publish';
import type { CoreDeps, EditPolicy } from '../../src/core/deps';
import { MemoryEventDeduper, MemoryThreadContextStore, MemoryUserStateStore } from '../../src/adapters/memory/memory-chat-state';
import { silentLogger } from '../../src/log/logger';
import { sampleDashboards, sampleTables, sampleUsers } from '../support/fixtures';

export const NOW = new Date('2026-11-24T09:00:00Z');
export const LATENCY = 'hive://gold.game_log/session_latency_hourly';
export const REVENUE = 'hive://gold.billing/daily_revenue';

/** Core dependencies over in-memory SQLite stores holding the shared sample catalog. */
export async function coreDeps(policy: EditPolicy = { mode: 'everyone' }): Promise<CoreDeps & { close(): Promise<void> }> {
  const graph = new SqliteGraphStore({ path: ':memory:' });
  const search = new SqliteSearchIndex({ path: ':memory:' });
  await graph.init();
  await search.init();
  await graph.upsertUsers(sampleUsers());
  await publishRecords({ tables: sampleTables(), dashboards: sampleDashboards() }, { graph, search });
  return {
    graph,
    search,
    answer: () => Promise.reject(new Error('not used')),
    threads: new MemoryThreadContextStore(),
    dedupe: new MemoryEventDeduper(),
    userState: new MemoryUserStateStore(),
    policy,
    now: () => NOW,
    timeZone: 'Asia/Seoul',
    log: silentLogger(),
    async close() {
      await graph.close();
      await search.close();
    },
  };
}
