import type { SearchDocument, SearchIndex, SearchQuery } from '../../src/ports/search-index';
import { ANALYSIS_REVISION, analyze, analyzeToField } from '../../src/text/analyze';

/** Makes a fresh, empty, initialised index for one test, and disposes of it. */
export interface SearchIndexFactory {
  create(): Promise<SearchIndex>;
  dispose(index: SearchIndex): Promise<void>;
}

const NOW = '2026-11-24T09:00:00Z';

function doc(key: string, text: { name?: string; columns?: string; description?: string; tags?: string }, priors: Partial<SearchDocument> = {}): SearchDocument {
  return {
    key,
    kind: 'table',
    fields: {
      name: analyzeToField(text.name ?? key.split('/').pop()),
      columns: analyzeToField(text.columns),
      description: analyzeToField(text.description),
      tags: analyzeToField(text.tags),
      path: analyzeToField('hive gold game_log'),
    },
    popularity: 0,
    badges: [],
    deprecated: false,
    lastUpdatedAt: '2026-11-24T08:00:00Z',
    cadenceHours: 24,
    ...priors,
  };
}

/** A query of the analysed words of `text`, each with boost 1. */
function q(text: string, limit = 10, extra: Partial<SearchQuery> = {}): SearchQuery {
  return { clauses: analyze(text).map((term) => ({ term, boost: 1 })), limit, now: NOW, ...extra };
}

async function keys(index: SearchIndex, query: SearchQuery): Promise<string[]> {
  return (await index.search(query)).map((h) => h.key);
}

