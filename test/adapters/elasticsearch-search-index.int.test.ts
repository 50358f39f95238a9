import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import { BulkWriteError, ElasticsearchSearchIndex } from '../../src/adapters/elasticsearch/elasticsearch-search-index';
import { BackendUnavailableError } from '../../src/domain/errors';
import type { SearchDocument, SearchIndex, SearchQuery } from '../../src/ports/search-index';
import { describeSearchIndexContract } from '../contract/search-index.contract';
import { ANALYSIS_REVISION } from '../../src/text/analyze';

/** The server to test: ELASTICSEARCH_URL, else the one scripts/services.sh wrote to its env file, else the usual port. */
function elasticsearchUrl(): string {
  if (process.env.ELASTICSEARCH_URL) return process.env.ELASTICSEARCH_URL;
  const envFile = '/tmp/nansen-services/env.json';
  if (existsSync(envFile)) {
    const env = JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, unknown>;
    if (typeof env.ELASTICSEARCH_URL === 'string') return env.ELASTICSEARCH_URL;
  }
  return 'http://127.0.0.1:9209';
}

const NODE = elasticsearchUrl();
const NOW = '2026-11-24T09:00:00Z';
const admin = new Client({ node: NODE });
const prefixes = new Set<string>();
const opened = new Set<ElasticsearchSearchIndex>();

function newIndex(prefix = `t-${randomUUID().slice(0, 8)}`): ElasticsearchSearchIndex {
  prefixes.add(prefix);
  const index = new ElasticsearchSearchIndex({ node: NODE, indexPrefix: prefix });
  opened.add(index);
  return index;
}

/** Physical indexes (not aliases) whose names start with the prefix. */
async function physicalIndexes(prefix: string): Promise<string[]> {
  const res = await admin.indices.get({ index: `${prefix}-*`, expand_wildcards: 'all', allow_no_indices: true });
  return Object.keys(res).sort();
}

async function aliasTargets(alias: string): Promise<string[]> {
  return Object.keys(await admin.indices.getAlias({ name: alias })).sort();
}

async function dropPrefix(prefix: string): Promise<void> {
  const names = await physicalIndexes(prefix);
  if (names.length > 0) await admin.indices.delete({ index: names, ignore_unavailable: true });
}

afterEach(async () => {
  await Promise.all([...opened].map((i) => i.close()));
  opened.clear();
  await Promise.all([...prefixes].map(dropPrefix));
  prefixes.clear();
});

afterAll(async () => {
  await admin.close();
});

function doc(key: string, description: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return {
    key,
    kind: 'table',
    fields: { name: key.split('/').pop()!, columns: '', description, tags: '', path: 'hive gold' },
    popularity: 0,
    badges: [],
    deprecated: false,
    lastUpdatedAt: '2026-11-24T08:00:00Z',
    cadenceHours: 24,
    ...extra,
  };
}

function q(...terms: string[]): SearchQuery {
  return { clauses: terms.map((term) => ({ term, boost: 1 })), limit: 10, now: NOW };
}

async function keys(index: SearchIndex, query: SearchQuery): Promise<string[]> {
  return (await index.search(query)).map((h) => h.key);
}

