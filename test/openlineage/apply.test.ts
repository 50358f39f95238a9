import { applyRunEvent, type ObservedChanges } from '../../ingest/openlineage/apply';
import { parseNamespaceMapping } from '../../ingest/openlineage/map';
import type { RunEvent } from '../../ingest/openlineage/types';
import { OpenLineageValidator } from '../../ingest/openlineage/validate';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteLineageRunStore } from '../../src/adapters/embedded/sqlite-lineage-run-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { publishRecords } from '../../src/catalog/publish';
import { silentLogger } from '../../src/log/logger';

const KEY = 'hive://gold.game_log/sessions';
const facet = (fields: Array<[string, string]>) => ({ _producer: 'https://example.com/p', _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet', fields: fields.map(([name, type]) => ({ name, type })) });
const event = (eventType: RunEvent['eventType'], fields: Array<[string, string]>, runId = '0192f0c1-0000-7000-8000-0000000000b1'): RunEvent => ({
  eventType,
  eventTime: '2026-12-02T05:10:00Z',
  producer: 'https://example.com/p',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId },
  job: { namespace: 'airflow', name: 'build_sessions' },
  outputs: [{ namespace: 'hive://metastore:9083', name: 'game_log.sessions', facets: { schema: facet(fields) } }],
});

describe('applyRunEvent', () => {
  let graph: SqliteGraphStore;
  let search: SqliteSearchIndex;
  let runs: SqliteLineageRunStore;
  beforeEach(async () => {
    graph = new SqliteGraphStore({ path: ':memory:' });
    search = new SqliteSearchIndex({ path: ':memory:' });
    runs = new SqliteLineageRunStore({ path: ':memory:' });
    await Promise.all([graph.init(), search.init(), runs.init()]);
    await publishRecords({ tables: [{ key: KEY, database: 'hive', cluster: 'gold', schema: 'game_log', name: 'sessions', description: 'sessions', owners: ['jiwoo.kim'], columns: [{ name: 'id', type: 'bigint', position: 0, description: 'the id' }, { name: 'n', type: 'int', position: 1 }], source: 'hive-metastore:prod' }] }, { graph, search });
  });
  afterEach(async () => Promise.all([graph.close(), search.close(), runs.close()]));

  const deps = (announce: (c: ObservedChanges) => Promise<void>) => ({ stores: { graph, search }, runs, mapping: parseNamespaceMapping('hive://metastore:9083=hive://gold'), announce, log: silentLogger() });

  it('validates the events it is given as the spec says', () => {
    expect(new OpenLineageValidator().validate(event('COMPLETE', [['id', 'bigint']]))).toMatchObject({ kind: 'run' });
  });

  it('announces a schema facet that differs from the catalog once, and an event that failed half-way is redone on retry', async () => {
    const announced: ObservedChanges[] = [];
    let fail = true;
    const flaky = async (c: ObservedChanges): Promise<void> => {
      announced.push(c);
      if (fail) throw new Error('redis down');
    };
    const e = event('COMPLETE', [['id', 'bigint'], ['n', 'bigint'], ['region', 'string']]);
    await expect(applyRunEvent(e, deps(flaky))).rejects.toThrow('redis down');
    expect(await runs.applied(e.run.runId, 'COMPLETE')).toBe(false);
    fail = false;
    const r = await applyRunEvent(e, deps(flaky));
    expect(r).toMatchObject({ status: 'applied', changes: 2, loads: 1 });
    expect(announced).toHaveLength(2);
    expect(announced[0]!.crawlId).toBe(announced[1]!.crawlId);
    expect(announced[1]!.changes.map((c) => c.id)).toEqual(announced[0]!.changes.map((c) => c.id));
    expect((await graph.recentSchemaChanges({ tableKey: KEY, limit: 10 })).map((c) => c.kind).sort()).toEqual(['column_added', 'column_type_changed']);

    expect(await applyRunEvent(e, deps(flaky))).toMatchObject({ status: 'duplicate' });
    const later = await applyRunEvent(event('COMPLETE', [['id', 'bigint'], ['n', 'bigint'], ['region', 'string']], '0192f0c1-0000-7000-8000-0000000000b2'), deps(flaky));
    expect(later).toMatchObject({ status: 'applied', changes: 0 });
    expect(announced).toHaveLength(2);

    const t = (await graph.getTable(KEY))!;
    expect(t).toMatchObject({ source: 'hive-metastore:prod', sourceOwners: ['jiwoo.kim'], sourceDescription: 'sessions' });
    expect(t.columns.map((c) => [c.name, c.type, c.sourceDescription ?? null])).toEqual([
      ['id', 'bigint', 'the id'],
      ['n', 'bigint', null],
      ['region', 'string', null],
    ]);
  });

  it('keeps a FAIL as the last run with its message, and a later COMPLETE replaces it', async () => {
    const none = async (): Promise<void> => undefined;
    const fail: RunEvent = { ...event('FAIL', [['id', 'bigint'], ['n', 'int']]), run: { runId: '0192f0c1-0000-7000-8000-0000000000c1', facets: { errorMessage: { message: 'OOM' } } } };
    await applyRunEvent(fail, deps(none));
    expect((await runs.lastRuns([KEY])).get(KEY)).toMatchObject({ state: 'FAIL', message: 'OOM', job: 'airflow/build_sessions' });
    expect((await graph.getTable(KEY))!.updates).toEqual([]);
    await applyRunEvent({ ...event('COMPLETE', [['id', 'bigint'], ['n', 'int']], '0192f0c1-0000-7000-8000-0000000000c2'), eventTime: '2026-12-02T06:00:00Z' }, deps(none));
    expect((await runs.lastRuns([KEY])).get(KEY)).toMatchObject({ state: 'COMPLETE' });
    // an older event arriving late does not hide the newer run
    await applyRunEvent({ ...fail, run: { runId: '0192f0c1-0000-7000-8000-0000000000c3' }, eventTime: '2026-12-02T05:30:00Z' }, deps(none));
    expect((await runs.lastRuns([KEY])).get(KEY)).toMatchObject({ state: 'COMPLETE' });
  });
});
