import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import neo4j from 'neo4j-driver';
import { answer } from '../../src/answering/answer';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { main } from '../../src/main/cli';
import { openStores } from '../../src/main/stores';
import { renderTerminal } from '../../src/render/terminal';
import type { MigrationReport } from '../../ingest/amundsen/migrate';
import { serviceEnv } from '../../bench/service-env';
import { dropIndexes } from '../../bench/lib';

const ROOT = join(__dirname, '..', '..');
/** The separate Neo4j of scripts/services.sh for Amundsen's graph (its labels and constraints never meet Nansen's). */
const AMUNDSEN = process.env.AMUNDSEN_NEO4J_URL ?? 'bolt://127.0.0.1:7698';
const TABLE1 = 'hive://gold.test_schema/test_table1';

async function run(python: string, args: string[]): Promise<void> {
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${args[0]} failed (${code}): ${err.slice(-3000)}`);
}

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += c.toString()));
  err.on('data', (c: Buffer) => (e += c.toString()));
  const code = await main(argv, { out, err, env });
  return { code, out: o, err: e };
}

/**
 * `migrate amundsen` against the real thing: Amundsen's sample data loaded with amundsen-databuilder 7.5.1's own
 * FsNeo4jCSVLoader → Neo4jCsvPublisher into a Neo4j 5, then migrated with the CLI into the embedded stores.
 */
describe('migrate amundsen (databuilder-loaded sample data → Nansen)', () => {
  let dir: string;
  let env: Record<string, string>;
  let source: Record<string, number>;

  beforeAll(async () => {
    const python = execFileSync('bash', [join(ROOT, 'scripts/amundsen-venv.sh')], { encoding: 'utf8', timeout: 600_000 }).trim();
    const driver = neo4j.driver(AMUNDSEN);
    try {
      await driver.executeQuery('MATCH (n) DETACH DELETE n'); // the sample graph is small
      const work = mkdtempSync(join(tmpdir(), 'nansen-amundsen-work-'));
      try {
        await run(python, [join(__dirname, 'load_amundsen.py'), AMUNDSEN, join(__dirname, 'sample_data'), work]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      const { records } = await driver.executeQuery('MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n');
      source = Object.fromEntries(records.map((r) => [r.get('l') as string, (r.get('n') as { toNumber(): number }).toNumber()]));
    } finally {
      await driver.close();
    }
    dir = mkdtempSync(join(tmpdir(), 'nansen-amundsen-'));
    env = { NANSEN_DATA_DIR: dir, NANSEN_BACKEND: 'embedded', NANSEN_TIMEZONE: 'Asia/Seoul' };
  }, 700_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a dry run reports what it would take and writes nothing', async () => {
    const r = await cli(['migrate', 'amundsen', '--neo4j', AMUNDSEN, '--dry-run', '--json'], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as MigrationReport;
    expect(report).toMatchObject({ dryRun: true, counts: { tables: { read: source.Table, written: source.Table } } });
    expect(report.edits).toBeGreaterThan(0);
    const stores = await openStores(loadConfig(env), silentLogger(), 'embedded');
    try {
      expect(await stores.graph.stats()).toEqual({ tables: 0, columns: 0, users: 0, dashboards: 0 });
    } finally {
      await stores.close();
    }
  });

  it('takes the graph over: counts match the source, human fields are human, answers name the owners and times', async () => {
    const r = await cli(['migrate', 'amundsen', '--neo4j', AMUNDSEN, '--batch', '2', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/migrate tables: 6\/6/);
    const report = JSON.parse(r.out) as MigrationReport;
    expect(report.source).toEqual(source);
    expect(report.counts).toMatchObject({
      users: { read: source.User, written: source.User },
      tables: { read: source.Table, written: source.Table },
      columns: { read: source.Column, written: source.Column },
      dashboards: { read: source.Dashboard, written: source.Dashboard },
      programmatic_descriptions: { written: source.Programmatic_Description },
      last_updated: { written: 2 },
    });
    expect(report.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'watermarks', count: source.Watermark }), expect.objectContaining({ kind: 'applications', count: source.Application })]));

    const stores = await openStores(loadConfig(env), silentLogger(), 'embedded');
    try {
      expect(await stores.graph.stats()).toEqual({ tables: source.Table, columns: source.Column, users: source.User, dashboards: source.Dashboard });
      const t = (await stores.graph.getTable(TABLE1))!;
      expect(t).toMatchObject({ humanDescription: '1st test table', humanTags: ['expensive', 'low_quality', 'tag1', 'tag2'], humanOwners: ['chrisc@example.org', 'roald.amundsen@example.org'], badges: ['beta'], source: 'amundsen' });
      expect(t.sourceDescription).toMatch(/quality_service: .*\n\ns3_crawler: /s);
      expect(t.columns.map((c) => [c.name, c.type, c.humanDescription])).toEqual([
        ['col1', 'string', 'col1 description'],
        ['col2', 'string', 'col2 description'],
        ['col3', 'string', 'col3 description'],
        ['col4', 'string', 'col4 description'],
        ['col5', 'float', 'col5 description'],
      ]);
      expect(t.downstream).toEqual(expect.arrayContaining(['dynamo://gold.test_schema/test_table2', 'hive://gold.test_schema/test_view1']));
      expect(t.readers.find((x) => x.user === 'roald.amundsen@example.org')?.count).toBe(500);
      expect((await stores.graph.getTable('hive://gold.test_schema/test_view1'))!.kind).toBe('view');
      const dash = (await stores.graph.getDashboard('mode_dashboard://gold.test_group_id_1/test_dashboard_id_1'))!;
      expect(dash).toMatchObject({ name: 'test group1 / test dashboard', tables: [TABLE1], url: 'http://mode.test_group_id_1.com/test_dashboard_id_1' });
      expect((await stores.graph.editLog(TABLE1)).every((e) => e.actor === 'amundsen-migration')).toBe(true);

      const deps = { graph: stores.graph, search: stores.search, now: () => new Date('2026-12-02T00:00:00Z'), timeZone: 'UTC' };
      const owners = await answer({ text: 'who owns test_table1?' }, deps);
      expect(owners).toMatchObject({ kind: 'owners', users: ['chrisc@example.org', 'roald.amundsen@example.org'] });
      expect(renderTerminal(owners)).toMatch(/Christopher Columbus.*Roald Amundsen/s);
      const updated = await answer({ text: 'when was test_table1 last updated?' }, deps);
      expect(updated).toMatchObject({ kind: 'last_updated', at: '2019-10-04T23:07:53Z' });
      expect(renderTerminal(updated)).toMatch(/2019-10-04/);
    } finally {
      await stores.close();
    }
  });

  it('is idempotent: a second run writes no edits and changes no count, and keeps what a person changed since', async () => {
    const stores = await openStores(loadConfig(env), silentLogger(), 'embedded');
    let before: number;
    try {
      const t = (await stores.graph.getTable(TABLE1))!;
      await stores.graph.applyEdit({ tableKey: TABLE1, field: { kind: 'description' }, value: 'Edited in Nansen', actor: 'jiwoo.kim', expectedVersion: t.version });
      before = (await stores.graph.editLog(TABLE1, 100)).length;
    } finally {
      await stores.close();
    }
    const r = await cli(['migrate', 'amundsen', '--neo4j', AMUNDSEN, '--json'], env);
    const report = JSON.parse(r.out) as MigrationReport;
    expect(report.edits).toBe(0);
    expect(report.skipped).toEqual(expect.arrayContaining([{ kind: 'human_descriptions', reason: expect.stringMatching(/person set another value/), count: 1 }]));
    const again = await openStores(loadConfig(env), silentLogger(), 'embedded');
    try {
      expect(await again.graph.stats()).toEqual({ tables: source.Table, columns: source.Column, users: source.User, dashboards: source.Dashboard });
      const t = (await again.graph.getTable(TABLE1))!;
      expect(t.humanDescription).toBe('Edited in Nansen');
      expect(t.updates).toEqual(['2019-10-04T23:07:53Z']);
      expect((await again.graph.editLog(TABLE1, 100)).length).toBe(before);
    } finally {
      await again.close();
    }
  });

  it('into neo4j-es: human fields written in batches stay human, each logged and revertible, and a second run writes nothing', async () => {
    const services = { ...serviceEnv(), ...process.env } as Record<string, string>;
    const tag = randomUUID().slice(0, 8);
    const nenv = { ...env, NANSEN_BACKEND: 'neo4j-es', NEO4J_URL: services.NEO4J_URL!, ELASTICSEARCH_URL: services.ELASTICSEARCH_URL!, NEO4J_KEYSPACE: `test-migrate-${tag}`, ELASTICSEARCH_INDEX_PREFIX: `test-migrate-${tag}` };
    const config = loadConfig(nenv);
    try {
      const first = JSON.parse((await cli(['migrate', 'amundsen', '--neo4j', AMUNDSEN, '--batch', '4', '--json'], nenv)).out) as MigrationReport;
      expect(first.counts.tables).toEqual({ read: source.Table, written: source.Table });
      expect(first.edits).toBeGreaterThan(0);
      const stores = await openStores(config, silentLogger(), 'neo4j-es');
      try {
        expect(await stores.graph.stats()).toEqual({ tables: source.Table, columns: source.Column, users: source.User, dashboards: source.Dashboard });
        const t = (await stores.graph.getTable(TABLE1))!;
        expect(t).toMatchObject({ humanDescription: '1st test table', humanTags: ['expensive', 'low_quality', 'tag1', 'tag2'], humanOwners: ['chrisc@example.org', 'roald.amundsen@example.org'] });
        expect(t.columns.find((c) => c.name === 'col1')!.humanDescription).toBe('col1 description');
        const log = await stores.graph.recentEdits(1000);
        expect(log.length).toBe(first.edits);
        expect(log.every((e) => e.actor === 'amundsen-migration')).toBe(true);
        expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
        const tags = (await stores.graph.editLog(TABLE1)).find((e) => e.field.kind === 'tags')!;
        expect(tags).toMatchObject({ oldValue: [], newValue: ['expensive', 'low_quality', 'tag1', 'tag2'] });
        const owners = await answer({ text: 'who owns test_table1?' }, { graph: stores.graph, search: stores.search, now: () => new Date('2026-12-02T00:00:00Z'), timeZone: 'UTC' });
        expect(owners).toMatchObject({ kind: 'owners', users: ['chrisc@example.org', 'roald.amundsen@example.org'] });
        // a crawl-like source upsert keeps the human fields
        const record = { key: TABLE1, database: 'hive', cluster: 'gold', schema: 'test_schema', name: 'test_table1', kind: 'table' as const, description: 'from a crawler', columns: t.columns.map((c) => ({ name: c.name, type: c.type, position: c.position })), source: 'hive' };
        await stores.graph.upsertTables([record]);
        expect((await stores.graph.getTable(TABLE1))!.humanDescription).toBe('1st test table');
        // one migrated field reverts on its own
        const desc = (await stores.graph.editLog(TABLE1)).find((e) => e.field.kind === 'description')!;
        await stores.graph.applyEdit({ tableKey: TABLE1, field: desc.field, value: null, actor: 'jiwoo.kim', revertOf: desc.id });
        const reverted = (await stores.graph.getTable(TABLE1))!;
        expect(reverted.humanDescription).toBeUndefined();
        expect(reverted.humanTags).toEqual(['expensive', 'low_quality', 'tag1', 'tag2']);
      } finally {
        await stores.close();
      }
      const second = JSON.parse((await cli(['migrate', 'amundsen', '--neo4j', AMUNDSEN, '--json'], nenv)).out) as MigrationReport;
      // the reverted description is written again (no person's value is there now); nothing else is
      expect(second.edits).toBe(1);
      const third = JSON.parse((await cli(['migrate', 'amundsen', '--neo4j', AMUNDSEN, '--json'], nenv)).out) as MigrationReport;
      expect(third.edits).toBe(0);
      expect(third.counts).toEqual(first.counts);
    } finally {
      const stores = await openStores(config, silentLogger(), 'neo4j-es');
      await (stores.graph as unknown as { clear(): Promise<void> }).clear().catch(() => undefined);
      await stores.close();
      await dropIndexes(config.ELASTICSEARCH_URL, config.ELASTICSEARCH_INDEX_PREFIX).catch(() => undefined);
    }
  }, 300_000);

  it('says what is wrong with the command line', async () => {
    expect((await cli(['migrate', 'amundsen'], env)).code).toBe(2);
    expect((await cli(['migrate', 'atlas', '--neo4j', AMUNDSEN], env)).code).toBe(2);
    const down = await cli(['migrate', 'amundsen', '--neo4j', 'bolt://127.0.0.1:1'], env);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/127\.0\.0\.1:1/);
  });
});