describe('ElasticsearchSearchIndex', () => {
  it('init creates one versioned index per kind behind an alias, and is idempotent', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const index = newIndex(prefix);
    await index.init();
    const tables = await aliasTargets(`${prefix}-table`);
    const dashboards = await aliasTargets(`${prefix}-dashboard`);
    expect(tables).toEqual([expect.stringMatching(new RegExp(`^${prefix}-table-\\d{17}$`))]);
    expect(dashboards).toEqual([expect.stringMatching(new RegExp(`^${prefix}-dashboard-\\d{17}$`))]);

    await index.upsert([doc('t/a', 'latency')]);
    await index.init();
    const again = newIndex(prefix);
    await again.init();
    expect(await aliasTargets(`${prefix}-table`)).toEqual(tables);
    expect(await physicalIndexes(prefix)).toEqual([...dashboards, ...tables].sort());
    expect(await again.count()).toBe(1);

    const settings = await admin.indices.getSettings({ index: tables[0]! });
    expect(settings[tables[0]!]?.settings?.index).toMatchObject({ number_of_shards: '1', number_of_replicas: '0' });
    const mapping = await admin.indices.getMapping({ index: tables[0]! });
    const props = mapping[tables[0]!]!.mappings.properties!;
    expect(mapping[tables[0]!]!.mappings.dynamic).toBe('strict');
    for (const f of ['name', 'columns', 'description', 'tags', 'path']) expect(props[f]).toEqual({ type: 'text', analyzer: 'whitespace' });
  });

  it('processes starting at once end with one index per alias', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const starters = Array.from({ length: 4 }, () => newIndex(prefix));
    await Promise.all(starters.map((i) => i.init()));
    expect(await aliasTargets(`${prefix}-table`)).toHaveLength(1);
    expect(await aliasTargets(`${prefix}-dashboard`)).toHaveLength(1);
    expect(await physicalIndexes(prefix)).toHaveLength(2);
    await starters[0]!.upsert([doc('t/a', 'latency')]);
    expect(await keys(starters[3]!, q('latency'))).toEqual(['t/a']);
  });

  it('writes are searchable as soon as upsert resolves, per kind and in both kinds at once', async () => {
    const index = newIndex();
    await index.init();
    await index.upsert([
      doc('t/latency', 'latency by country'),
      { ...doc('tableau://bi/latency', 'latency overview'), kind: 'dashboard' },
      doc('t/revenue', 'revenue by country'),
    ]);
    expect(await index.count()).toBe(3);
    expect((await keys(index, q('latency'))).sort()).toEqual(['t/latency', 'tableau://bi/latency']);
    expect(await keys(index, { ...q('latency'), kinds: ['dashboard'] })).toEqual(['tableau://bi/latency']);
    expect(await keys(index, { ...q('latency', 'country'), kinds: ['table'] })).toEqual(['t/latency', 't/revenue']);
    const hits = await index.search(q('latency'));
    expect(hits.map((h) => h.kind).sort()).toEqual(['dashboard', 'table']);
    expect(await index.search({ clauses: [], limit: 5 })).toEqual([]);
  });

  /** The periodic refresh setting of each physical index behind the prefix's aliases ('-1' is off). */
  async function refreshIntervals(prefix: string): Promise<string[]> {
    const res = await admin.indices.getSettings({ index: `${prefix}-*` });
    return Object.values(res).map((s) => String(s.settings?.index?.refresh_interval ?? 'default'));
  }

  it('a bulk writer defers visibility to finish, then leaves the index normal; the index itself stays immediate', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const index = newIndex(prefix);
    await index.init();
    const writer = await index.bulkWriter();
    expect(await refreshIntervals(prefix)).toEqual(['-1', '-1']);
    await writer.upsert([doc('t/latency', 'latency by country'), { ...doc('tableau://bi/latency', 'latency overview'), kind: 'dashboard' }]);
    await writer.upsert([doc('t/revenue', 'revenue by country')]);
    await writer.remove(['t/revenue']);
    expect(await index.count()).toBe(0);
    // Writes of the index itself keep their contract while a bulk writer is open.
    await index.upsert([doc('t/sessions', 'sessions by country')]);
    expect(await keys(index, q('sessions'))).toEqual(['t/sessions']);
    await writer.finish();
    expect(await refreshIntervals(prefix)).toEqual(['default', 'default']);
    expect((await keys(index, q('latency'))).sort()).toEqual(['t/latency', 'tableau://bi/latency']);
    expect(await keys(index, q('revenue'))).toEqual([]);
  });

  it('init turns a bulk mode left on by a stopped process off, and what it wrote becomes visible', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const crashed = newIndex(prefix);
    await crashed.init();
    await (await crashed.bulkWriter()).upsert([doc('t/latency', 'latency by country')]);
    await crashed.close();
    expect(await refreshIntervals(prefix)).toEqual(['-1', '-1']);
    const next = newIndex(prefix);
    await next.init();
    expect(await refreshIntervals(prefix)).toEqual(['default', 'default']);
    expect(await keys(next, q('latency'))).toEqual(['t/latency']);
  });

  it('scores tables and dashboards on shared term statistics, as one index would', async () => {
    const index = newIndex();
    await index.init();
    await index.upsert([
      ...Array.from({ length: 20 }, (_, i) => doc(`t/r${i}`, 'revenue filler')),
      { ...doc('d/revenue', 'revenue filler'), fields: { ...doc('t/r0', 'revenue filler').fields, name: 'r0' }, kind: 'dashboard' },
    ]);
    const hits = await index.search({ ...q('revenue'), limit: 30 });
    const table = hits.find((h) => h.key === 't/r0')!;
    const dashboard = hits.find((h) => h.key === 'd/revenue')!;
    expect(dashboard.textScore).toBeCloseTo(table.textScore, 5);
  });

  it('checks every bulk item: a failed document is named, the others are written', async () => {
    const index = newIndex();
    await index.init();
    const bad = { ...doc('t/bad', 'latency'), lastUpdatedAt: 'not-a-date' };
    const error = await index.upsert([doc('t/good', 'latency'), bad, doc('t/also-good', 'latency')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkWriteError);
    const bulkError = error as BulkWriteError;
    expect(bulkError.failures.map((f) => f.key)).toEqual(['t/bad']);
    expect(bulkError.failures[0]!.type).toBe('document_parsing_exception');
    expect(bulkError.message).toContain('t/bad');
    expect(bulkError.message).toContain('lastUpdatedAt');
    expect(bulkError.message).not.toContain('t/good');
    expect((await keys(index, q('latency'))).sort()).toEqual(['t/also-good', 't/good']);
  });

  it('removes by key across both kinds, and a missing key is fine', async () => {
    const index = newIndex();
    await index.init();
    await index.upsert([doc('t/a', 'latency'), { ...doc('d/b', 'latency'), kind: 'dashboard' }]);
    await index.remove(['t/a', 'd/b', 't/never-there']);
    expect(await index.count()).toBe(0);
    expect(await keys(index, q('latency'))).toEqual([]);
  });

  it('reindex fills new indexes, swaps both aliases at once and deletes the old indexes', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const index = newIndex(prefix);
    await index.init();
    await index.upsert([doc('t/old', 'latency'), { ...doc('d/old', 'latency'), kind: 'dashboard' }]);
    const before = await physicalIndexes(prefix);
    const observer = newIndex(prefix);

    async function* batches(): AsyncIterable<SearchDocument[]> {
      yield [doc('t/new1', 'latency'), { ...doc('d/new', 'revenue'), kind: 'dashboard' }];
      // Mid-reindex, another client still sees exactly the old contents.
      expect((await keys(observer, q('latency'))).sort()).toEqual(['d/old', 't/old']);
      expect(await keys(observer, q('revenue'))).toEqual([]);
      expect(await observer.count()).toBe(2);
      expect((await physicalIndexes(prefix)).length).toBe(4);
      yield [doc('t/new2', 'revenue')];
    }
    await index.reindex(batches());

    expect(await keys(observer, q('latency'))).toEqual(['t/new1']);
    expect((await keys(observer, q('revenue'))).sort()).toEqual(['d/new', 't/new2']);
    expect(await observer.count()).toBe(3);
    const after = await physicalIndexes(prefix);
    expect(after).toHaveLength(2);
    for (const old of before) expect(after).not.toContain(old);
    expect(await aliasTargets(`${prefix}-table`)).toEqual(after.filter((n) => n.startsWith(`${prefix}-table-`)));
    expect(await aliasTargets(`${prefix}-dashboard`)).toEqual(after.filter((n) => n.startsWith(`${prefix}-dashboard-`)));
  });

  it('a reindex with a failing document keeps the old contents and deletes its new indexes', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const index = newIndex(prefix);
    await index.init();
    await index.upsert([doc('t/old', 'latency')]);
    const before = await physicalIndexes(prefix);
    async function* batches(): AsyncIterable<SearchDocument[]> {
      yield [doc('t/new', 'latency'), { ...doc('t/broken', 'latency'), lastUpdatedAt: 'yesterday' }];
    }
    await expect(index.reindex(batches())).rejects.toThrow(/t\/broken/);
    expect(await keys(index, q('latency'))).toEqual(['t/old']);
    expect(await physicalIndexes(prefix)).toEqual(before);
  });

  it('matches query syntax literally, as plain terms', async () => {
    const index = newIndex();
    await index.init();
    await index.upsert([doc('t/odd', 'title:foo AND * " \\ {"match_all":{}}'), doc('t/plain', 'latency title foo')]);
    expect(await keys(index, q('title:foo'))).toEqual(['t/odd']);
    expect(await keys(index, q('*'))).toEqual(['t/odd']);
    expect(await keys(index, q('"'))).toEqual(['t/odd']);
    expect(await keys(index, q('\\'))).toEqual(['t/odd']);
    expect(await keys(index, q('AND'))).toEqual(['t/odd']);
    expect(await keys(index, q('{"match_all":{}}'))).toEqual(['t/odd']);
    expect(await keys(index, q('title:foo AND *'))).toEqual(['t/odd']);
    for (const term of ['title:*', 'foo~', 'latency^100', '/.*/', 'description:latency', 'latenc*']) {
      expect(await keys(index, q(term))).toEqual([]);
    }
    // Operators are words too: NOT negates nothing.
    expect(await keys(index, q('NOT latency'))).toEqual(['t/plain']);
  });

  it('reports document frequencies across fields and kinds, and forgets them on writes', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const index = newIndex(prefix);
    await index.init();
    await index.upsert([
      { ...doc('t/a', 'latency latency country'), fields: { name: 'latency', columns: 'latency', description: 'latency country', tags: '', path: 'hive' } },
      { ...doc('d/b', 'latency'), kind: 'dashboard' },
    ]);
    const vocab = await index.vocabulary();
    expect(vocab.get('latency')).toBe(2);
    expect(vocab.get('country')).toBe(1);
    expect(vocab.get('hive')).toBe(2);
    expect(await index.vocabulary()).toBe(vocab);
    await index.remove(['d/b']);
    expect((await index.vocabulary()).get('latency')).toBe(1);
    // The terms field stays out of what a search or a get returns.
    const physical = await aliasTargets(`${prefix}-table`);
    const got = await admin.get<Record<string, unknown>>({ index: physical[0]!, id: 't/a' });
    expect(got._source).not.toHaveProperty('terms');
  });

  it('reads a vocabulary larger than one aggregation page', async () => {
    const index = newIndex();
    await index.init();
    const docs = Array.from({ length: 500 }, (_, i) => doc(`t/${i}`, Array.from({ length: 130 }, (_, j) => `w${i}x${j}`).join(' ')));
    await index.upsert(docs);
    const vocab = await index.vocabulary();
    expect(vocab.get('w499x129')).toBe(1);
    expect(vocab.get('hive')).toBe(500);
    expect([...vocab.keys()].filter((t) => t.startsWith('w')).length).toBe(65_000);
  });

  it('throws BackendUnavailableError with one clear message when the server is down', async () => {
    const index = new ElasticsearchSearchIndex({ node: 'http://127.0.0.1:1', indexPrefix: 'down' });
    try {
      const error = await index.init().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as BackendUnavailableError).backend).toBe('elasticsearch');
      expect((error as BackendUnavailableError).target).toBe('http://127.0.0.1:1');
      expect((error as Error).message).toMatch(/^elasticsearch at http:\/\/127\.0\.0\.1:1 is unavailable: /);
      await expect(index.search(q('latency'))).rejects.toBeInstanceOf(BackendUnavailableError);
    } finally {
      await index.close();
    }
  });

  it('rejects an index prefix Elasticsearch cannot name indexes with', () => {
    expect(() => new ElasticsearchSearchIndex({ node: NODE, indexPrefix: 'Bad Prefix' })).toThrow(/index prefix/);
  });
});

describe('ElasticsearchSearchIndex analysis revision', () => {
  it("reads the lowest revision of the indexes behind its aliases from their mappings' _meta, 0 where none is", async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const index = newIndex(prefix);
    await index.init();
    expect(await index.analysisRevision()).toBe(ANALYSIS_REVISION);
    await admin.indices.putMapping({ index: `${prefix}-dashboard`, _meta: { analysis: 1 } });
    expect(await index.analysisRevision()).toBe(1);
    await admin.indices.putMapping({ index: `${prefix}-table`, _meta: {} });
    expect(await index.analysisRevision()).toBe(0);
    async function* none(): AsyncIterable<SearchDocument[]> {}
    await index.reindex(none());
    expect(await index.analysisRevision()).toBe(ANALYSIS_REVISION);
  });
});

describeSearchIndexContract('elasticsearch', {
  async create() {
    const index = newIndex();
    await index.init();
    return index;
  },
  async dispose(index) {
    await index.close();
  },
});
