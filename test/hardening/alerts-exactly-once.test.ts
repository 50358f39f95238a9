/**
 * Issue 11 item 3: every recorded, unannounced schema change is announced exactly once, wherever a crash hits
 * the crawl → alert path (record, publish batches, remember, claim, change set, hand-over, announce).
 */
import { runAlertCrash } from '../../bench/fault-alerts';

describe('alerts after a crash at each phase', () => {
  it('a crash-free run announces every change once', async () => {
    const r = await runAlertCrash({ tables: 40, batchSize: 10 });
    expect(r).toMatchObject({ expected: 40, announced: 40, duplicated: 0 });
    expect(r.writes).toBeGreaterThan(8);
  });

  it('a crash at every write, then a new process: none lost, none doubled', async () => {
    const { writes } = await runAlertCrash({ tables: 40, batchSize: 10 });
    const outcomes = [];
    for (let at = 1; at <= writes; at++) {
      for (const sameCrawlId of [false, true]) {
        const r = await runAlertCrash({ tables: 40, batchSize: 10, crashAt: at, sameCrawlId });
        outcomes.push({ at, sameCrawlId, crashedAt: r.crashedAt, expected: r.expected, announced: r.announced, duplicated: r.duplicated });
      }
    }
    expect(outcomes.filter((o) => o.expected !== 40 || o.announced !== 40 || o.duplicated !== 0)).toEqual([]);
    // Every phase was hit.
    expect(new Set(outcomes.map((o) => o.crashedAt))).toEqual(new Set(['graph.recordSchemaChanges', 'graph.upsertTables', 'search.upsert', 'state.putState', 'state.putFingerprints', 'alerts.claimChanges', 'alerts.putChangeSet', 'sink.enqueue', 'alerts.announceChanges']));
  }, 60_000);

  it('the probe: 2 000 tables, killed with 1 500 published and all 2 000 changes recorded', async () => {
    // Writes: recordSchemaChanges, putState, then batches of 500, each batch's search.upsert overlapping the next
    // batch's upsertTables (graph 1, graph 2, search 1, graph 3, search 2, graph 4): the 8th write, the 4th batch's graph write, dies.
    const r = await runAlertCrash({ tables: 2000, batchSize: 500, crashAt: 8 });
    expect(r.crashedAt).toBe('graph.upsertTables');
    expect(r).toMatchObject({ expected: 2000, announced: 2000, duplicated: 0 });
  }, 60_000);
});
