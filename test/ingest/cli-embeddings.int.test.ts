import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serviceEnv } from '../../bench/service-env';
import { main, type CliIo } from '../../src/main/cli';

const URL = process.env.EMBEDDINGS_URL ?? serviceEnv().EMBEDDINGS_URL ?? 'http://127.0.0.1:8089';

function catalogFile(dir: string, tables: number, note = ''): string {
  const file = join(dir, 'catalog.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'catalog-v1',
      users: [],
      tables: Array.from({ length: tables }, (_, i) => ({
        key: `hive://gold.game_log/t${i}`,
        database: 'hive',
        cluster: 'gold',
        schema: 'game_log',
        name: `t${i}`,
        description: `Table number ${i} of the game logs${i === 0 ? note : ''}`,
        columns: [{ name: 'dt', type: 'string' }],
      })),
      dashboards: [],
    }),
  );
  return file;
}

describe('nansen CLI import with an embeddings server', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nansen-cli-embed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function io(url: string): CliIo & { stdout(): string } {
    const out = new PassThrough();
    let o = '';
    out.on('data', (d: Buffer) => (o += d.toString()));
    return {
      out,
      err: new PassThrough(),
      env: { NANSEN_DATA_DIR: join(dir, 'data'), NANSEN_BACKEND: 'embedded', NANSEN_EMBEDDINGS_URL: url, NANSEN_EMBEDDINGS_INPUT_TYPE: 'on', NANSEN_EMBED_COLUMNS: 'off' },
      stdout: () => o,
    };
  }

  it('embeds what it imported, then only what changed; a server that is down leaves it pending and fails nothing', async () => {
    const file = catalogFile(dir, 8);
    const first = io(URL);
    expect(await main(['import', file, '--json'], first)).toBe(0);
    expect(JSON.parse(first.stdout()).embeddings).toMatchObject({ embedded: 8, unchanged: 0, pending: 0 });

    catalogFile(dir, 8, ', now with a note');
    const second = io(URL);
    expect(await main(['import', file, '--json'], second)).toBe(0);
    expect(JSON.parse(second.stdout()).embeddings).toMatchObject({ embedded: 1, unchanged: 0, pending: 0 });

    catalogFile(dir, 8, ', and another note');
    const down = io('http://127.0.0.1:9');
    expect(await main(['import', file], down)).toBe(0);
    expect(down.stdout()).toMatch(/Embeddings: the server failed .*; 1 subject stays pending/);
  });
});