/** The behaviour every `SearchIndex` adapter must have; run against each adapter on its real backend. */
export function describeSearchIndexContract(name: string, factory: SearchIndexFactory): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;

    beforeEach(async () => {
      index = await factory.create();
    });

    afterEach(async () => {
      await factory.dispose(index);
    });

    it('finds by name, by column and by description, and a name match ranks above a description match', async () => {
      await index.upsert([
        doc('t/latency_by_country', { description: 'network quality' }),
        doc('t/sessions', { columns: 'session_id country_code', description: 'one row per session' }),
        doc('t/ops_notes', { description: 'notes about latency incidents' }),
        doc('t/unrelated', { description: 'payments' }),
      ]);
      expect(await keys(index, q('latency'))).toEqual(['t/latency_by_country', 't/ops_notes']);
      expect(await keys(index, q('country'))).toEqual(['t/latency_by_country', 't/sessions']);
      expect(await keys(index, q('payments'))).toEqual(['t/unrelated']);
      expect(await keys(index, q('nothing matches this'))).toEqual([]);
    });

    it('ranks a document matching more query terms first', async () => {
      await index.upsert([
        doc('t/a', { description: 'latency per server' }),
        doc('t/b', { description: 'latency per country' }),
        doc('t/c', { description: 'revenue per country' }),
      ]);
      expect((await keys(index, q('latency country')))[0]).toBe('t/b');
    });

    it('weights clauses by their boost', async () => {
      await index.upsert([doc('t/a', { description: 'ping stats' }), doc('t/b', { description: 'rtt stats' })]);
      const hits = await keys(index, { clauses: [{ term: 'ping', boost: 0.2 }, { term: 'rtt', boost: 1 }], limit: 5, now: NOW });
      expect(hits).toEqual(['t/b', 't/a']);
    });

    it('splits identifiers: avg_rtt_ms and purchaseAmtUsd are found by their parts', async () => {
      await index.upsert([doc('t/net', { columns: 'avg_rtt_ms' }), doc('t/pay', { columns: 'purchaseAmtUsd' })]);
      expect(await keys(index, q('rtt'))).toEqual(['t/net']);
      expect(await keys(index, q('amt'))).toEqual(['t/pay']);
      expect(await keys(index, q('purchase amt usd'))).toEqual(['t/pay']);
      expect(await keys(index, q('avg_rtt_ms'))).toEqual(['t/net']);
    });

    it('matches Korean words without their particles', async () => {
      await index.upsert([doc('t/rev', { description: '일별 국가별 매출 합계' }), doc('t/other', { description: '유저 로그인 기록' })]);
      expect(await keys(index, q('국가의 매출'))).toEqual(['t/rev']);
      expect(await keys(index, q('국가'))).toEqual(['t/rev']);
    });

    it('uses popularity to break ties, lifts certified and sinks deprecated tables', async () => {
      await index.upsert([
        doc('t/a', { description: 'daily active users' }, { popularity: 10 }),
        doc('t/b', { description: 'daily active users' }, { popularity: 5000 }),
      ]);
      expect(await keys(index, q('active users'))).toEqual(['t/b', 't/a']);
      await index.upsert([
        doc('t/c', { description: 'daily active users' }, { popularity: 0, badges: ['certified'] }),
        doc('t/d', { name: 'dau', description: 'daily active users' }, { popularity: 100000, deprecated: true }),
      ]);
      const ranked = await keys(index, q('active users'));
      expect(ranked.indexOf('t/c')).toBeLessThan(ranked.indexOf('t/a'));
      expect(ranked[ranked.length - 1]).toBe('t/d');
    });

    it('ranks a long-stale table below an equally matching fresh one', async () => {
      await index.upsert([
        doc('t/old', { description: 'churn scores' }, { lastUpdatedAt: '2025-01-01T00:00:00Z', cadenceHours: 24, popularity: 50 }),
        doc('t/new', { description: 'churn scores' }, { lastUpdatedAt: '2026-11-24T03:00:00Z', cadenceHours: 24, popularity: 50 }),
      ]);
      expect(await keys(index, q('churn'))).toEqual(['t/new', 't/old']);
    });

    it('replaces a document on upsert and forgets it on remove', async () => {
      await index.upsert([doc('t/a', { description: 'latency' })]);
      await index.upsert([doc('t/a', { description: 'revenue' })]);
      expect(await keys(index, q('latency'))).toEqual([]);
      expect(await keys(index, q('revenue'))).toEqual(['t/a']);
      expect(await index.count()).toBe(1);
      await index.remove(['t/a', 't/never-there']);
      expect(await keys(index, q('revenue'))).toEqual([]);
      expect(await index.count()).toBe(0);
    });

    it('filters by kind and honours the limit', async () => {
      await index.upsert([
        doc('t/a', { description: 'revenue' }),
        { ...doc('tableau://bi/revenue', { name: 'Revenue Overview' }), kind: 'dashboard' },
        ...Array.from({ length: 30 }, (_, i) => doc(`t/r${i}`, { description: `revenue part ${i}` })),
      ]);
      const dashboards = await index.search(q('revenue', 10, { kinds: ['dashboard'] }));
      expect(dashboards.map((h) => [h.key, h.kind])).toEqual([['tableau://bi/revenue', 'dashboard']]);
      expect((await index.search(q('revenue', 7))).length).toBe(7);
    });

    it('records the text analysis its documents were written under: a new index and a reindex the current one', async () => {
      expect(await index.analysisRevision?.()).toBe(ANALYSIS_REVISION);
      await index.upsert([doc('t/a', { description: 'list of SKUs' })]);
      async function* one(): AsyncIterable<SearchDocument[]> {
        yield [doc('t/b', { description: 'list of SKUs' })];
      }
      await index.reindex(one());
      expect(await index.analysisRevision?.()).toBe(ANALYSIS_REVISION);
      expect(await keys(index, q('sku'))).toEqual(['t/b']);
    });

    it('reindexes atomically into exactly the new contents', async () => {
      await index.upsert([doc('t/old', { description: 'latency' })]);
      async function* batches(): AsyncIterable<SearchDocument[]> {
        yield [doc('t/new1', { description: 'latency' })];
        expect(await keys(index, q('latency'))).toEqual(['t/old']);
        yield [doc('t/new2', { description: 'revenue' })];
      }
      await index.reindex(batches());
      expect(await keys(index, q('latency'))).toEqual(['t/new1']);
      expect(await keys(index, q('revenue'))).toEqual(['t/new2']);
      expect(await index.count()).toBe(2);
    });

    it('reports its vocabulary with document frequencies', async () => {
      await index.upsert([doc('t/a', { description: 'latency country' }), doc('t/b', { description: 'latency' })]);
      const vocab = await index.vocabulary();
      expect(vocab.get('latency')).toBe(2);
      expect(vocab.get('country')).toBe(1);
      await index.upsert([doc('t/c', { description: 'country' })]);
      expect((await index.vocabulary()).get('country')).toBe(2);
    });

    it('treats query syntax as plain text', async () => {
      await index.upsert([doc('t/a', { description: 'latency' })]);
      for (const term of ['"', 'OR', 'AND', 'title:foo', '\\', 'NEAR(a b)', '{"match_all":{}}', '*']) {
        await expect(index.search({ clauses: [{ term, boost: 1 }], limit: 5, now: NOW })).resolves.toEqual([]);
      }
      expect(await index.search({ clauses: [], limit: 5 })).toEqual([]);
    });

    it('returns scores in descending order with text scores alongside', async () => {
      await index.upsert([doc('t/a', { name: 'latency', description: 'latency' }), doc('t/b', { description: 'latency' })]);
      const hits = await index.search(q('latency'));
      expect(hits.length).toBe(2);
      expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
      expect(hits[0]!.textScore).toBeGreaterThan(0);
    });
  });
}
