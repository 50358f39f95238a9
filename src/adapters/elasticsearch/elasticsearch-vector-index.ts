import { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import type pino from 'pino';
import { silentLogger } from '../../log/logger';
import { callElasticsearch, isStatus } from './errors';
import type { EmbeddingModel } from '../../ports/embedder';
import type { NearestQuery, PendingSubject, StoredState, VectorHit, VectorIndex, VectorKind, VectorRecord, VectorSubject } from '../../ports/vector-index';
import { sampleRank } from '../../search/vectors';

export interface ElasticsearchVectorIndexOptions {
  /** The Elasticsearch node, e.g. `http://127.0.0.1:9209`. */
  node: string;
  /** The alias is `{prefix}-vectors-by-kind`. Lower case. Default `nansen`. */
  indexPrefix?: string;
  logger?: pino.Logger;
}

type VectorField = `${VectorKind}_vector`;

type StoredVector = {
  key: string;
  kind: VectorKind;
  parent?: string;
  text_hash?: string;
  pending: boolean;
  /** 0 for tables and dashboards, 1 for columns: pending ones are embedded in that order. */
  priority: number;
  rank: number;
} & Partial<Record<VectorField, number[]>>;

const KINDS: VectorKind[] = ['table', 'dashboard', 'column'];
/**
 * The field that holds a kind's vectors. Each kind has a field, so each has an HNSW graph of its own: a kNN over
 * the tables walks a graph of tables, not one twenty times larger (their columns too) through a filter.
 */
function vectorField(kind: VectorKind): VectorField {
  return `${kind}_vector`;
}

/** A query clause that matches the subjects that have a vector, of whatever kind. */
function hasVector(name?: string): estypes.QueryDslQueryContainer {
  return { bool: { should: KINDS.map((k) => ({ exists: { field: vectorField(k) } })), minimum_should_match: 1, ...(name ? { _name: name } : {}) } };
}
const BULK = 1000;
const PAGE = 10_000;
/** The most neighbours one kNN search may ask for (`k` and `num_candidates`). */
const MAX_KNN = 10_000;
/** Another process may reset the model or write vectors: what is cached here is trusted this long. */
const CACHE_TTL_MS = 30_000;

function baseMappings(model?: EmbeddingModel): estypes.MappingTypeMapping {
  return {
    dynamic: 'strict',
    ...(model ? { _meta: { model: model.name, dimensions: model.dimensions } } : {}),
    properties: {
      key: { type: 'keyword' },
      kind: { type: 'keyword' },
      parent: { type: 'keyword' },
      text_hash: { type: 'keyword' },
      pending: { type: 'boolean' },
      priority: { type: 'byte' },
      rank: { type: 'long' },
      ...(model ? Object.fromEntries(KINDS.map((k) => [vectorField(k), { type: 'dense_vector', dims: model.dimensions, index: true, similarity: 'cosine' }])) : {}),
    },
  };
}

const SETTINGS: estypes.IndicesIndexSettings = { number_of_shards: 1, number_of_replicas: 0 };


/**
 * The Elasticsearch `VectorIndex`: one index behind the alias `{prefix}-vectors-by-kind` with a `dense_vector` field per
 * kind (cosine, HNSW) searched with kNN, filtered, for columns, by table. The vector fields are added once the
 * model's dimension is known; a model of another name or dimension gets a fresh index (the alias swapped
 * atomically) into which every subject is copied as pending, so old and new vectors never mix. Everything the
 * integ-test distribution lacks (delete-by-query, reindex) is done with searches and bulk requests.
 */
export class ElasticsearchVectorIndex implements VectorIndex {
  private readonly client: Client;
  private readonly alias: string;
  /** The alias of the earlier layout, one `vector` field for every kind: its subjects move over at `init`. */
  private readonly legacyAlias: string;
  private readonly log: pino.Logger;
  private samples = new Map<string, Float32Array[]>();
  private samplesAt = 0;
  private cachedModel: { model: EmbeddingModel | undefined; at: number } | undefined;

  constructor(private readonly options: ElasticsearchVectorIndexOptions) {
    const prefix = options.indexPrefix ?? 'nansen';
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(prefix)) throw new Error(`invalid Elasticsearch index prefix ${JSON.stringify(prefix)}`);
    this.alias = `${prefix}-vectors-by-kind`;
    this.legacyAlias = `${prefix}-vectors`;
    this.log = (options.logger ?? silentLogger()).child({ component: 'elasticsearch-vector-index', alias: this.alias });
    this.client = new Client({ node: options.node, maxRetries: 1, requestTimeout: 60_000 });
  }

  /** Runs a request, turning "cannot reach the server" into `BackendUnavailableError`. */
  private call<T>(fn: () => Promise<T>): Promise<T> {
    return callElasticsearch(this.options.node, fn);
  }

  private physicalName(): string {
    return `${this.alias}-${new Date().toISOString().replace(/[-:.TZ]/g, '')}-${Math.floor(Math.random() * 1e6)}`;
  }

  private async current(): Promise<string | undefined> {
    return (await this.aliased(this.alias))[0];
  }

  /**
   * Creates the index when there is none. The subjects of an index of the earlier layout are copied into it as
   * pending before the alias names it (so a crash leaves that index as it was), and that index is deleted after:
   * the catch-up embeds them all again, once. Processes of the earlier version find no index of theirs then and
   * answer lexically.
   */
  async init(): Promise<void> {
    if (await this.current()) return;
    const index = this.physicalName();
    await this.call(() => this.client.indices.create({ index, settings: SETTINGS, mappings: baseMappings() }));
    const legacy = await this.aliased(this.legacyAlias);
    for (const old of legacy) await this.copySubjects(old, index);
    if (legacy.length) await this.call(() => this.client.indices.refresh({ index }));
    await this.call(() => this.client.indices.updateAliases({ actions: [{ add: { index, alias: this.alias } }] }));
    const all = await this.aliased(this.alias);
    // two processes starting at once: everyone keeps the first
    for (const extra of all.slice(1)) {
      await this.call(() => this.client.indices.updateAliases({ actions: [{ remove_index: { index: extra } }] })).catch(() => undefined);
    }
    if (legacy.length) {
      await this.call(() => this.client.indices.delete({ index: legacy, ignore_unavailable: true })).catch((e: unknown) => this.log.warn({ err: e }, 'vector index of the earlier layout not deleted'));
      this.log.info({ from: legacy, subjects: 'pending' }, 'vector index moved to one field per kind; the catch-up embeds the catalog again');
    }
  }

  /** The indexes an alias names, sorted (none when it names none). */
  private async aliased(alias: string): Promise<string[]> {
    try {
      return Object.keys(await this.call(() => this.client.indices.getAlias({ name: alias }))).sort();
    } catch (e) {
      if (isStatus(e, 404)) return [];
      throw e;
    }
  }

  /** Every subject of one index into another, as pending (its vector, of another index, is not copied). */
  private async copySubjects(from: string, to: string): Promise<void> {
    const subjects = await this.scan(from, { match_all: {} });
    for (let i = 0; i < subjects.length; i += BULK) {
      const operations = subjects.slice(i, i + BULK).flatMap((s) => [{ index: { _index: to, _id: s.key } }, { ...this.subjectDoc(s), pending: true }]);
      await this.bulk(operations, false);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async model(): Promise<EmbeddingModel | undefined> {
    if (this.cachedModel && Date.now() - this.cachedModel.at < CACHE_TTL_MS) return this.cachedModel.model;
    const index = await this.current();
    if (!index) return undefined;
    const res = await this.call(() => this.client.indices.getMapping({ index }));
    const meta = res[index]?.mappings?._meta as { model?: string; dimensions?: number } | undefined;
    const model = meta?.model && meta.dimensions ? { name: meta.model, dimensions: meta.dimensions } : undefined;
    this.cachedModel = { model, at: Date.now() };
    return model;
  }

  async useModel(model: EmbeddingModel): Promise<{ reset: boolean }> {
    this.cachedModel = undefined;
    const stored = await this.model();
    if (stored && stored.name === model.name && stored.dimensions === model.dimensions) return { reset: false };
    const index = await this.current();
    if (!stored && index) {
      await this.call(() => this.client.indices.putMapping({ index, ...baseMappings(model) }));
      this.cachedModel = { model, at: Date.now() };
      return { reset: false };
    }
    const fresh = this.physicalName();
    await this.call(() => this.client.indices.create({ index: fresh, settings: SETTINGS, mappings: baseMappings(model) }));
    if (index) await this.copySubjects(index, fresh);
    await this.call(() => this.client.indices.refresh({ index: fresh }));
    await this.call(() =>
      this.client.indices.updateAliases({ actions: [...(index ? [{ remove: { index, alias: this.alias } }] : []), { add: { index: fresh, alias: this.alias } }] }),
    );
    if (index) await this.call(() => this.client.indices.delete({ index, ignore_unavailable: true })).catch((e: unknown) => this.log.warn({ err: e }, 'old vector index not deleted'));
    this.cachedModel = { model, at: Date.now() };
    this.samples.clear();
    this.log.info({ model: model.name, dimensions: model.dimensions, previous: stored }, 'vector index reset for a new model');
    return { reset: !!stored };
  }

  private subjectDoc(s: VectorSubject): Omit<StoredVector, 'pending'> {
    return { key: s.key, kind: s.kind, ...(s.parent ? { parent: s.parent } : {}), priority: s.kind === 'column' ? 1 : 0, rank: sampleRank(s.key) };
  }

  /** Every subject matching a query, read page by page (search_after on the key). */
  private async scan(index: string, query: estypes.QueryDslQueryContainer): Promise<VectorSubject[]> {
    const out: VectorSubject[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await this.call(() =>
        this.client.search<StoredVector>({ index, size: PAGE, query, sort: [{ key: 'asc' }], _source: ['key', 'kind', 'parent'], ...(after ? { search_after: after } : {}) }),
      );
      for (const h of res.hits.hits) out.push({ key: h._source!.key, kind: h._source!.kind, ...(h._source!.parent ? { parent: h._source!.parent } : {}) });
      if (res.hits.hits.length < PAGE) return out;
      after = res.hits.hits.at(-1)!.sort;
    }
  }

  /**
   * Runs a bulk request; a delete or update of a missing document is not a failure, nor (with `conflicts`) a
   * conditional write whose document changed meanwhile. Answers the keys of those conflicts, in order.
   */
  private async bulk(operations: estypes.BulkRequest['operations'], refresh: boolean, conflicts = false): Promise<string[]> {
    const res = await this.call(() => this.client.bulk({ operations, refresh }));
    const conflicted: string[] = [];
    const failed = res.items.filter((i) => {
      const r = i.index ?? i.update ?? i.delete;
      if (conflicts && r?.status === 409) {
        conflicted.push(r._id ?? '');
        return false;
      }
      return r?.error && !(i.delete && r.status === 404) && !(i.update && r.status === 404);
    });
    if (failed.length) {
      const first = failed[0]!.index ?? failed[0]!.update ?? failed[0]!.delete;
      throw new Error(`elasticsearch vector bulk write failed for ${failed.length} of ${res.items.length} items: ${first?.error?.type}: ${first?.error?.reason}`);
    }
    if (refresh) this.samples.clear();
    return conflicted;
  }

  async markPending(subjects: VectorSubject[]): Promise<void> {
    for (let i = 0; i < subjects.length; i += BULK) {
      // detect_noop off: marking a pending subject again must give it a new sequence number, its new mark
      const operations = subjects
        .slice(i, i + BULK)
        .flatMap((s) => [
          { update: { _index: this.alias, _id: s.key } },
          { doc: { ...this.subjectDoc(s), pending: true }, upsert: { ...this.subjectDoc(s), pending: true }, detect_noop: false },
        ]);
      await this.bulk(operations, true);
    }
  }

  async pending(limit: number): Promise<PendingSubject[]> {
    if (limit <= 0) return [];
    const res = await this.call(() =>
      this.client.search<StoredVector>({
        index: this.alias,
        size: Math.min(limit, PAGE),
        query: { term: { pending: true } },
        sort: [{ priority: 'asc' }, { key: 'asc' }],
        _source: ['key', 'kind', 'parent'],
        seq_no_primary_term: true,
      }),
    );
    return res.hits.hits.map((h) => ({
      key: h._source!.key,
      kind: h._source!.kind,
      ...(h._source!.parent ? { parent: h._source!.parent } : {}),
      mark: formatMark({ index: h._index, seqNo: h._seq_no ?? -1, primaryTerm: h._primary_term ?? -1 }),
    }));
  }

  async pendingCount(): Promise<number> {
    return (await this.call(() => this.client.count({ index: this.alias, query: { term: { pending: true } } }))).count;
  }

  async states(keys: string[]): Promise<Map<string, StoredState>> {
    const out = new Map<string, StoredState>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += PAGE) {
      const slice = unique.slice(i, i + PAGE);
      const res = await this.call(() =>
        this.client.search<StoredVector>({
          index: this.alias,
          size: slice.length,
          // the named clause tells which hits have a vector without fetching it
          query: { bool: { filter: [{ terms: { key: slice } }], should: [hasVector('vector')] } },
          _source: ['key', 'text_hash', 'pending'],
        }),
      );
      for (const h of res.hits.hits) {
        const src = h._source!;
        const hasVector = (h.matched_queries as string[] | undefined)?.includes('vector') ?? false;
        out.set(src.key, { ...(hasVector && src.text_hash ? { textHash: src.text_hash } : {}), pending: src.pending });
      }
    }
    return out;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    const model = await this.model();
    for (const r of records) {
      if (!model) throw new Error('the vector index has no model yet: call useModel first');
      if (r.vector.length !== model.dimensions) throw new Error(`vector of ${r.key} has ${r.vector.length} dimensions; the index holds ${model.dimensions}`);
    }
    const index = records.some((r) => r.mark !== undefined) ? await this.current() : undefined;
    // a mark from an index the alias no longer names belongs to another model's space: its vector is not written
    const writable = records.filter((r) => r.mark === undefined || (index !== undefined && parseMark(r.mark)?.index === index));
    const byKey = new Map(writable.map((r) => [r.key, r]));
    for (let i = 0; i < writable.length; i += BULK) {
      const operations = writable.slice(i, i + BULK).flatMap((r) => [
        { index: { _index: this.alias, _id: r.key, ...this.condition(r.mark) } },
        { ...this.subjectDoc(r), text_hash: r.textHash, pending: false, [vectorField(r.kind)]: Array.from(r.vector) },
      ]);
      const remarked = await this.bulk(operations, true, true);
      // marked again (or removed) since it was listed: store the vector, leave the mark; a removed one stays gone
      const again = remarked.flatMap((key) => {
        const r = byKey.get(key)!;
        return [{ update: { _index: this.alias, _id: key } }, { doc: { ...this.subjectDoc(r), text_hash: r.textHash, [vectorField(r.kind)]: Array.from(r.vector) } }];
      });
      if (again.length) await this.bulk(again, true);
    }
  }

  async settle(subjects: PendingSubject[]): Promise<void> {
    if (!subjects.length) return;
    const index = await this.current();
    const current = index === undefined ? [] : subjects.filter((s) => parseMark(s.mark)?.index === index);
    for (let i = 0; i < current.length; i += BULK) {
      const operations = current
        .slice(i, i + BULK)
        .flatMap((s) => [{ update: { _index: this.alias, _id: s.key, ...this.condition(s.mark) } }, { doc: { pending: false } }]);
      await this.bulk(operations, true, true);
    }
  }

  /** The optimistic-concurrency condition a mark stands for (none without a mark). */
  private condition(mark: string | undefined): { if_seq_no?: number; if_primary_term?: number } {
    const parsed = mark === undefined ? undefined : parseMark(mark);
    return parsed ? { if_seq_no: parsed.seqNo, if_primary_term: parsed.primaryTerm } : {};
  }

  async remove(keys: string[]): Promise<void> {
    if (!keys.length) return;
    const index = await this.current();
    if (!index) return;
    const columns = (await this.columnKeys(keys)).values();
    const all = [...new Set([...keys, ...[...columns].flat()])];
    for (let i = 0; i < all.length; i += BULK) {
      await this.bulk(all.slice(i, i + BULK).map((key) => ({ delete: { _index: this.alias, _id: key } })), true);
    }
  }

  async columnKeys(tables: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(tables.map((t) => [t, []]));
    const index = await this.current();
    if (!index || !tables.length) return out;
    const unique = [...new Set(tables)];
    for (let i = 0; i < unique.length; i += 500) {
      for (const s of await this.scan(index, { bool: { filter: [{ terms: { parent: unique.slice(i, i + 500) } }, { term: { kind: 'column' } }] } })) {
        out.get(s.parent!)?.push(s.key);
      }
    }
    return out;
  }

  async nearest(query: NearestQuery): Promise<VectorHit[]> {
    const limit = Math.max(0, Math.floor(query.limit));
    const kinds = [...new Set(query.kinds)];
    if (!limit || !kinds.length || !(await this.model())) return [];
    if (query.onePerParent && kinds.some((k) => k !== 'column')) {
      // a collapse would make one group of everything without a parent: those kinds are asked apart
      const apart = await Promise.all([
        this.nearest({ ...query, kinds: ['column'] }),
        this.nearest({ ...query, kinds: kinds.filter((k) => k !== 'column'), onePerParent: false }),
      ]);
      return apart.flat().sort(bySimilarityThenKey).slice(0, limit);
    }
    const parents = [...(query.parent !== undefined ? [query.parent] : []), ...(query.parents ?? [])];
    const filter: estypes.QueryDslQueryContainer[] = query.parent !== undefined || query.parents !== undefined ? [{ terms: { parent: parents } }] : [];
    // One hit per table: the hits collapse on the parent, from as many neighbours as a kNN may gather. When the
    // filter holds fewer vectors than that (a hundred candidates' columns), Lucene scores them all, exactly.
    const k = query.onePerParent ? MAX_KNN : limit;
    const res = await this.call(() =>
      this.client.search<StoredVector>({
        index: this.alias,
        size: limit,
        // one search per kind's field; a subject has one kind's vector, so its score is that search's
        knn: kinds.map((kind) => ({ field: vectorField(kind), query_vector: Array.from(query.vector), k, num_candidates: Math.min(MAX_KNN, Math.max(100, k * 4)), ...(filter.length ? { filter } : {}) })),
        ...(query.onePerParent ? { collapse: { field: 'parent' } } : {}),
        // from doc values: a hit's _source holds its vector, hundreds of numbers to load and parse per hit; and no
        // stored field at all, not even _id (the key is a doc value): reading them halves a kNN request of 100 hits
        _source: false,
        stored_fields: '_none_',
        docvalue_fields: ['key', 'kind', 'parent'],
      }),
    );
    const first = (h: estypes.SearchHit<StoredVector>, field: string): string | undefined => (h.fields?.[field] as string[] | undefined)?.[0];
    // Elasticsearch scores a cosine as (1 + cos) / 2
    // equal scores in key order, as the embedded index gives them
    return res.hits.hits
      .map((h) => ({ key: first(h, 'key')!, kind: first(h, 'kind') as VectorKind, similarity: 2 * (h._score ?? 0.5) - 1, ...(first(h, 'parent') ? { parent: first(h, 'parent')! } : {}) }))
      .sort(bySimilarityThenKey);
  }

  async sample(kind: VectorKind, n: number): Promise<Float32Array[]> {
    const id = `${kind}:${n}`;
    if (Date.now() - this.samplesAt > CACHE_TTL_MS) this.samples.clear();
    const cached = this.samples.get(id);
    if (cached) return cached;
    if (n <= 0 || !(await this.model())) return [];
    const res = await this.call(() =>
      this.client.search<StoredVector>({
        index: this.alias,
        size: Math.min(n, PAGE),
        query: { bool: { filter: [{ exists: { field: vectorField(kind) } }] } },
        sort: [{ rank: 'asc' }, { key: 'asc' }],
        _source: [vectorField(kind)],
      }),
    );
    const picked = res.hits.hits.map((h) => Float32Array.from(h._source![vectorField(kind)] ?? []));
    if (!this.samples.size) this.samplesAt = Date.now();
    this.samples.set(id, picked);
    return picked;
  }

  async count(): Promise<Record<VectorKind, number>> {
    const out = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<VectorKind, number>;
    const res = await this.call(() =>
      this.client.search({ index: this.alias, size: 0, query: hasVector(), aggs: { kinds: { terms: { field: 'kind', size: 10 } } } }),
    );
    const buckets = ((res.aggregations?.kinds as estypes.AggregationsStringTermsAggregate | undefined)?.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
    for (const b of buckets) out[String(b.key) as VectorKind] = b.doc_count;
    return out;
  }
}

function bySimilarityThenKey(a: VectorHit, b: VectorHit): number {
  return b.similarity - a.similarity || a.key.localeCompare(b.key);
}

interface Mark {
  index: string;
  seqNo: number;
  primaryTerm: number;
}

/** A pending mark: the document's physical index, sequence number and primary term when it was listed. */
function formatMark(mark: Mark): string {
  return `${mark.seqNo}:${mark.primaryTerm}:${mark.index}`;
}

function parseMark(mark: string): Mark | undefined {
  const m = /^(\d+):(\d+):(.+)$/.exec(mark);
  return m ? { seqNo: Number(m[1]), primaryTerm: Number(m[2]), index: m[3]! } : undefined;
}
