import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store';
import { BackendUnavailableError } from '../../src/domain/errors';
import type { TableRecord } from '../../src/domain/model';
import type { GraphStore } from '../../src/ports/graph-store';
import { describeGraphStoreContract } from '../contract/graph-store.contract';
import { sampleTables, tableRecord } from '../support/fixtures';

/** The Bolt URL of the server scripts/services.sh started (env.json), unless NEO4J_URL says otherwise. */
function neo4jUrl(): string {
  if (process.env.NEO4J_URL) return process.env.NEO4J_URL;
  const file = join(process.env.NANSEN_SERVICES_DIR ?? '/tmp/nansen-services', 'env.json');
  if (existsSync(file)) {
    const env = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (env.NEO4J_URL) return env.NEO4J_URL;
  }
  return 'bolt://127.0.0.1:7697';
}

const URL = neo4jUrl();

/** Every store gets a keyspace of its own, so tests never see each other's data and may run in parallel. */
async function openStore(keyspace = `test-${randomUUID()}`): Promise<Neo4jGraphStore> {
  const store = new Neo4jGraphStore({ url: URL, keyspace });
  await store.init();
  return store;
}

async function disposeStore(store: GraphStore): Promise<void> {
  await (store as Neo4jGraphStore).clear();
  await store.close();
}

describeGraphStoreContract('neo4j', { create: () => openStore(), dispose: disposeStore });

