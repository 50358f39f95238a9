import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { publishTableBatches } from '../../src/catalog/publish';
import { openStores } from '../../src/main/stores';
import { SKUS_TABLE } from '../catalog/skus-table';
import { analyze, ANALYSIS_REVISION } from '../../src/text/analyze';
import { deployment, runCli, type Deployment } from './support';

const table = SKUS_TABLE;

function capturingLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), cb()) });
  return { logger: pino({ level: 'warn' }, sink), lines: () => lines };
}

describe('a shared search index analysed under an older revision (neo4j-es)', () => {
  let d: Deployment;
  beforeAll(() => {
    d = deployment('analysis');
  });
  afterAll(async () => {
    await d.cleanup();
  });

  it('is reported by every process that opens it, not rebuilt behind its back, and `nansen reindex` rebuilds it', async () => {
    const config = loadConfig(d.env);
    const first = await openStores(config, pino({ level: 'silent' }), 'neo4j-es');
    await publishTableBatches([[table]], first);
    await first.close();
    await fetch(`${config.ELASTICSEARCH_URL}/${d.env.ELASTICSEARCH_INDEX_PREFIX}-table/_mapping`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _meta: { analysis: 1 } }) });

    const { logger, lines } = capturingLogger();
    const stores = await openStores(config, logger, 'neo4j-es');
    try {
      expect(await stores.search.analysisRevision?.()).toBe(1);
      expect(lines()).toEqual([expect.objectContaining({ from: 1, to: ANALYSIS_REVISION, msg: expect.stringContaining('nansen reindex') })]);
    } finally {
      await stores.close();
    }

    const run = await runCli(['reindex', '--json'], d.env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ backend: 'neo4j-es', documents: 1 });
    const after = await openStores(config, pino({ level: 'silent' }), 'neo4j-es');
    try {
      expect(await after.search.analysisRevision?.()).toBe(ANALYSIS_REVISION);
      const hits = await after.search.search({ clauses: analyze('SKUs').map((term) => ({ term, boost: 1 })), limit: 5, now: '2026-12-03T00:00:00Z' });
      expect(hits.map((h) => h.key)).toEqual([table.key]);
    } finally {
      await after.close();
    }
  });
});
