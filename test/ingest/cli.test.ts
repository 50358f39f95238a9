import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main, type CliIo } from '../../src/main/cli';

function catalog(tables: string[]): string {
  return JSON.stringify({
    format: 'catalog-v1',
    users: [{ id: 'jiwoo.kim', name: 'Jiwoo Kim' }],
    tables: tables.map((name) => ({
      key: `hive://gold.game_log/${name}`,
      database: 'hive',
      cluster: 'gold',
      schema: 'game_log',
      name,
      description: `The ${name} table`,
      owners: ['jiwoo.kim'],
      columns: [{ name: 'dt', type: 'string' }],
    })),
    dashboards: [{ key: 'superset://bi/1', name: 'Latency board', tables: [`hive://gold.game_log/${tables[0]}`] }],
  });
}

describe('nansen CLI', () => {
  let dir: string;
  let io: CliIo & { stdout(): string; stderr(): string };

  function freshIo(tty = false): typeof io {
    const out = new PassThrough();
    const err = new PassThrough();
    let o = '';
    let e = '';
    out.on('data', (d: Buffer) => (o += d.toString()));
    err.on('data', (d: Buffer) => (e += d.toString()));
    if (tty) Object.assign(err, { isTTY: true, columns: 100 });
    return {
      out,
      err,
      env: { NANSEN_DATA_DIR: join(dir, 'data'), NANSEN_SOURCES: join(dir, 'sources.yml'), NANSEN_BACKEND: 'embedded' },
      stdout: () => o,
      stderr: () => e,
    };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-cli-'));
    writeFileSync(join(dir, 'catalog.json'), catalog(Array.from({ length: 30 }, (_, i) => `t${i}`)));
    writeFileSync(
      join(dir, 'sources.yml'),
      'sources:\n  - id: dev\n    type: catalog\n    path: catalog.json\n    schedule: "0 * * * *"\n  - id: warehouse\n    type: postgres\n    urlEnv: NANSEN_TEST_UNSET_URL\n',
    );
    io = freshIo();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reindex rebuilds the search index from the graph and reports how many documents it holds', async () => {
    expect(await main(['import', join(dir, 'catalog.json')], freshIo())).toBe(0);
    const run = freshIo();
    expect(await main(['reindex', '--json'], run)).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ backend: 'embedded', documents: 31 });
    expect(await main(['reindex', 'extra'], freshIo())).toBe(2);
  });

  it('prints usage with exit code 2 for no command, an unknown command or a bad option', async () => {
    expect(await main([], io)).toBe(2);
    expect(io.stderr()).toContain('Usage: npm run nansen');
    expect(await main(['frobnicate'], freshIo())).toBe(2);
    expect(await main(['crawl'], freshIo())).toBe(2);
    expect(await main(['crawl', 'dev', '--bogus'], freshIo())).toBe(2);
    expect(await main(['crawl', 'dev', '--backend', 'mongo'], freshIo())).toBe(2);
    const help = freshIo();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.stdout()).toContain('crawl <source>');
  });

  it('imports a catalog file, with a progress line off a terminal', async () => {
    expect(await main(['import', join(dir, 'catalog.json')], io)).toBe(0);
    expect(io.stdout()).toBe(`Imported 1 users, 30 tables and 1 dashboards from ${join(dir, 'catalog.json')} into embedded.\n`);
    expect(io.stderr()).toMatch(/^import: 31\/31$/m);
  });

  it('draws a progress bar on a terminal', async () => {
    const tty = freshIo(true);
    expect(await main(['import', join(dir, 'catalog.json')], tty)).toBe(0);
    expect(tty.stderr()).toContain('31/31 (100%)');
  });

  it('reports a bad import file as a user error, exit 1, no stack', async () => {
    expect(await main(['import', join(dir, 'missing.json')], io)).toBe(1);
    expect(io.stderr()).toMatch(/missing\.json: cannot be read \(ENOENT\)/);
    expect(io.stderr()).not.toMatch(/\n\s+at /);
  });

  it('crawls a source (dry run first), and lists sources with their last crawl', async () => {
    const dry = freshIo();
    expect(await main(['crawl', 'dev', '--dry-run'], dry)).toBe(0);
    expect(dry.stdout()).toContain('would add 30');
    expect(dry.stdout()).toContain('Dry run: nothing was written.');

    expect(await main(['crawl', 'dev'], io)).toBe(0);
    expect(io.stdout()).toContain('catalog:dev: 30 tables seen; add 30, change 0, remove 0');

    const again = freshIo();
    expect(await main(['crawl', 'dev', '--json'], again)).toBe(0);
    expect(JSON.parse(again.stdout())).toMatchObject({ source: 'catalog:dev', wrote: false, unchanged: 30 });

    const down = freshIo();
    expect(await main(['crawl', 'warehouse'], down)).toBe(1);
    expect(down.stderr()).toBe('source warehouse: environment variable NANSEN_TEST_UNSET_URL is not set\n');

    const list = freshIo();
    expect(await main(['sources'], list)).toBe(0);
    const lines = list.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+TYPE\s+SCHEDULE\s+LAST CRAWL\s+OUTCOME\s+DURATION\s+TABLES\s+\+\/~\/-\s+LAST ERROR$/);
    expect(lines[1]).toMatch(/^dev\s+catalog\s+0 \* \* \* \*\s+\d+s ago\s+ok\s+\d+\.\ds\s+30\s+0\/0\/0\s+-$/);
    expect(lines[2]).toMatch(/^warehouse\s+postgres\s+-\s+\d+s ago\s+failed\s+.*environment variable NANSEN_TEST_UNSET_URL is not set$/);

    const json = freshIo();
    expect(await main(['sources', '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout())[0]).toMatchObject({ id: 'dev', status: { outcome: 'ok', counts: { tables: 30, added: 0 } } });
  });

  it('refuses a crawl that would remove too much (exit 1) until forced', async () => {
    expect(await main(['crawl', 'dev'], io)).toBe(0);
    writeFileSync(join(dir, 'catalog.json'), catalog(Array.from({ length: 20 }, (_, i) => `t${i}`)));
    const refused = freshIo();
    expect(await main(['crawl', 'dev'], refused)).toBe(1);
    expect(refused.stdout()).toContain('REFUSED: this crawl would remove 10 of 31 entities');
    const forced = freshIo();
    expect(await main(['crawl', 'dev', '--force'], forced)).toBe(0);
    expect(forced.stdout()).toContain('remove 10');
  });

  it('names the unknown source and the ones there are', async () => {
    expect(await main(['crawl', 'nope'], io)).toBe(1);
    expect(io.stderr()).toBe('There is no source "nope". Sources: dev, warehouse.\n');
  });
});
