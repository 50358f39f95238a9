import type { CrawlReport } from '../../src/domain/crawl';
import type { CrawlStateStore } from '../../src/ports/crawl-state-store';
import type { CrawlStatusStore } from '../../src/ports/crawl-status-store';

type Store = CrawlStateStore & CrawlStatusStore;

function report(source: string, crawlId: string, overrides: Partial<CrawlReport> = {}): CrawlReport {
  return {
    crawlId,
    source,
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:00:02.000Z',
    dryRun: false,
    wrote: true,
    tables: 3,
    added: ['a', 'b'],
    changed: ['c'],
    removed: [],
    unchanged: 0,
    loaded: [],
    changes: [],
    dashboards: { added: [], changed: [], removed: [], unchanged: 0 },
    counts: {},
    ...overrides,
  } as unknown as CrawlReport;
}

/** The CrawlStateStore + CrawlStatusStore contract, for every adapter (SQLite, Redis). */
export function crawlStoreContract(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>): void {
  describe(`crawl store contract: ${name}`, () => {
    let s: { store: Store; close(): Promise<void> };
    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    it('keeps the state of a source whole, and unknown sources read as undefined / empty', async () => {
      expect(await s.store.getState('none')).toBeUndefined();
      expect((await s.store.getFingerprints('none')).size).toBe(0);
      await s.store.putState('pg', { generation: 3, connector: { writes: { 'public.t': 17 } } as never, pendingSearch: { tables: ['k1'], dashboards: [] } });
      await s.store.putState('pg', { generation: 4, connector: { writes: { 'public.t': 18 } } as never });
      expect(await s.store.getState('pg')).toEqual({ generation: 4, connector: { writes: { 'public.t': 18 } } });
    });

    it('sets and deletes fingerprints, leaving the others, at 10k entries', async () => {
      const many: Array<[string, string]> = Array.from({ length: 10_000 }, (_, i) => [`scope/table:k${i}`, `fp${i}`]);
      await s.store.putFingerprints('pg', many);
      await s.store.putFingerprints('pg', [['scope/table:k1', 'new'], ['scope/table:k2', null]]);
      const fps = await s.store.getFingerprints('pg');
      expect(fps.size).toBe(9_999);
      expect(fps.get('scope/table:k1')).toBe('new');
      expect(fps.has('scope/table:k2')).toBe(false);
      expect(fps.get('scope/table:k9999')).toBe('fp9999');
      expect((await s.store.getFingerprints('other')).size).toBe(0);
    });

    it('records start, finish and failure; the last error stays after a success; list is by source id', async () => {
      await s.store.recordStart('zeta', 'c1', '2026-12-01T00:00:00.000Z');
      expect(await s.store.getStatus('zeta')).toMatchObject({ outcome: 'running', crawlId: 'c1' });
      await s.store.recordFailure('zeta', 'c1', '2026-12-01T00:00:05.000Z', { code: 'timeout', message: 'no answer', retryable: true }, 5000);
      await s.store.recordFinish('zeta', report('zeta', 'c2'), 2000);
      const st = await s.store.getStatus('zeta');
      expect(st).toMatchObject({ outcome: 'ok', crawlId: 'c2', durationMs: 2000, lastError: { code: 'timeout' }, counts: { tables: 3, added: 2, changed: 1 } });
      await s.store.recordStart('alpha', 'c3', '2026-12-01T00:00:00.000Z');
      expect((await s.store.listStatus()).map((x) => x.source)).toEqual(['alpha', 'zeta']);
    });

    it('loses no update when many are recorded at once', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => s.store.recordStart(`src${String(i).padStart(2, '0')}`, `c${i}`, '2026-12-01T00:00:00.000Z')));
      expect((await s.store.listStatus()).length).toBe(20);
    });
  });
}