describe('Neo4jGraphStore (adapter specifics)', () => {
  let driver: Driver;
  let store: Neo4jGraphStore;

  beforeAll(async () => {
    driver = neo4j.driver(URL, undefined, { disableLosslessIntegers: true });
  });

  afterAll(async () => {
    await driver.close();
  });

  beforeEach(async () => {
    store = await openStore();
  });

  afterEach(async () => {
    await disposeStore(store);
  });

  async function cypher<T = Record<string, unknown>>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const res = await driver.executeQuery(query, params);
    return res.records.map((r) => r.toObject() as T);
  }

  it('creates its constraints and indexes, and init is idempotent', async () => {
    await store.init();
    const constraints = await cypher<{ name: string; labelsOrTypes: string[]; properties: string[]; type: string }>(
      'SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type',
    );
    const byLabel = new Map(constraints.map((c) => [c.labelsOrTypes[0], c]));
    for (const [label, prop] of [['Table', 'key'], ['User', 'id'], ['Dashboard', 'key'], ['Edit', 'id'], ['SchemaChange', 'id']] as const) {
      const c = byLabel.get(label);
      expect(c).toBeDefined();
      expect(c!.type).toBe('UNIQUENESS');
      expect(c!.properties).toEqual(['ks', prop]);
    }
    const indexes = await cypher<{ name: string; labelsOrTypes: string[] | null; properties: string[] | null; state: string }>(
      'SHOW INDEXES YIELD name, labelsOrTypes, properties, state',
    );
    const source = indexes.find((i) => i.name === 'nansen_table_source');
    expect(source).toMatchObject({ labelsOrTypes: ['Table'], properties: ['ks', 'source'], state: 'ONLINE' });
  });

  it('throws one BackendUnavailableError when the server is down', async () => {
    const dead = new Neo4jGraphStore({ url: 'bolt://127.0.0.1:1' });
    const started = Date.now();
    const error = await dead.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).backend).toBe('neo4j');
    expect((error as BackendUnavailableError).target).toBe('bolt://127.0.0.1:1');
    expect((error as Error).message).toBe('neo4j at bolt://127.0.0.1:1 is unavailable: connect ECONNREFUSED 127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(15_000);
    await dead.close();
  });

  it('stores keys and values full of Cypher syntax as plain data everywhere', async () => {
    const nasty = `q"u'o}) DETACH DELETE n // \`x\` $ks {ks:'other'}`;
    const key = `hive://gold.game_log/${nasty}`;
    const other = await openStore();
    try {
      await other.upsertTables([tableRecord('bystander')]);
      await store.upsertUsers([{ id: nasty, name: nasty, slackId: nasty }]);
      await store.upsertTables([
        tableRecord(nasty, {
          description: nasty,
          tags: [nasty],
          owners: [nasty],
          upstream: [`hive://gold.game_log/${nasty}-up`],
          readers: [{ user: nasty, count: 3 }],
          source: nasty,
          columns: [{ name: nasty, type: nasty, position: 0, description: nasty }],
        }),
        tableRecord(`${nasty}-up`),
      ]);
      await store.upsertDashboards([{ key: `tableau://bi/${nasty}`, name: nasty, tables: [key], source: nasty }]);
      const t = (await store.getTable(key))!;
      expect(t.name).toBe(nasty);
      expect(t.sourceDescription).toBe(nasty);
      expect(t.sourceTags).toEqual([nasty]);
      expect(t.columns).toEqual([{ name: nasty, type: nasty, position: 0, sourceDescription: nasty }]);
      expect(t.readers).toEqual([{ user: nasty, count: 3 }]);
      expect(t.upstream).toEqual([`hive://gold.game_log/${nasty}-up`]);
      expect(t.dashboards).toEqual([`tableau://bi/${nasty}`]);
      expect(await store.listTableKeys({ source: nasty })).toEqual([key]);
      expect((await store.getUserBySlackId(nasty))!.id).toBe(nasty);
      const { entry } = await store.applyEdit({ tableKey: key, field: { kind: 'column_description', column: nasty }, value: nasty, actor: nasty });
      expect(await store.getEdit(entry.id)).toEqual(entry);
      expect((await store.getTable(key))!.columns[0]!.humanDescription).toBe(nasty);
      await store.recordSchemaChanges([{ id: nasty, source: nasty, crawlId: nasty, at: '2026-11-24T01:00:00Z', tableKey: key, kind: 'column_added', column: nasty }]);
      expect((await store.recentSchemaChanges({ tableKey: key, limit: 5 }))[0]!.column).toBe(nasty);
      expect(await store.lineage(key, 'upstream', 3)).toEqual([`hive://gold.game_log/${nasty}-up`]);
      expect(await other.listTableKeys()).toEqual(['hive://gold.game_log/bystander']);
    } finally {
      await disposeStore(other);
    }
  });

  it('keeps keyspaces apart', async () => {
    const other = await openStore();
    try {
      await store.upsertTables([tableRecord('shared', { description: 'mine' })]);
      await other.upsertTables([tableRecord('shared', { description: 'theirs' })]);
      await other.applyEdit({ tableKey: 'hive://gold.game_log/shared', field: { kind: 'description' }, value: 'edited there', actor: 'a' });
      const mine = (await store.getTable('hive://gold.game_log/shared'))!;
      expect(mine.sourceDescription).toBe('mine');
      expect(mine.humanDescription).toBeUndefined();
      expect(mine.version).toBe(0);
      expect(await store.recentEdits(10)).toEqual([]);
      expect((await other.getTable('hive://gold.game_log/shared'))!.version).toBe(1);
    } finally {
      await disposeStore(other);
    }
    expect((await store.stats()).tables).toBe(1);
  });

  it("moves the change token with another process's writes to the keyspace, and never repeats one after a clear", async () => {
    const keyspace = `test-${randomUUID()}`;
    const reader = await openStore(keyspace);
    const writer = await openStore(keyspace);
    const elsewhere = await openStore();
    try {
      await writer.upsertTables([tableRecord('t1')]);
      const first = await reader.changeToken();
      expect(await reader.changeToken()).toBe(first);
      await elsewhere.upsertTables([tableRecord('t1')]);
      expect(await reader.changeToken()).toBe(first);
      await writer.markRemoved(['hive://gold.game_log/t1'], '2026-11-24T09:00:00Z');
      const second = await reader.changeToken();
      expect(second).not.toBe(first);
      await writer.clear();
      const cleared = [await reader.changeToken(), await reader.changeToken()];
      expect(new Set([first, second, ...cleared]).size).toBe(4);
      await writer.upsertTables([tableRecord('t1')]);
      const again = await reader.changeToken();
      expect([first, second, ...cleared]).not.toContain(again);
      expect(await reader.changeToken()).toBe(again);
    } finally {
      await reader.close();
      await disposeStore(writer);
      await disposeStore(elsewhere);
    }
  });

  it('writes the Amundsen-shaped graph, with placeholders for tables not stored yet', async () => {
    await store.upsertUsers([{ id: 'minsu.lee', name: 'Minsu Lee' }]);
    await store.upsertTables(sampleTables());
    await store.upsertDashboards([{ key: 'tableau://bi/x', name: 'X', tables: ['hive://gold.billing/daily_revenue', 'hive://gold.nowhere/yet'] }]);
    const ks = store.keyspace;
    const count = async (pattern: string) => (await cypher<{ n: number }>(`MATCH ${pattern} RETURN count(*) AS n`, { ks }))[0]!.n;
    expect(await count('(:Table {ks: $ks})-[:HAS_COLUMN]->(:Column {ks: $ks})')).toBe(7);
    expect(await count('(:Table {ks: $ks, key: "hive://raw.game_log/ping_events"})-[:FEEDS]->(:Table {ks: $ks, key: "hive://gold.game_log/session_latency_hourly"})')).toBe(1);
    expect(await count('(:User {ks: $ks, id: "minsu.lee"})-[:READ {count: 120}]->(:Table {ks: $ks})')).toBe(1);
    expect(await count('(:Dashboard {ks: $ks})-[:READS]->(:Table {ks: $ks})')).toBe(2);
    // A reader never upserted as a user is a placeholder: an edge, but not a user.
    expect(await count('(:User {ks: $ks, id: "hana.cho", placeholder: true})')).toBe(1);
    expect(await store.getUsers(['hana.cho'])).toEqual([]);
    // The dashboard's unknown table is a placeholder: no listing, no table, no count, no lineage.
    expect(await count('(:Table {ks: $ks, key: "hive://gold.nowhere/yet", placeholder: true})')).toBe(1);
    expect(await store.getTable('hive://gold.nowhere/yet')).toBeUndefined();
    expect(await store.listTableKeys({ includeRemoved: true })).not.toContain('hive://gold.nowhere/yet');
    expect(await store.stats()).toEqual({ tables: 3, columns: 7, users: 1, dashboards: 1 });
    await store.markRemoved(['hive://gold.nowhere/yet'], '2026-11-24T00:00:00Z');
    expect(await store.listTableKeys({ includeRemoved: true })).not.toContain('hive://gold.nowhere/yet');
    await expect(store.applyEdit({ tableKey: 'hive://gold.nowhere/yet', field: { kind: 'description' }, value: 'x', actor: 'a' })).rejects.toMatchObject({
      code: 'unknown_table',
    });
    // Integers come back as JS numbers.
    const t = (await store.getTable('hive://gold.game_log/session_latency_hourly'))!;
    expect(typeof t.version).toBe('number');
    expect(typeof t.columns[0]!.position).toBe('number');
    expect(typeof t.readers[0]!.count).toBe('number');
  });

  it('deletes dropped columns, keeps human descriptions of columns that stay, and round-trips numbers', async () => {
    const key = 'hive://gold.game_log/evolving';
    const record: TableRecord = tableRecord('evolving', {
      rowCount: 12_345_678_901,
      sizeBytes: 2 ** 40,
      columns: [
        { name: 'a', type: 'int', position: 0 },
        { name: 'b', type: 'int', position: 1, nullable: false },
        { name: 'c', type: 'int', position: 2 },
      ],
    });
    await store.upsertTables([record]);
    await store.applyEdit({ tableKey: key, field: { kind: 'column_description', column: 'a' }, value: 'kept', actor: 'x' });
    await store.applyEdit({ tableKey: key, field: { kind: 'column_description', column: 'c' }, value: 'lost', actor: 'x' });
    await store.upsertTables([{ ...record, columns: [{ name: 'b', type: 'bigint', position: 0, nullable: true }, { name: 'a', type: 'int', position: 1 }] }]);
    const t = (await store.getTable(key))!;
    expect(t.columns).toEqual([
      { name: 'b', type: 'bigint', position: 0, nullable: true },
      { name: 'a', type: 'int', position: 1, humanDescription: 'kept' },
    ]);
    expect(t.rowCount).toBe(12_345_678_901);
    expect(t.sizeBytes).toBe(2 ** 40);
    const left = await cypher<{ n: number }>('MATCH (c:Column {ks: $ks}) RETURN count(c) AS n', { ks: store.keyspace });
    expect(left[0]!.n).toBe(2);
    // Bringing column c back starts it afresh: its human description went with it.
    await store.upsertTables([record]);
    expect((await store.getTable(key))!.columns.find((c) => c.name === 'c')!.humanDescription).toBeUndefined();
  });

  it('clears a human deprecation with null, falling back to the source flag', async () => {
    const key = 'hive://gold.game_log/old';
    await store.upsertTables([tableRecord('old', { deprecated: true })]);
    await store.applyEdit({ tableKey: key, field: { kind: 'deprecated' }, value: false, actor: 'x' });
    expect((await store.getTable(key))!.deprecated).toBe(false);
    await store.upsertTables([tableRecord('old', { deprecated: true })]);
    expect((await store.getTable(key))!.deprecated).toBe(false);
    const { entry, table } = await store.applyEdit({ tableKey: key, field: { kind: 'deprecated' }, value: null, actor: 'x' });
    expect(table.deprecated).toBe(true);
    expect(table.humanDeprecated).toBeUndefined();
    expect(entry).toMatchObject({ oldValue: false, newValue: true });
  });

  it('keeps load times for tables not stored yet and shows them once the table arrives', async () => {
    await store.recordLoads([{ tableKey: 'hive://gold.game_log/soon', at: '2026-11-24T01:00:00.000Z' }]);
    expect(await store.getTable('hive://gold.game_log/soon')).toBeUndefined();
    expect((await store.stats()).tables).toBe(0);
    await store.upsertTables([tableRecord('soon', { updates: ['2026-11-24T00:00:00+09:00'] })]);
    expect((await store.getTable('hive://gold.game_log/soon'))!.updates).toEqual(['2026-11-23T15:00:00Z', '2026-11-24T01:00:00Z']);
  });

  it('orders lineage breadth first and stops at cycles', async () => {
    const k = (n: string) => `hive://gold.game_log/${n}`;
    await store.upsertTables([
      tableRecord('a'),
      tableRecord('b', { upstream: [k('a')] }),
      tableRecord('c', { upstream: [k('a')] }),
      tableRecord('d', { upstream: [k('c'), k('b')] }),
      tableRecord('e', { upstream: [k('d')] }),
    ]);
    await store.upsertTables([tableRecord('a', { upstream: [k('e')] })]);
    expect(await store.lineage(k('a'), 'downstream', 1)).toEqual([k('b'), k('c')]);
    expect(await store.lineage(k('a'), 'downstream', 10)).toEqual([k('b'), k('c'), k('d'), k('e')]);
    expect(await store.lineage(k('d'), 'upstream', 2)).toEqual([k('b'), k('c'), k('a')]);
  });

  it('writes a key repeated in one batch as if its records came one after another', async () => {
    const key = 'hive://gold.game_log/twice';
    await store.upsertTables([
      tableRecord('twice', { description: 'first', updates: ['2026-11-24T01:00:00Z'], columns: [{ name: 'a', type: 'int', position: 0 }] }),
      tableRecord('twice', { description: 'second', updates: ['2026-11-24T02:00:00Z'], columns: [{ name: 'b', type: 'int', position: 0 }] }),
    ]);
    const t = (await store.getTable(key))!;
    expect(t.sourceDescription).toBe('second');
    expect(t.columns.map((c) => c.name)).toEqual(['b']);
    expect(t.updates).toEqual(['2026-11-24T01:00:00Z', '2026-11-24T02:00:00Z']);
  });

  it('reads many tables at once, however long their keys', async () => {
    const records = Array.from({ length: 120 }, (_, i) => tableRecord(`${'long_name_'.repeat(i % 7 ? 3 : 60)}${i}`));
    await store.upsertTables(records);
    const got = await store.getTables([...records.map((r) => r.key), 'hive://gold.game_log/missing', records[0]!.key]);
    expect(got.map((t) => t.key).sort()).toEqual(records.map((r) => r.key).sort());
  });

  it('upserts thousands of tables in batches', async () => {
    const records = Array.from({ length: 2500 }, (_, i) =>
      tableRecord(`bulk_${String(i).padStart(5, '0')}`, { upstream: i ? [`hive://gold.game_log/bulk_${String(i - 1).padStart(5, '0')}`] : [] }),
    );
    await store.upsertTables(records);
    expect((await store.stats()).tables).toBe(2500);
    const some = await store.getTables(records.slice(0, 200).map((r) => r.key));
    expect(some.length).toBe(200);
    expect((await store.getTable(records[10]!.key))!.upstream).toEqual([records[9]!.key]);
  });

  it('returns new tables as a read right after would see them (columns, readers, lineage across batches)', async () => {
    await store.upsertUsers([{ id: 'ana', name: 'Ana' }]);
    const records = Array.from({ length: 1200 }, (_, i) =>
      tableRecord(`fresh_${String(i).padStart(5, '0')}`, {
        upstream: i ? [`hive://gold.game_log/fresh_${String(i - 1).padStart(5, '0')}`, 'hive://gold.raw/not_stored'] : [],
        readers: i % 3 ? [] : [{ user: 'ana', count: i + 1 }, { user: 'bo', count: 2 }],
      }),
    );
    const written = await store.upsertTables(records);
    const read = await store.getTables(records.map((r) => r.key));
    const byKey = (ts: typeof read) => [...ts].sort((a, b) => a.key.localeCompare(b.key));
    expect(byKey(written)).toEqual(byKey(read));
    expect(written.find((t) => t.key === records[3]!.key)!.readers).toEqual([{ user: 'ana', count: 4 }, { user: 'bo', count: 2 }]);
  });

  it('writes the same new tables from two stores at once: one copy of each, whichever creates it first', async () => {
    const other = await openStore(store.keyspace);
    try {
      const records = Array.from({ length: 900 }, (_, i) => tableRecord(`race_${String(i).padStart(4, '0')}`));
      const [a, b] = await Promise.all([store.upsertTables(records), other.upsertTables(records)]);
      expect(a).toHaveLength(900);
      expect(b).toHaveLength(900);
      const [counts] = await cypher<{ tables: number; columns: number }>(
        'MATCH (t:Table {ks: $ks}) RETURN count(t) AS tables, sum(COUNT { (t)-[:HAS_COLUMN]->() }) AS columns',
        { ks: store.keyspace },
      );
      expect(counts).toEqual({ tables: 900, columns: 900 * records[0]!.columns.length });
    } finally {
      await other.close();
    }
  });

  it('writes the columns of the same placeholder tables from two stores at once: one set of columns each', async () => {
    const other = await openStore(store.keyspace);
    try {
      const records = Array.from({ length: 600 }, (_, i) => tableRecord(`late_${String(i).padStart(4, '0')}`));
      // Placeholders (a load time, no columns): both stores take the same `UPSERT_TABLES` path that creates columns.
      await store.recordLoads(records.map((r) => ({ tableKey: r.key, at: '2026-12-01T00:00:00.000Z' })));
      await Promise.all([store.upsertTables(records), other.upsertTables(records), store.upsertTables(records)]);
      const [counts] = await cypher<{ tables: number; columns: number; columnNodes: number }>(
        `MATCH (t:Table {ks: $ks}) WITH count(t) AS tables, sum(COUNT { (t)-[:HAS_COLUMN]->() }) AS columns
         RETURN tables, columns, COUNT { MATCH (c:Column {ks: $ks}) } AS columnNodes`,
        { ks: store.keyspace },
      );
      expect(counts).toEqual({ tables: 600, columns: 600 * records[0]!.columns.length, columnNodes: 600 * records[0]!.columns.length });
    } finally {
      await other.close();
    }
  });

  it('drops the retired column key constraint of an older graph when it opens, and opens again with it gone', async () => {
    // a graph of the earlier version: the unique constraint, no plain index
    await cypher('DROP INDEX nansen_column_lookup IF EXISTS');
    await cypher('CREATE CONSTRAINT nansen_column_key IF NOT EXISTS FOR (n:Column) REQUIRE (n.ks, n.key) IS UNIQUE');
    const columnConstraints = async () =>
      (await cypher<{ name: string }>('SHOW CONSTRAINTS YIELD name, labelsOrTypes WHERE "Column" IN labelsOrTypes RETURN name')).map((c) => c.name);
    expect(await columnConstraints()).toEqual(['nansen_column_key']);
    const reopened = await openStore(store.keyspace);
    await reopened.close();
    expect(await columnConstraints()).toEqual([]);
    const [lookup] = await cypher<{ type: string; properties: string[]; state: string }>(
      'SHOW INDEXES YIELD name, type, properties, state WHERE name = "nansen_column_lookup" RETURN type, properties, state',
    );
    expect(lookup).toEqual({ type: 'RANGE', properties: ['ks', 'key'], state: 'ONLINE' });
    // What a store of the earlier version runs when it opens: refused because of the plain index, which it takes
    // for the constraint being there (its schema step treats every *AlreadyExists code so).
    await expect(cypher('CREATE CONSTRAINT nansen_column_key IF NOT EXISTS FOR (n:Column) REQUIRE (n.ks, n.key) IS UNIQUE')).rejects.toMatchObject({
      code: expect.stringMatching(/AlreadyExists/) as unknown,
    });
    const again = await openStore(store.keyspace);
    await again.close();
    expect(await columnConstraints()).toEqual([]);
    await store.upsertTables([tableRecord('after_migration')]);
    expect((await store.getTables([tableRecord('after_migration').key]))[0]!.columns).toHaveLength(2);
  });
});
