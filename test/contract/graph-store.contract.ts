import { EditConflictError, UserError } from '../../src/domain/errors';
import type { SchemaChange } from '../../src/domain/model';
import { effectiveDescription, effectiveOwners, effectiveTags } from '../../src/domain/model';
import type { GraphStore } from '../../src/ports/graph-store';
import { sampleDashboards, sampleTables, sampleUsers, tableRecord } from '../support/fixtures';

/** Makes a fresh, empty, initialised store for one test, and disposes of it. */
export interface GraphStoreFactory {
  create(): Promise<GraphStore>;
  dispose(store: GraphStore): Promise<void>;
}

const LATENCY = 'hive://gold.game_log/session_latency_hourly';
const PING = 'hive://raw.game_log/ping_events';
const REVENUE = 'hive://gold.billing/daily_revenue';

/** The behaviour every `GraphStore` adapter must have; run against each adapter on its real backend. */
export function describeGraphStoreContract(name: string, factory: GraphStoreFactory): void {
  describe(`GraphStore contract: ${name}`, () => {
    let store: GraphStore;

    beforeEach(async () => {
      store = await factory.create();
      await store.upsertUsers(sampleUsers());
      await store.upsertTables(sampleTables());
      await store.upsertDashboards(sampleDashboards());
    });

    afterEach(async () => {
      await factory.dispose(store);
    });

    it('reads back a table with its columns, readers, lineage, dashboards and load history', async () => {
      const t = await store.getTable(LATENCY);
      expect(t).toBeDefined();
      expect(t!.name).toBe('session_latency_hourly');
      expect(t!.schema).toBe('game_log');
      expect(t!.sourceDescription).toMatch(/network latency/);
      expect(t!.columns.map((c) => c.name)).toEqual(['dt', 'country_code', 'avg_rtt_ms']);
      expect(t!.columns[1]!.type).toBe('string');
      expect(t!.columns[1]!.sourceDescription).toBe('ISO 3166-1 alpha-2');
      expect(t!.sourceTags).toEqual(['latency', 'network']);
      expect(t!.badges).toEqual(['certified']);
      expect(t!.sourceOwners).toEqual(['jiwoo.kim']);
      expect(t!.readers).toEqual([{ user: 'minsu.lee', count: 120 }, { user: 'hana.cho', count: 30 }]);
      expect(t!.upstream).toEqual([PING]);
      expect(t!.downstream).toEqual([REVENUE]);
      expect(t!.updates).toEqual(['2026-11-24T06:05:00Z', '2026-11-24T07:04:00Z', '2026-11-24T08:05:00Z']);
      expect(t!.deprecated).toBe(false);
      expect(t!.version).toBe(0);
      const revenue = await store.getTable(REVENUE);
      expect(revenue!.dashboards).toEqual(['tableau://bi/revenue_overview']);
    });

    it('returns undefined for an unknown table and leaves unknown keys out of batch reads', async () => {
      expect(await store.getTable('hive://gold.nope/missing')).toBeUndefined();
      const many = await store.getTables([LATENCY, 'hive://gold.nope/missing', REVENUE]);
      expect(many.map((t) => t.key).sort()).toEqual([REVENUE, LATENCY].sort());
    });

    it('is idempotent: upserting the same records twice changes nothing', async () => {
      const before = await store.getTable(LATENCY);
      await store.upsertTables(sampleTables());
      expect(await store.getTable(LATENCY)).toEqual(before);
      expect((await store.stats()).tables).toBe(3);
    });

    it('returns the written tables as a read right after would, across many batches and their lineage', async () => {
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'human text', actor: 'minsu.lee' });
      // 1 200 tables: several write batches; each table feeds the next, so lineage crosses batches both ways
      const name = (i: number) => `chain_${String(i).padStart(4, '0')}`;
      const records = Array.from({ length: 1200 }, (_, i) =>
        tableRecord(name(i), { upstream: i === 0 ? [LATENCY] : [`hive://gold.game_log/${name(i - 1)}`], readers: [{ user: 'minsu.lee', count: i + 1 }], updates: ['2026-11-24T06:05:00Z'] }),
      );
      const written = await store.upsertTables([...records.slice(600), ...records.slice(0, 600), sampleTables()[0]!]);
      const keys = [...records.map((r) => r.key), LATENCY];
      const byKey = (ts: Array<{ key: string }>) => [...ts].sort((a, b) => (a.key < b.key ? -1 : 1));
      expect(byKey(written)).toEqual(byKey(await store.getTables(keys)));
      expect(written.find((t) => t.key === LATENCY)!.humanDescription).toBe('human text');
      expect(written.find((t) => t.key === LATENCY)!.downstream).toEqual([REVENUE, `hive://gold.game_log/${name(0)}`].sort());
    });

    it('keeps upstream edges to tables not stored yet and resolves them when the table arrives', async () => {
      await store.upsertTables([tableRecord('child', { upstream: ['hive://gold.game_log/later'] })]);
      expect((await store.getTable('hive://gold.game_log/child'))!.upstream).toEqual([]);
      expect(await store.listTableKeys()).not.toContain('hive://gold.game_log/later');
      await store.upsertTables([tableRecord('later')]);
      expect((await store.getTable('hive://gold.game_log/child'))!.upstream).toEqual(['hive://gold.game_log/later']);
      expect((await store.getTable('hive://gold.game_log/later'))!.downstream).toEqual(['hive://gold.game_log/child']);
    });

    it('replaces a table’s upstream edges with what its source says now', async () => {
      await store.upsertTables([{ ...sampleTables()[0]!, upstream: [] }]);
      expect((await store.getTable(LATENCY))!.upstream).toEqual([]);
      expect((await store.getTable(PING))!.downstream).toEqual([]);
    });

    it('follows lineage several hops, nearest first', async () => {
      expect(await store.lineage(REVENUE, 'upstream', 1)).toEqual([LATENCY]);
      expect(await store.lineage(REVENUE, 'upstream', 3)).toEqual([LATENCY, PING]);
      expect(await store.lineage(PING, 'downstream', 2)).toEqual([LATENCY, REVENUE]);
      expect(await store.lineage(PING, 'upstream', 2)).toEqual([]);
    });

    it('merges load history and never shrinks it', async () => {
      await store.upsertTables([{ ...sampleTables()[0]!, updates: ['2026-11-24T09:05:00Z'] }]);
      await store.recordLoads([{ tableKey: LATENCY, at: '2026-11-24T10:04:00.000Z' }, { tableKey: LATENCY, at: '2026-11-24T09:05:00Z' }]);
      expect((await store.getTable(LATENCY))!.updates).toEqual([
        '2026-11-24T06:05:00Z',
        '2026-11-24T07:04:00Z',
        '2026-11-24T08:05:00Z',
        '2026-11-24T09:05:00Z',
        '2026-11-24T10:04:00Z',
      ]);
    });

    it('soft-deletes: a removed table stays readable, leaves listings, and returns when published again', async () => {
      await store.markRemoved([PING], '2026-11-24T10:00:00Z');
      expect(await store.listTableKeys()).not.toContain(PING);
      expect(await store.listTableKeys({ includeRemoved: true })).toContain(PING);
      expect((await store.getTable(PING))!.removedAt).toBe('2026-11-24T10:00:00Z');
      expect((await store.stats()).tables).toBe(2);
      await store.upsertTables([sampleTables()[1]!]);
      expect((await store.getTable(PING))!.removedAt).toBeUndefined();
      expect(await store.listTableKeys()).toContain(PING);
    });

    it('lists tables by source', async () => {
      await store.upsertTables([tableRecord('from_pg', { source: 'postgres:wh' })]);
      expect(await store.listTableKeys({ source: 'postgres:wh' })).toEqual(['hive://gold.game_log/from_pg']);
      expect((await store.listTableKeys({ source: 'test' })).length).toBe(3);
    });

    it('reads users by id and by Slack id, and dashboards with their tables', async () => {
      expect((await store.getUsers(['jiwoo.kim', 'nobody'])).map((u) => u.name)).toEqual(['Jiwoo Kim']);
      expect((await store.getUserBySlackId('U01MINSU01'))!.id).toBe('minsu.lee');
      expect(await store.getUserBySlackId('UNOBODY')).toBeUndefined();
      const d = await store.getDashboard('tableau://bi/revenue_overview');
      expect(d!.name).toBe('Revenue Overview');
      expect(d!.tables).toEqual([REVENUE]);
      expect(d!.owners).toEqual(['hana.cho']);
      expect(await store.listDashboardKeys()).toEqual(['tableau://bi/revenue_overview']);
    });

    it("lists its people, and a person's tables: owned, and read most first; removed tables left out", async () => {
      expect((await store.listUsers()).map((u) => u.id).sort()).toEqual(sampleUsers().map((u) => u.id).sort());
      const hana = await store.tablesOfPerson('hana.cho');
      expect(hana.owned).toEqual([REVENUE]);
      expect(hana.read).toEqual([{ table: LATENCY, count: 30 }]);
      expect(await store.tablesOfPerson('minsu.lee')).toEqual({ owned: [], read: [{ table: LATENCY, count: 120 }] });
      await store.markRemoved([REVENUE], '2026-11-24T10:00:00Z');
      expect((await store.tablesOfPerson('hana.cho')).owned).toEqual([]);
      expect(await store.tablesOfPerson('nobody')).toEqual({ owned: [], read: [] });
    });

    it('applies an edit atomically: human value, version bump, log entry with old and new', async () => {
      const { entry, table } = await store.applyEdit({
        tableKey: LATENCY,
        field: { kind: 'description' },
        value: 'Latency by country, curated.',
        actor: 'minsu.lee',
        expectedVersion: 0,
      });
      expect(table.humanDescription).toBe('Latency by country, curated.');
      expect(effectiveDescription(table)).toBe('Latency by country, curated.');
      expect(table.sourceDescription).toMatch(/network latency/);
      expect(table.version).toBe(1);
      expect(entry.oldValue).toMatch(/network latency/);
      expect(entry.newValue).toBe('Latency by country, curated.');
      expect(entry.actor).toBe('minsu.lee');
      expect(Date.parse(entry.at)).not.toBeNaN();
      expect(await store.editLog(LATENCY)).toEqual([entry]);
      expect(await store.getEdit(entry.id)).toEqual(entry);
    });

    it('edits tags, owners and column descriptions, and logs each', async () => {
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'tags' }, value: ['latency', 'Gold'], actor: 'minsu.lee' });
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'owners' }, value: ['hana.cho'], actor: 'minsu.lee' });
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'column_description', column: 'avg_rtt_ms' }, value: 'RTT in ms', actor: 'hana.cho' });
      const t = (await store.getTable(LATENCY))!;
      expect(effectiveTags(t)).toEqual(['latency', 'gold']);
      expect(effectiveOwners(t)).toEqual(['hana.cho']);
      expect(t.columns.find((c) => c.name === 'avg_rtt_ms')!.humanDescription).toBe('RTT in ms');
      expect(t.version).toBe(3);
      const log = await store.editLog(LATENCY);
      expect(log.map((e) => e.field.kind)).toEqual(['column_description', 'owners', 'tags']);
      expect(log[1]!.oldValue).toEqual(['jiwoo.kim']);
      expect((await store.recentEdits(2)).map((e) => e.field.kind)).toEqual(['column_description', 'owners']);
    });

    it('rejects a stale edit with a conflict and writes nothing', async () => {
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'first', actor: 'minsu.lee', expectedVersion: 0 });
      await expect(
        store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'second', actor: 'hana.cho', expectedVersion: 0 }),
      ).rejects.toBeInstanceOf(EditConflictError);
      const t = (await store.getTable(LATENCY))!;
      expect(t.humanDescription).toBe('first');
      expect(t.version).toBe(1);
      expect((await store.editLog(LATENCY)).length).toBe(1);
    });

    it('lets exactly one of two concurrent edits of the same version win', async () => {
      const results = await Promise.allSettled(
        ['a', 'b'].map((v) => store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: v, actor: 'minsu.lee', expectedVersion: 0 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
      expect((await store.editLog(LATENCY)).length).toBe(1);
    });

    it('refuses edits of unknown tables and columns with user errors', async () => {
      await expect(store.applyEdit({ tableKey: 'hive://gold.x/none', field: { kind: 'description' }, value: 'x', actor: 'a' })).rejects.toMatchObject({
        code: 'unknown_table',
      });
      await expect(
        store.applyEdit({ tableKey: LATENCY, field: { kind: 'column_description', column: 'nope' }, value: 'x', actor: 'a' }),
      ).rejects.toBeInstanceOf(UserError);
      expect(await store.editLog(LATENCY)).toEqual([]);
    });

    it('applies a batch of edits in order in one step, each logged with its own entry', async () => {
      const entries = await store.applyEdits([
        { tableKey: LATENCY, field: { kind: 'description' }, value: 'first', actor: 'amundsen-migration', expectedVersion: 0 },
        { tableKey: LATENCY, field: { kind: 'column_description', column: 'avg_rtt_ms' }, value: 'RTT in ms', actor: 'amundsen-migration', expectedVersion: 1 },
        { tableKey: REVENUE, field: { kind: 'tags' }, value: ['Money'], actor: 'amundsen-migration', expectedVersion: 0 },
        { tableKey: LATENCY, field: { kind: 'description' }, value: 'second', actor: 'amundsen-migration', expectedVersion: 2 },
        { tableKey: LATENCY, field: { kind: 'owners' }, value: ['hana.cho'], actor: 'amundsen-migration' },
      ]);
      expect(entries.map((e) => [e.tableKey, e.field.kind, e.newValue])).toEqual([
        [LATENCY, 'description', 'first'],
        [LATENCY, 'column_description', 'RTT in ms'],
        [REVENUE, 'tags', ['money']],
        [LATENCY, 'description', 'second'],
        [LATENCY, 'owners', ['hana.cho']],
      ]);
      expect(entries[0]!.oldValue).toMatch(/network latency/);
      expect(entries[3]!.oldValue).toBe('first');
      const t = (await store.getTable(LATENCY))!;
      expect(t.humanDescription).toBe('second');
      expect(t.humanOwners).toEqual(['hana.cho']);
      expect(t.columns.find((c) => c.name === 'avg_rtt_ms')!.humanDescription).toBe('RTT in ms');
      expect(t.version).toBe(4);
      expect((await store.getTable(REVENUE))!.version).toBe(1);
      expect(await store.editLog(LATENCY)).toEqual([entries[4], entries[3], entries[1], entries[0]]);
      expect(await store.recentEdits(5)).toEqual([...entries].reverse());
      expect(await store.getEdit(entries[2]!.id)).toEqual(entries[2]);
      const after = await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'third', actor: 'minsu.lee', expectedVersion: 4 });
      expect((await store.recentEdits(1))[0]).toEqual(after.entry);
      expect(await store.applyEdits([])).toEqual([]);
    });

    it('writes none of a batch when one edit conflicts or fails', async () => {
      await expect(
        store.applyEdits([
          { tableKey: REVENUE, field: { kind: 'description' }, value: 'ok', actor: 'a', expectedVersion: 0 },
          { tableKey: LATENCY, field: { kind: 'description' }, value: 'stale', actor: 'a', expectedVersion: 1 },
        ]),
      ).rejects.toBeInstanceOf(EditConflictError);
      await expect(
        store.applyEdits([
          { tableKey: REVENUE, field: { kind: 'description' }, value: 'ok', actor: 'a' },
          { tableKey: 'hive://gold.x/none', field: { kind: 'description' }, value: 'x', actor: 'a' },
        ]),
      ).rejects.toMatchObject({ code: 'unknown_table' });
      await expect(
        store.applyEdits([
          { tableKey: REVENUE, field: { kind: 'description' }, value: 'ok', actor: 'a' },
          { tableKey: LATENCY, field: { kind: 'column_description', column: 'nope' }, value: 'x', actor: 'a' },
        ]),
      ).rejects.toBeInstanceOf(UserError);
      expect((await store.getTable(REVENUE))!.version).toBe(0);
      expect((await store.getTable(REVENUE))!.humanDescription).toBeUndefined();
      expect(await store.recentEdits(10)).toEqual([]);
      // the failed batches left no lock behind: a later edit goes through
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'later', actor: 'a', expectedVersion: 0 });
    });

    it('never lets a source overwrite what a person set', async () => {
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'human text', actor: 'minsu.lee' });
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'tags' }, value: ['curated'], actor: 'minsu.lee' });
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'owners' }, value: ['hana.cho'], actor: 'minsu.lee' });
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'deprecated' }, value: true, actor: 'minsu.lee' });
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'column_description', column: 'dt' }, value: 'KST date', actor: 'minsu.lee' });
      await store.upsertTables([{ ...sampleTables()[0]!, description: 'new source text', tags: ['from-source'], owners: ['jiwoo.kim'], deprecated: false }]);
      const t = (await store.getTable(LATENCY))!;
      expect(t.sourceDescription).toBe('new source text');
      expect(effectiveDescription(t)).toBe('human text');
      expect(effectiveTags(t)).toEqual(['curated']);
      expect(effectiveOwners(t)).toEqual(['hana.cho']);
      expect(t.deprecated).toBe(true);
      expect(t.columns.find((c) => c.name === 'dt')!.humanDescription).toBe('KST date');
      expect(t.version).toBe(5);
    });

    it('clears a human value with null so the source value shows again', async () => {
      await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: 'human text', actor: 'minsu.lee' });
      const { table } = await store.applyEdit({ tableKey: LATENCY, field: { kind: 'description' }, value: null, actor: 'minsu.lee' });
      expect(table.humanDescription).toBeUndefined();
      expect(effectiveDescription(table)).toMatch(/network latency/);
    });

    it('stores values with quotes and query syntax as plain data', async () => {
      const nasty = `we"ird'}) DETACH DELETE n // $x {a:1}`;
      await store.upsertTables([tableRecord(nasty, { description: nasty, columns: [{ name: nasty, type: 'text', position: 0, description: nasty }] })]);
      const key = `hive://gold.game_log/${nasty}`;
      const t = (await store.getTable(key))!;
      expect(t.name).toBe(nasty);
      expect(t.columns[0]!.name).toBe(nasty);
      expect((await store.stats()).tables).toBe(4);
    });

    it('records schema changes once by id and lists them newest first', async () => {
      const change = (id: string, at: string, tableKey = LATENCY): SchemaChange => ({
        id,
        source: 'test',
        crawlId: 'c1',
        at,
        tableKey,
        kind: 'column_added',
        column: 'x',
        newValue: 'int',
      });
      await store.recordSchemaChanges([change('a', '2026-11-24T01:00:00Z'), change('b', '2026-11-24T02:00:00Z', REVENUE)]);
      await store.recordSchemaChanges([change('a', '2026-11-24T01:00:00Z')]);
      expect((await store.recentSchemaChanges({ limit: 10 })).map((c) => c.id)).toEqual(['b', 'a']);
      expect((await store.recentSchemaChanges({ tableKey: LATENCY, limit: 10 })).map((c) => c.id)).toEqual(['a']);
      expect((await store.recentSchemaChanges({ limit: 1 })).map((c) => c.id)).toEqual(['b']);
    });

    it('counts what it holds', async () => {
      expect(await store.stats()).toEqual({ tables: 3, columns: 7, users: 3, dashboards: 1 });
    });

    it('handles a table with 1000 columns', async () => {
      const columns = Array.from({ length: 1000 }, (_, i) => ({ name: `c${i}`, type: 'int', position: i }));
      await store.upsertTables([tableRecord('wide', { columns })]);
      const t = (await store.getTable('hive://gold.game_log/wide'))!;
      expect(t.columns.length).toBe(1000);
      expect(t.columns[999]!.name).toBe('c999');
    });

    it('keeps its change token, when it has one, across reads, and moves it with every kind of write', async () => {
      if (!store.changeToken) return;
      const token = async (): Promise<string> => store.changeToken!();
      let last = await token();
      await store.getTables([LATENCY, PING]);
      await store.listTableKeys();
      await store.editLog(LATENCY);
      expect(await token()).toBe(last);
      const writes: Array<[string, () => Promise<unknown>]> = [
        ['upsertTables', () => store.upsertTables([{ ...sampleTables()[0]!, description: 'rewritten' }])],
        ['upsertUsers', () => store.upsertUsers(sampleUsers().slice(0, 1))],
        ['upsertDashboards', () => store.upsertDashboards(sampleDashboards().slice(0, 1))],
        ['recordLoads', () => store.recordLoads([{ tableKey: LATENCY, at: '2026-11-24T09:05:00Z' }])],
        ['applyEdit', () => store.applyEdit({ tableKey: LATENCY, field: { kind: 'tags' }, value: ['gold'], actor: 'minsu.lee' })],
        ['applyEdits', () => store.applyEdits([{ tableKey: PING, field: { kind: 'description' }, value: 'pings', actor: 'minsu.lee' }])],
        ['markRemoved', () => store.markRemoved([REVENUE], '2026-11-24T09:10:00Z')],
      ];
      for (const [name, write] of writes) {
        await write();
        const next = await token();
        expect({ write: name, moved: next !== last }).toEqual({ write: name, moved: true });
        last = next;
      }
    });
  });
}
