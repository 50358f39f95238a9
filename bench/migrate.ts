/**
 * Amundsen migration benchmark: `npm run bench:migrate -- [--tables N] [--backend embedded|neo4j-es] [--neo4j URL] [--json]`.
 *
 * Times `migrate amundsen` (the CLI's `runAmundsenMigration`) of two graphs in Amundsen's Neo4j
 * (AMUNDSEN_NEO4J_URL of scripts/services.sh, or --neo4j):
 * 1. Amundsen's sample data, loaded with amundsen-databuilder's own loader and publisher, as the migrate
 *    integration test loads it (scripts/amundsen-venv.sh, test/amundsen/load_amundsen.py);
 * 2. a generated graph of N tables (bench/generate-catalog.ts's catalog), written with Cypher in databuilder's model:
 *    Database/Cluster/Schema/Table/Column, user-written and programmatic descriptions, tags, badges, owners, reads
 *    with counts, last-updated timestamps and lineage, each edge with its reverse as databuilder writes it.
 * Each migration runs in a child process of its own into empty stores (peak RSS is that process's), embedded and
 * neo4j-es (a fresh Neo4j keyspace and Elasticsearch index prefix, removed after).
 *
 * The Amundsen Neo4j is shared with the migrate integration test, which empties and reloads it itself. The bench
 * refuses a graph that is neither empty nor the sample data, and leaves it as it found it: the sample data again
 * when the sample data was there, otherwise empty.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import { migrateAmundsen } from '../ingest/amundsen/migrate';
import { AmundsenNeo4jSource } from '../ingest/connectors/amundsen';
import { runAmundsenMigration } from '../src/main/migrate';
import { openStores, type Backend } from '../src/main/stores';
import { generateCatalog } from './generate-catalog';
import { removeBenchStores, round2, timeMs, trackPeakRss } from './lib';
import { callProfile } from './profile';
import { serviceEnv } from './service-env';

const ROOT = join(__dirname, '..');
const BACKENDS: Backend[] = ['embedded', 'neo4j-es'];
const TAG = 'nansen_bench';
/** More tables than this in the Amundsen graph is not the sample data (6 tables): the bench will not wipe it. */
const SAMPLE_MAX_TABLES = 20;

interface MigrationFigures {
  wallS: number;
  tablesPerS: number;
  peakRssMb: number;
  tables: number;
  columns: number;
  edits: number;
  /** With `--profile`: summed wall time per store and source call (store calls nest: search refreshes read the graph). */
  profile?: Array<{ call: string; calls: number; ms: number }>;
}

const count = (v: unknown): number => (neo4j.isInt(v) ? v.toNumber() : Number(v));

async function tableCount(driver: Driver): Promise<number> {
  const { records } = await driver.executeQuery('MATCH (t:Table) RETURN count(t) AS n');
  return count(records[0]!.get('n'));
}

async function wipe(driver: Driver): Promise<void> {
  const session = driver.session(); // `IN TRANSACTIONS` needs an auto-commit transaction
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
}

