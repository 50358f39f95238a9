/**
 * Issue 11 item 4: a CLI crawl and a worker crawl of one source used to overlap and announce the same change
 * twice. The CLI now takes the worker's Redis source lock (real Redis), and the exactly-once ledger is keyed on
 * the change, so even two change sets that carry the same changes announce each once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { RedisSourceLocks } from '../../src/adapters/redis/redis-source-locks';
import { dispatchAlerts, type AlertDelivery } from '../../src/alerts/plan';
import type { SchemaChange } from '../../src/domain/model';
import { main } from '../../src/main/cli';
import { sampleGraph } from '../alerts/fixtures';
import { deletePrefix, sharedRedisUrl, uniqueName } from '../workers/support/redis';

const url = sharedRedisUrl();

describe('the CLI crawl takes the worker’s source lock', () => {
  let redis: Redis;
  const prefix = uniqueName('nansen_lock');
  beforeAll(() => {
    redis = new Redis(url);
  });
  afterAll(async () => {
    await deletePrefix(url, prefix);
    redis.disconnect();
  });

  it('`nansen crawl` says the source is busy and exits 1 while the worker crawls it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-cli-lock-'));
    const worker = new RedisSourceLocks(redis); // the worker's default prefix, as the CLI uses
    const held = await worker.acquire('warehouse', 'crawl-job-9');
    if (!('lease' in held)) throw new Error('lock not taken');
    try {
      writeFileSync(join(dir, 'sources.yml'), 'sources:\n  - id: warehouse\n    type: postgres\n    urlEnv: NANSEN_TEST_UNSET_URL\n');
      const out = new PassThrough();
      const err = new PassThrough();
      let e = '';
      err.on('data', (d: Buffer) => (e += d.toString()));
      const code = await main(['crawl', 'warehouse'], { out, err, env: { NANSEN_DATA_DIR: join(dir, 'data'), NANSEN_SOURCES: join(dir, 'sources.yml'), NANSEN_BACKEND: 'embedded', REDIS_URL: url } });
      expect(code).toBe(1);
      expect(e).toMatch(/warehouse is being crawled now \(by crawl-job-9\); nothing was done/);
    } finally {
      await held.lease.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two change sets with the same changes (real Redis ledger)', () => {
  it('announce each change once, whichever plans first', async () => {
    const store = new RedisAlertStore({ url, prefix: uniqueName('nansen_overlap') });
    await store.init();
    const graph = await sampleGraph();
    try {
      await store.subscribe({ channel: 'C1', pattern: 'hive://gold.*', mode: 'live', createdAt: '2026-12-01T00:00:00Z' });
      const keys = (await graph.listTableKeys()).filter((k) => k.startsWith('hive://gold.')).slice(0, 5);
      const changes: SchemaChange[] = keys.map((k, i) => ({ id: `chg-${i}`, source: 'hive:gold', crawlId: 'x', at: '2026-12-01T00:00:00Z', tableKey: k, kind: 'column_added', column: 'c', newValue: 'int' }));
      const sink = new Map<string, AlertDelivery>();
      const enqueue = async (ds: AlertDelivery[]): Promise<void> => void ds.forEach((d) => sink.set(d.key, d));
      const [cli, worker] = await Promise.all(
        ['cli-crawl', 'worker-crawl'].map((crawlId) => dispatchAlerts({ source: 'hive:gold', crawlId, finishedAt: '2026-12-01T00:00:00Z', changes }, { store, graph, sink: { enqueue } })),
      );
      const announced = [...sink.values()].flatMap((d) => d.tableKeys);
      expect(announced.sort()).toEqual([...keys].sort());
      expect(cli!.changeSet.changes.length + worker!.changeSet.changes.length).toBe(keys.length);
    } finally {
      await store.destroy();
      await store.close();
      await graph.close();
    }
  });
});
