/**
 * With neo4j-es and REDIS_URL, the crawler's memory lives in Redis: a process that starts with an empty data
 * directory carries on where the last one stopped (no changes announced twice or missed, load history continuous),
 * and `nansen migrate-state` moves an existing crawls.sqlite there without losing anything.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { CrawlReport } from '../../src/domain/crawl';
import { createPgDatabase } from '../ingest/support/servers';
import { deployment, runCli, type Deployment } from './support';

describe('crawl memory shared in Redis', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let dep: Deployment;
  let dir: string;
  let n = 0;
  /** A fresh, empty data directory, as a new replica or a restarted pod has. */
  const freshDataDir = (): string => join(dir, `data-${n++}`);
  const crawl = async (env: Record<string, string>): Promise<CrawlReport> => {
    const r = await runCli(['crawl', 'wh', '--json'], env);
    if (r.code !== 0) throw new Error(`crawl failed (${r.code}): ${r.err}${r.out}`);
    return JSON.parse(r.out.trim().split('\n').pop()!) as CrawlReport;
  };

  /** Writes on a connection of its own (a backend flushes its statistics when it exits) and waits for the counter. */
  const insertAndFlush = async (sql: string, table: string): Promise<void> => {
    const count = async (): Promise<number> => Number(((await db.query(`SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = $1`, [table]))[0] as { n_tup_ins: string }).n_tup_ins);
    const before = await count();
    const writer = new Client({ connectionString: db.url });
    await writer.connect();
    await writer.query(sql);
    await writer.end();
    for (let i = 0; i < 50 && (await count()) <= before; i++) await new Promise((r) => setTimeout(r, 100));
  };

  beforeAll(async () => {
    db = await createPgDatabase();
    await db.query('CREATE SCHEMA s');
    for (let i = 0; i < 5; i++) await db.query(`CREATE TABLE s.t${i} (id bigint, v text)`);
    dir = mkdtempSync(join(tmpdir(), 'nansen-shared-'));
    writeFileSync(join(dir, 'sources.yml'), 'version: 1\nsources:\n  - id: wh\n    type: postgres\n    urlEnv: WH_URL\n    cluster: main\n');
    dep = deployment('continuity', { WH_URL: db.url, NANSEN_SOURCES: join(dir, 'sources.yml') });
  });
  afterAll(async () => {
    await dep?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a crawl from an empty data directory sees only what changed since the last one, anywhere', async () => {
    const first = await crawl({ ...dep.env, NANSEN_DATA_DIR: freshDataDir() });
    expect(first.added).toHaveLength(5);

    await db.query('ALTER TABLE s.t1 ADD COLUMN extra int');
    await insertAndFlush("INSERT INTO s.t2 VALUES (1, 'a')", 't2');
    const second = await crawl({ ...dep.env, NANSEN_DATA_DIR: freshDataDir() });
    expect(second.added).toEqual([]);
    expect(second.changed).toEqual(['postgres://main.s/t1']);
    expect(second.changes.map((c) => [c.kind, c.tableKey, c.column])).toEqual([['column_added', 'postgres://main.s/t1', 'extra']]);
    expect(second.loaded).toEqual(['postgres://main.s/t2']);

    const third = await crawl({ ...dep.env, NANSEN_DATA_DIR: freshDataDir() });
    expect(third).toMatchObject({ added: [], changed: [], removed: [], changes: [], loaded: [], wrote: false });

    const sources = await runCli(['sources', '--json'], { ...dep.env, NANSEN_DATA_DIR: freshDataDir() });
    const [wh] = JSON.parse(sources.out) as Array<{ id: string; status: { outcome: string; crawlId: string } }>;
    expect(wh!.status).toMatchObject({ outcome: 'ok', crawlId: third.crawlId });
  });

  it('migrate-state moves a local crawls.sqlite into Redis, losing nothing, and skips it on a rerun', async () => {
    // Crawled before the move: embedded crawl memory (no REDIS_URL) against the same graph.
    const other = deployment('migrate', { WH_URL: db.url, NANSEN_SOURCES: join(dir, 'sources.yml') });
    const dataDir = freshDataDir();
    try {
      const { REDIS_URL, ...withoutRedis } = other.env;
      const before = await crawl({ ...withoutRedis, NANSEN_DATA_DIR: dataDir });
      expect(before.added.length).toBeGreaterThan(0);
      const moved = await runCli(['migrate-state', '--json'], { ...other.env, NANSEN_DATA_DIR: dataDir });
      expect(moved.code).toBe(0);
      const result = JSON.parse(moved.out) as { copied: Array<{ source: string; fingerprints: number; generation: number }>; kept: string[] };
      // The memory is keyed by graph and source (neo4j-es/postgres:wh), the status by source id.
      expect(result.copied).toEqual([{ source: 'neo4j-es/postgres:wh', fingerprints: before.tables, generation: expect.any(Number) }, { source: 'wh', fingerprints: 0 }]);
      // After the move, a replica with an empty data directory and Redis sees nothing new.
      const after = await crawl({ ...other.env, REDIS_URL: REDIS_URL!, NANSEN_DATA_DIR: freshDataDir() });
      expect(after).toMatchObject({ added: [], changed: [], removed: [], changes: [], wrote: false });
      // A rerun skips the moved store: its done marker is in Redis.
      const again = JSON.parse((await runCli(['migrate-state', '--json'], { ...other.env, NANSEN_DATA_DIR: dataDir })).out) as { copied: unknown[]; kept: string[]; stores: Array<{ store: string; status: string }> };
      expect(again).toMatchObject({ copied: [], kept: [] });
      expect(again.stores.find((s) => s.store === 'crawls')).toMatchObject({ status: 'done_before' });
    } finally {
      await other.cleanup();
    }
  });

  it('a CLI crawl of a source whose lock a worker holds does nothing and says who holds it', async () => {
    const { Redis } = await import('ioredis');
    const { RedisSourceLocks } = await import('../../src/adapters/redis/redis-source-locks');
    const client = new Redis(dep.env.REDIS_URL!);
    const acquired = await new RedisSourceLocks(client, { prefix: dep.env.NANSEN_REDIS_PREFIX }).acquire('wh', 'crawl:job-42');
    try {
      const r = await runCli(['crawl', 'wh'], { ...dep.env, NANSEN_DATA_DIR: freshDataDir() });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/wh is being crawled now \(by crawl:job-42\); nothing was done/);
    } finally {
      if ('lease' in acquired) await acquired.lease.release();
      client.disconnect();
    }
  });
});
