import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main, type CliIo } from '../../src/main/cli';
import { createAlertQueue } from '../../src/alerts/jobs/queues';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';

function catalog(columns: string[]): string {
  return JSON.stringify({
    format: 'catalog-v1',
    users: [],
    tables: ['a', 'b'].map((name) => ({
      key: `hive://gold.cli_alerts/${name}`,
      database: 'hive',
      cluster: 'gold',
      schema: 'cli_alerts',
      name,
      columns: columns.map((c) => ({ name: c, type: 'string' })),
    })),
  });
}

describe('nansen crawl announces schema changes', () => {
  let dir: string;

  function io(env: Record<string, string>): CliIo & { stderr(): string } {
    let e = '';
    const err = new PassThrough();
    err.on('data', (d: Buffer) => (e += d.toString()));
    return { out: new PassThrough(), err, env: { NANSEN_DATA_DIR: join(dir, 'data'), NANSEN_SOURCES: join(dir, 'sources.yml'), NANSEN_BACKEND: 'embedded', ...env }, stderr: () => e };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-cli-alerts-'));
    writeFileSync(join(dir, 'sources.yml'), `sources:\n  - id: cli-alerts-${Date.now()}\n    type: catalog\n    path: catalog.json\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function crawlTwice(env: Record<string, string>): Promise<string> {
    const id = /id: (\S+)/.exec(readFileSync(join(dir, 'sources.yml'), 'utf8'))![1]!;
    writeFileSync(join(dir, 'catalog.json'), catalog(['dt']));
    expect(await main(['crawl', id], io(env))).toBe(0);
    writeFileSync(join(dir, 'catalog.json'), catalog(['dt', 'country_code']));
    const second = io(env);
    expect(await main(['crawl', id], second)).toBe(0);
    return second.stderr();
  }

  it('queues one alert job for the crawl when Redis is configured', async () => {
    const queue = createAlertQueue({ connection: { url: REDIS_URL } });
    try {
      const before = new Set((await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).map((j) => j.id));
      expect(await crawlTwice({ REDIS_URL })).toMatch(/2 schema change\(s\) queued for alerts/);
      const added = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter((j) => !before.has(j.id));
      expect(added.length).toBe(1);
      expect(added[0]!.data).toMatchObject({ kind: 'schema_changes', changeIds: expect.any(Array) });
      expect((added[0]!.data as { changeIds: string[] }).changeIds.length).toBe(2);
      await Promise.all(added.map((j) => j.remove()));
    } finally {
      await queue.close();
    }
  });

  it('says the changes are not announced without Redis', async () => {
    expect(await crawlTwice({})).toMatch(/2 schema change\(s\) recorded but not announced/);
  });
});