/** Loads the sample data with databuilder (test/amundsen/load_amundsen.py); returns the load time in seconds. */
async function loadSample(url: string): Promise<number> {
  const python = execFileSync('bash', [join(ROOT, 'scripts/amundsen-venv.sh')], { encoding: 'utf8', timeout: 600_000 }).trim();
  const work = mkdtempSync(join(tmpdir(), 'nansen-bench-amundsen-'));
  try {
    const ms = await timeMs(async () => {
      const child = spawn(python, [join(ROOT, 'test/amundsen/load_amundsen.py'), url, join(ROOT, 'test/amundsen/sample_data'), work], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`load_amundsen.py failed (${code}): ${err.slice(-2000)}`);
    });
    return round2(ms / 1000);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const email = (id: string): string => `${id}@example.org`;

/**
 * Writes the generated catalog of `tables` tables as databuilder would have published it; returns the write time in
 * seconds. Expects an empty graph (tables and their parts are created, shared nodes merged).
 */
async function writeGenerated(driver: Driver, tables: number): Promise<number> {
  const catalog = generateCatalog(tables, 7);
  const ms = await timeMs(async () => {
    for (const label of ['Database', 'Cluster', 'Schema', 'Table', 'Column', 'Description', 'Programmatic_Description', 'Tag', 'Badge', 'User', 'Timestamp']) {
      await driver.executeQuery(`CREATE CONSTRAINT IF NOT EXISTS FOR (n:\`${label}\`) REQUIRE n.key IS UNIQUE`).catch((e: Error) => {
        if (!/equivalent/i.test(e.message)) throw e;
      });
    }
    await driver.executeQuery(
      `UNWIND $users AS u CREATE (:User {key: u.key, email: u.key, full_name: u.name, first_name: u.first, last_name: u.last, slack_id: u.slack, team_name: 'Team Bench', is_active: true, published_tag: $tag})`,
      { users: catalog.users.map((u) => ({ key: email(u.id), name: u.name, first: u.name.split(' ')[0], last: u.name.split(' ')[1] ?? '', slack: u.slackId ?? '' })), tag: TAG },
    );
    const schemas = [...new Set(catalog.tables.map((t) => `${t.database}://${t.cluster}.${t.schema}`))];
    await driver.executeQuery(
      `MERGE (d:Database {key: 'database://hive'}) SET d.name = 'hive'
       MERGE (c:Cluster {key: 'hive://gold'}) SET c.name = 'gold'
       MERGE (c)-[:CLUSTER_OF]->(d) MERGE (d)-[:CLUSTER]->(c)
       WITH c UNWIND $schemas AS s
       CREATE (x:Schema {key: s, name: split(s, '.')[1], published_tag: $tag}) CREATE (x)-[:SCHEMA_OF]->(c), (c)-[:SCHEMA]->(x)`,
      { schemas, tag: TAG },
    );
    const rows = catalog.tables.map((t, i) => ({
      key: t.key,
      name: t.name,
      schema: `${t.database}://${t.cluster}.${t.schema}`,
      description: t.description ?? null,
      programmatic: i % 5 === 0 ? [{ source: 'quality_service', text: `**Rows**: ${1000 * (i + 1)}` }] : [],
      updated: t.updates?.length ? Math.floor(Date.parse(t.updates[t.updates.length - 1]!) / 1000) : null,
      columns: t.columns.map((c, k) => ({ name: c.name, type: c.type, sort: k, description: c.description ?? null })),
      tags: t.tags ?? [],
      badges: t.badges ?? [],
      owners: (t.owners ?? []).map(email),
      readers: (t.readers ?? []).map((r) => ({ user: email(r.user), count: r.count })),
      upstream: t.upstream ?? [],
    }));
    const BATCH = 500;
    for (let i = 0; i < rows.length; i += BATCH) {
      await driver.executeQuery(
        `UNWIND $rows AS r
         MATCH (s:Schema {key: r.schema})
         CREATE (t:Table {key: r.key, name: r.name, is_view: false, published_tag: $tag})
         CREATE (t)-[:TABLE_OF]->(s), (s)-[:TABLE]->(t)
         FOREACH (d IN CASE WHEN r.description IS NULL THEN [] ELSE [r.description] END |
           CREATE (t)-[:DESCRIPTION]->(x:Description {key: r.key + '/_description', description: d, description_source: 'description'}), (x)-[:DESCRIPTION_OF]->(t))
         FOREACH (p IN r.programmatic |
           CREATE (t)-[:DESCRIPTION]->(x:Programmatic_Description {key: r.key + '/_' + p.source + '_description', description: p.text, description_source: p.source}), (x)-[:DESCRIPTION_OF]->(t))
         FOREACH (ts IN CASE WHEN r.updated IS NULL THEN [] ELSE [r.updated] END |
           CREATE (t)-[:LAST_UPDATED_AT]->(x:Timestamp {key: r.key + '/timestamp', name: 'last_updated_timestamp', last_updated_timestamp: ts, timestamp: ts}), (x)-[:LAST_UPDATED_TIME_OF]->(t))
         FOREACH (c IN r.columns |
           CREATE (t)-[:COLUMN]->(col:Column {key: r.key + '/' + c.name, name: c.name, col_type: c.type, sort_order: c.sort}), (col)-[:COLUMN_OF]->(t)
           FOREACH (d IN CASE WHEN c.description IS NULL THEN [] ELSE [c.description] END |
             CREATE (col)-[:DESCRIPTION]->(x:Description {key: r.key + '/' + c.name + '/_description', description: d, description_source: 'description'}), (x)-[:DESCRIPTION_OF]->(col)))`,
        { rows: rows.slice(i, i + BATCH), tag: TAG },
      );
    }
    for (let i = 0; i < rows.length; i += BATCH) {
      await driver.executeQuery(
        `UNWIND $rows AS r
         MATCH (t:Table {key: r.key})
         FOREACH (g IN r.tags | MERGE (x:Tag {key: g}) ON CREATE SET x.tag_type = 'default' CREATE (t)-[:TAGGED_BY]->(x), (x)-[:TAG]->(t))
         FOREACH (b IN r.badges | MERGE (x:Badge {key: b}) ON CREATE SET x.category = 'table_status' CREATE (t)-[:HAS_BADGE]->(x), (x)-[:BADGE_FOR]->(t))
         FOREACH (o IN r.owners | MERGE (u:User {key: o}) CREATE (t)-[:OWNER]->(u), (u)-[:OWNER_OF]->(t))
         FOREACH (rd IN r.readers | MERGE (u:User {key: rd.user}) CREATE (u)-[:READ {read_count: rd.count}]->(t), (t)-[:READ_BY {read_count: rd.count}]->(u))
         FOREACH (up IN r.upstream | MERGE (x:Table {key: up}) CREATE (t)-[:HAS_UPSTREAM]->(x), (x)-[:HAS_DOWNSTREAM]->(t))`,
        { rows: rows.slice(i, i + BATCH) },
      );
    }
  });
  return round2(ms / 1000);
}

/** One migration into empty stores of `backend`, in this process (the child). */
async function runOne(backend: Backend, url: string, profile: boolean): Promise<MigrationFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nansen-bench-migrate-'));
  const tag = randomBytes(4).toString('hex');
  const env: Record<string, string | undefined> = { ...process.env, ...serviceEnv(), NANSEN_DATA_DIR: dataDir, NEO4J_KEYSPACE: `bench-migrate-${tag}`, ELASTICSEARCH_INDEX_PREFIX: `bench-migrate-${tag}` };
  delete env.NANSEN_EMBEDDINGS_URL; // the migration's own cost, not the embeddings server's
  const config = loadConfig(env);
  const memory = trackPeakRss();
  try {
    let report: Awaited<ReturnType<typeof migrateAmundsen>> | undefined;
    const profiler = callProfile();
    const ms = await timeMs(async () => {
      if (!profile) {
        report = await runAmundsenMigration(config, silentLogger(), { neo4j: url, backend });
        return;
      }
      // What runAmundsenMigration does, with every store and source call timed.
      const source = new AmundsenNeo4jSource({ url });
      const stores = await openStores(config, silentLogger(), backend);
      try {
        report = await migrateAmundsen(profiler.wrap(source, 'source'), { graph: profiler.wrap(stores.graph, 'graph'), search: profiler.wrap(stores.search, 'search') });
      } finally {
        await stores.close();
        await source.close();
      }
    });
    const r = report!;
    if (r.counts.tables.written !== (r.source.Table ?? 0)) throw new Error(`migrated ${r.counts.tables.written} of ${r.source.Table} tables`);
    return {
      wallS: round2(ms / 1000),
      tablesPerS: round2(r.counts.tables.written / (ms / 1000)),
      peakRssMb: memory.stop(),
      tables: r.counts.tables.written,
      columns: r.counts.columns.written,
      edits: r.edits,
      ...(profile ? { profile: profiler.totals() } : {}),
    };
  } finally {
    if (backend === 'neo4j-es') {
      await removeBenchStores(config);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function migrateInChild(backend: Backend, url: string, profile: boolean): MigrationFigures {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', '--backend', backend, '--neo4j', url, ...(profile ? ['--profile'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`the ${backend} migration failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as MigrationFigures;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tables: { type: 'string', default: '10000' }, backend: { type: 'string' }, neo4j: { type: 'string' }, json: { type: 'boolean', default: false }, child: { type: 'boolean', default: false }, profile: { type: 'boolean', default: false } },
  });
  const url = values.neo4j ?? { ...serviceEnv(), ...process.env }.AMUNDSEN_NEO4J_URL ?? 'bolt://127.0.0.1:7698';
  if (values.backend && !BACKENDS.includes(values.backend as Backend)) throw new Error(`--backend takes one of ${BACKENDS.join(', ')}`);
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await runOne(values.backend as Backend, url, values.profile!))}\n`);
    return;
  }
  const tables = Number(values.tables);
  if (!Number.isInteger(tables) || tables <= 0) throw new Error('--tables takes a positive whole number');
  const backends = values.backend ? [values.backend as Backend] : BACKENDS;
  const say = (s: string): void => void (values.json || process.stderr.write(`${s}\n`));
  const driver = neo4j.driver(url);
  const before = await tableCount(driver);
  if (before > SAMPLE_MAX_TABLES) {
    await driver.close();
    throw new Error(`${url} holds ${before} tables: not empty and not Amundsen's sample data; the bench will not wipe it`);
  }
  const result: { neo4j: string; sample: { loadS: number; tables: number; backends: Record<string, MigrationFigures> }; generated: { tables: number; writeS: number; backends: Record<string, MigrationFigures> } } = {
    neo4j: url,
    sample: { loadS: 0, tables: 0, backends: {} },
    generated: { tables, writeS: 0, backends: {} },
  };
  try {
    say('loading the sample data with databuilder');
    await wipe(driver);
    result.sample.loadS = await loadSample(url);
    result.sample.tables = await tableCount(driver);
    for (const b of backends) {
      say(`migrating the sample data into ${b}`);
      result.sample.backends[b] = migrateInChild(b, url, values.profile!);
    }
    say(`writing ${tables} generated tables in databuilder's model`);
    await wipe(driver);
    result.generated.writeS = await writeGenerated(driver, tables);
    for (const b of backends) {
      say(`migrating ${tables} tables into ${b}`);
      result.generated.backends[b] = migrateInChild(b, url, values.profile!);
    }
  } finally {
    say(before ? 'restoring the sample data' : 'emptying the Amundsen graph again');
    await wipe(driver);
    if (before) await loadSample(url);
    await driver.close();
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:migrate failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
