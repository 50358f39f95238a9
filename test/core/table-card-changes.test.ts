import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { tableCard } from '../../src/core/table-card';
import { tableCardBlocks } from '../../src/render/table-card';
import { sampleTables } from '../support/fixtures';

describe('the table card shows recent schema changes', () => {
  it('lists the table’s changes, breaking ones marked, and none of other tables', async () => {
    const graph = new SqliteGraphStore({ path: ':memory:' });
    await graph.init();
    await graph.upsertTables(sampleTables());
    const key = 'hive://gold.game_log/session_latency_hourly';
    const base = { source: 'test', crawlId: 'c1', at: '2026-11-24T08:00:00Z' };
    await graph.recordSchemaChanges([
      { ...base, id: 'x1', tableKey: key, kind: 'column_removed', column: 'ping_ms', oldValue: 'double' },
      { ...base, id: 'x2', tableKey: key, kind: 'column_added', column: 'region', newValue: 'string' },
      { ...base, id: 'x3', tableKey: 'hive://gold.billing/daily_revenue', kind: 'column_added', column: 'other_col', newValue: 'int' },
    ]);
    const deps = { graph, now: () => new Date('2026-11-24T09:00:00Z'), timeZone: 'Asia/Seoul' };
    const card = await tableCard(key, deps);
    expect(card.recentChanges.map((c) => c.severity).sort()).toEqual(['additive', 'breaking']);
    const text = JSON.stringify(tableCardBlocks(card, { now: deps.now(), timeZone: 'Asia/Seoul' } as never).blocks);
    expect(text).toContain('Recent schema changes');
    expect(text).toContain('ping_ms');
    expect(text).toContain('region');
    expect(text).not.toContain('other_col');
    await graph.close();
  });
});
