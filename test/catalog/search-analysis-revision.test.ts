import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { openStores } from '../../src/main/stores';
import { publishTableBatches } from '../../src/catalog/publish';
import { SKUS_TABLE } from './skus-table';
import { analyze } from '../../src/text/analyze';

const table = SKUS_TABLE;

describe('a search index analysed under an older revision', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-analysis-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is rebuilt from the graph when a process opens the stores, so new-style question terms find old documents', async () => {
    const config = loadConfig({ NANSEN_DATA_DIR: dir, NANSEN_BACKEND: 'embedded' });
    const first = await openStores(config, silentLogger());
    await publishTableBatches([[table]], first);
    await first.close();

    // what an older Nansen wrote: the description's terms of the old analysis (SKUs → sk, us), and no revision
    const file = new Database(join(dir, 'search.sqlite'));
    const row = file.prepare('SELECT doc FROM search_docs WHERE key = ?').get(table.key) as { doc: string };
    const doc = JSON.parse(row.doc) as { fields: { description: string } };
    doc.fields.description = 'every product with it sk us skus and list price';
    file.prepare('UPDATE search_docs SET doc = ? WHERE key = ?').run(JSON.stringify(doc), table.key);
    file.prepare("DELETE FROM search_meta WHERE k = 'analysis'").run();
    file.close();

    const readView = await openStores(config, silentLogger(), 'embedded', { readView: true });
    expect(await readView.search.analysisRevision?.()).toBe(0);
    expect(await readView.search.search({ clauses: analyze('SKUs').map((term) => ({ term, boost: 1 })), limit: 5, now: '2026-12-03T00:00:00Z' })).toEqual([]);
    await readView.close();

    const reopened = await openStores(config, silentLogger());
    const hits = await reopened.search.search({ clauses: analyze('SKUs').map((term) => ({ term, boost: 1 })), limit: 5, now: '2026-12-03T00:00:00Z' });
    expect(hits.map((h) => h.key)).toEqual([table.key]);
    await reopened.close();
  });
});
