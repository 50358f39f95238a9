import { Client, errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import type pino from 'pino';
import { silentLogger } from '../../log/logger';
import { callElasticsearch, isStatus } from './errors';
import type { SearchBulkWriter, SearchDocument, SearchFields, SearchHit, SearchIndex, SearchKind, SearchQuery } from '../../ports/search-index';
import { FIELD_WEIGHTS } from '../../ports/search-index';
import { applyRankingPriors, candidatePoolSize } from '../../search/ranking';
import type { ScoredCandidate } from '../../search/ranking';
import { ANALYSIS_REVISION } from '../../text/analyze';

export interface ElasticsearchSearchIndexOptions {
  /** The Elasticsearch node, e.g. `http://127.0.0.1:9209`. */
  node: string;
  /** Names every index and alias: `{prefix}-table`, `{prefix}-dashboard-{timestamp}`. Lower case. Default `nansen`. */
  indexPrefix?: string;
  logger?: pino.Logger;
}

/** One bulk item that Elasticsearch refused. */
export interface BulkFailure {
  key: string;
  status: number;
  type: string;
  reason: string;
}

/** Some items of a bulk write failed; the others were written. */
export class BulkWriteError extends Error {
  constructor(
    readonly operation: 'index' | 'delete',
    readonly failures: BulkFailure[],
    readonly total: number,
  ) {
    const shown = failures.slice(0, 10).map((f) => `${f.key} (${f.status} ${f.type}: ${f.reason})`);
    const more = failures.length > shown.length ? `; and ${failures.length - shown.length} more` : '';
    super(`elasticsearch bulk ${operation} failed for ${failures.length} of ${total} documents: ${shown.join('; ')}${more}`);
    this.name = 'BulkWriteError';
  }
}

const KINDS: readonly SearchKind[] = ['table', 'dashboard'];
const TEXT_FIELDS = Object.keys(FIELD_WEIGHTS) as Array<keyof SearchFields>;
const WEIGHTED_FIELDS = TEXT_FIELDS.map((f) => `${f}^${FIELD_WEIGHTS[f]}`);
/** What a search reads back: the priors, never the text. */
const PRIOR_FIELDS = ['key', 'kind', 'popularity', 'badges', 'deprecated', 'lastUpdatedAt', 'cadenceHours'];

/** Bulk requests are cut at this many documents or about this many bytes of text, whichever comes first. */
const BULK_MAX_DOCS = 2000;
const BULK_MAX_CHARS = 8_000_000;
/** Elasticsearch's `index.max_result_window`. */
const MAX_WINDOW = 10_000;
/** Buckets per page of the composite aggregation that reads the vocabulary (under `search.max_buckets`, 65,536). */
const VOCABULARY_PAGE = 60_000;
/** Another process (a crawl worker) may write; a cached vocabulary is trusted for this long. */
const VOCABULARY_TTL_MS = 5 * 60_000;
/** Lucene's whitespace tokenizer cuts tokens at this many characters; the vocabulary field does the same. */
const MAX_TOKEN_CHARS = 255;

/** A document as stored: the text fields flattened, plus the distinct terms for the vocabulary. */
type StoredDocument = SearchFields &
  Pick<SearchDocument, 'key' | 'kind' | 'popularity' | 'badges' | 'deprecated' | 'lastUpdatedAt' | 'cadenceHours'> & {
    /** Distinct terms of all text fields; keyword doc values only, not indexed, excluded from `_source`. */
    terms: string[];
  };

interface BulkRequestItems {
  operations: estypes.BulkRequest['operations'];
  /** The document key of each operation, in order. */
  keys: string[];
}

type StoredPriors = Omit<ScoredCandidate, 'textScore'>;

const TEXT_MAPPING: estypes.MappingProperty = { type: 'text', analyzer: 'whitespace' };

const MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  _meta: { analysis: ANALYSIS_REVISION },
  _source: { excludes: ['terms'] },
  properties: {
    key: { type: 'keyword' },
    kind: { type: 'keyword' },
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, TEXT_MAPPING])),
    terms: { type: 'keyword', index: false, doc_values: true },
    popularity: { type: 'long' },
    badges: { type: 'keyword' },
    deprecated: { type: 'boolean' },
    lastUpdatedAt: { type: 'date' },
    cadenceHours: { type: 'float' },
  },
};

const SETTINGS: estypes.IndicesIndexSettings = { number_of_shards: 1, number_of_replicas: 0 };

/** The distinct terms of a document's text fields, cut the way the whitespace tokenizer cuts them. */
function distinctTerms(fields: SearchFields): string[] {
  const terms = new Set<string>();
  for (const f of TEXT_FIELDS) {
    for (const token of (fields[f] ?? '').split(/\s+/)) {
      if (!token) continue;
      if (token.length <= MAX_TOKEN_CHARS) terms.add(token);
      else for (let i = 0; i < token.length; i += MAX_TOKEN_CHARS) terms.add(token.slice(i, i + MAX_TOKEN_CHARS));
    }
  }
  return [...terms];
}

function toStored(doc: SearchDocument): StoredDocument {
  return {
    key: doc.key,
    kind: doc.kind,
    name: doc.fields.name,
    columns: doc.fields.columns,
    description: doc.fields.description,
    tags: doc.fields.tags,
    path: doc.fields.path,
    terms: distinctTerms(doc.fields),
    popularity: doc.popularity,
    badges: doc.badges,
    deprecated: doc.deprecated,
    lastUpdatedAt: doc.lastUpdatedAt,
    cadenceHours: doc.cadenceHours,
  };
}

function approxChars(doc: SearchDocument): number {
  return 256 + doc.key.length * 2 + TEXT_FIELDS.reduce((n, f) => n + (doc.fields[f]?.length ?? 0) * 2, 0);
}

/** Cuts documents into bulk-sized chunks. */
function* chunks(docs: SearchDocument[]): Generator<SearchDocument[]> {
  let chunk: SearchDocument[] = [];
  let chars = 0;
  for (const doc of docs) {
    const size = approxChars(doc);
    if (chunk.length > 0 && (chunk.length >= BULK_MAX_DOCS || chars + size > BULK_MAX_CHARS)) {
      yield chunk;
      chunk = [];
      chars = 0;
    }
    chunk.push(doc);
    chars += size;
  }
  if (chunk.length > 0) yield chunk;
}

function checkKind(doc: SearchDocument): void {
  if (!KINDS.includes(doc.kind)) throw new Error(`search document ${doc.key} has unknown kind ${String(doc.kind)}`);
}


/**
 * The Elasticsearch `SearchIndex`: one index per kind behind an alias (`{prefix}-table` → `{prefix}-table-{stamp}`),
 * text fields analysed by the core `whitespace` analyzer because our code has analysed them already, BM25F through
 * `combined_fields` with `FIELD_WEIGHTS`, then the shared ranking priors read from `_source`.
 *
 * The vocabulary comes from a keyword field `terms` (doc values only, left out of `_source`) holding each document's
 * distinct terms, read with a paged composite aggregation: one bucket per term whose count is its document
 * frequency across every text field, with no fielddata on the heap.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  private readonly client: Client;
  private readonly prefix: string;
  private readonly log: pino.Logger;
  private lastStamp = 0;
  /** Bumped by every write, so a vocabulary read that overlapped a write is not cached. */
  private generation = 0;
  private vocabularyCache: { map: Map<string, number>; at: number; generation: number } | undefined;
  private vocabularyInFlight: { promise: Promise<Map<string, number>>; generation: number } | undefined;

  constructor(private readonly options: ElasticsearchSearchIndexOptions) {
    this.prefix = options.indexPrefix ?? 'nansen';
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(this.prefix)) {
      throw new Error(`invalid Elasticsearch index prefix ${JSON.stringify(this.prefix)}: use lower-case letters, digits, '-', '_' or '.'`);
    }
    this.log = (options.logger ?? silentLogger()).child({ component: 'elasticsearch-search-index', indexPrefix: this.prefix });
    this.client = new Client({ node: options.node, maxRetries: 1, requestTimeout: 60_000 });
  }

  private alias(kind: SearchKind): string {
    return `${this.prefix}-${kind}`;
  }

  private get aliases(): string[] {
    return KINDS.map((k) => this.alias(k));
  }

  /** A new physical index name: `{prefix}-{kind}-{yyyymmddhhmmssSSS}`, increasing within this process. */
  private physicalName(kind: SearchKind, stampMs: number): string {
    const stamp = new Date(stampMs).toISOString().replace(/[-:.TZ]/g, '');
    return `${this.alias(kind)}-${stamp}`;
  }

  private nextStamp(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  /** Runs a request, turning "cannot reach the server" into `BackendUnavailableError`. */
  private call<T>(fn: () => Promise<T>): Promise<T> {
    return callElasticsearch(this.options.node, fn);
  }

  /** The physical indexes an alias points to (none when the alias is missing). */
  private async indicesOf(alias: string): Promise<string[]> {
    try {
      const res = await this.call(() => this.client.indices.getAlias({ name: alias }));
      return Object.keys(res).sort();
    } catch (e) {
      if (isStatus(e, 404)) return [];
      throw e;
    }
  }

  async init(): Promise<void> {
    for (const kind of KINDS) await this.ensureAlias(kind);
    await this.endBulkModeLeftOn();
  }

  /**
   * Bulk mode is the index's periodic refresh off (`refresh_interval: -1`) and no refresh per request; `finish`
   * turns the periodic refresh back on and refreshes once. Several writers (processes) may overlap: the first
   * `finish` turns the periodic refresh back on for all, which costs the others speed, never visibility, since each
   * refreshes at its own `finish`.
   */
  async bulkWriter(): Promise<SearchBulkWriter> {
    await this.setPeriodicRefresh(false);
    return {
      upsert: (docs) => this.writeDocs(docs, { visible: false }),
      remove: (keys) => this.removeKeys(keys, { visible: false }),
      finish: async () => {
        await this.setPeriodicRefresh(true);
        await this.refresh(this.aliases);
        this.invalidateVocabulary();
      },
    };
  }

  /** A process that stopped between `bulkWriter` and `finish` left the periodic refresh off: back on, refreshed. */
  private async endBulkModeLeftOn(): Promise<void> {
    const res = await this.call(() => this.client.indices.getSettings({ index: this.aliases, name: 'index.refresh_interval' }));
    const off = Object.values(res).some((s) => String(s.settings?.index?.refresh_interval ?? '') === '-1');
    if (!off) return;
    this.log.warn({ aliases: this.aliases }, 'search index was left in bulk mode; refresh turned back on');
    await this.setPeriodicRefresh(true);
    await this.refresh(this.aliases);
  }

  private async setPeriodicRefresh(on: boolean): Promise<void> {
    // null puts the server's default back (1 s, skipped while a shard is search-idle).
    const settings = { refresh_interval: on ? null : '-1' } as unknown as estypes.IndicesIndexSettings;
    await this.call(() => this.client.indices.putSettings({ index: this.aliases, settings }));
  }

  private async ensureAlias(kind: SearchKind): Promise<void> {
    const alias = this.alias(kind);
    if ((await this.indicesOf(alias)).length > 0) return;
    if (await this.call(() => this.client.indices.exists({ index: alias }))) {
      throw new Error(`Elasticsearch index ${alias} exists but is not an alias; Nansen needs ${alias} to be an alias of a versioned index`);
    }
    const index = this.physicalName(kind, this.nextStamp());
    try {
      await this.call(() => this.client.indices.create({ index, settings: SETTINGS, mappings: MAPPINGS, aliases: { [alias]: {} } }));
      this.log.info({ alias, index }, 'search index created');
    } catch (e) {
      // Another process created the same name in the same millisecond.
      if (!(e instanceof errors.ResponseError && e.body?.error?.type === 'resource_already_exists_exception')) throw e;
    }
    // Two processes starting at once may each create an index for the alias: all keep the first name.
    const all = await this.indicesOf(alias);
    for (const extra of all.slice(1)) {
      try {
        await this.call(() => this.client.indices.updateAliases({ actions: [{ remove_index: { index: extra } }] }));
      } catch (e) {
        if (!isStatus(e, 404)) throw e;
      }
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    await this.writeDocs(docs, { visible: true });
  }

  async remove(keys: string[]): Promise<void> {
    await this.removeKeys(keys, { visible: true });
  }

  private async writeDocs(docs: SearchDocument[], options: { visible: boolean }): Promise<void> {
    if (docs.length === 0) return;
    docs.forEach(checkKind);
    const requests = [...chunks(docs)].map((chunk) => ({
      operations: chunk.flatMap((doc) => [{ index: { _index: this.alias(doc.kind), _id: doc.key } }, toStored(doc)]),
      keys: chunk.map((d) => d.key),
    }));
    await this.write('index', requests, docs.length, [...new Set(docs.map((d) => this.alias(d.kind)))], options);
  }

  private async removeKeys(keys: string[], options: { visible: boolean }): Promise<void> {
    if (keys.length === 0) return;
    const requests: BulkRequestItems[] = [];
    for (let i = 0; i < keys.length; i += BULK_MAX_DOCS) {
      const slice = keys.slice(i, i + BULK_MAX_DOCS);
      requests.push({
        operations: slice.flatMap((key) => this.aliases.map((index) => ({ delete: { _index: index, _id: key } }))),
        keys: slice.flatMap((key) => this.aliases.map(() => key)),
      });
    }
    await this.write('delete', requests, keys.length, this.aliases, options);
  }

  /**
   * Sends bulk requests through the aliases and makes them visible to the next search: one request refreshes
   * itself (`refresh: true`, measured about 16 ms against about 1 s for `wait_for`, which waits for the next
   * periodic refresh); several are refreshed together once all are in. Not `visible`: no refresh (a bulk writer's
   * `finish` makes it visible). Throws listing every failed item.
   */
  private async write(operation: 'index' | 'delete', requests: BulkRequestItems[], total: number, touched: string[], options: { visible: boolean }): Promise<void> {
    this.generation++;
    try {
      const failures: BulkFailure[] = [];
      const single = requests.length === 1;
      for (const r of requests) failures.push(...(await this.bulk(r.operations, r.keys, { refresh: options.visible && single, viaAlias: true })));
      if (options.visible && !single) await this.refresh(touched);
      if (failures.length > 0) {
        this.log.warn({ operation, failed: failures.length, total, first: failures[0] }, 'search bulk write had failures');
        throw new BulkWriteError(operation, failures, total);
      }
    } finally {
      this.invalidateVocabulary();
    }
  }

  /** Sends one bulk request and returns the items that failed; a delete of a missing document is no failure. */
  private async bulk(operations: estypes.BulkRequest['operations'], itemKeys: string[], options: { refresh: boolean; viaAlias: boolean }): Promise<BulkFailure[]> {
    // Through an alias, require_alias stops a write from auto-creating a concrete index when the alias is missing.
    const res = await this.call(() => this.client.bulk({ operations, refresh: options.refresh, require_alias: options.viaAlias }));
    if (res.items.length !== itemKeys.length) {
      throw new Error(`elasticsearch bulk answered ${res.items.length} items for ${itemKeys.length} operations`);
    }
    const failures: BulkFailure[] = [];
    res.items.forEach((item, i) => {
      const result = item.index ?? item.delete ?? item.create ?? item.update;
      if (!result) {
        failures.push({ key: itemKeys[i]!, status: 0, type: 'unknown', reason: 'no result for this item' });
      } else if (result.error) {
        failures.push({ key: itemKeys[i]!, status: result.status, type: result.error.type, reason: result.error.reason ?? '' });
      } else if (result.status >= 300 && !(item.delete && result.status === 404)) {
        failures.push({ key: itemKeys[i]!, status: result.status, type: result.result ?? 'unknown', reason: `status ${result.status}` });
      }
    });
    return failures;
  }

  /** Makes the writes to these indexes visible to the next search. */
  private async refresh(indexes: string[]): Promise<void> {
    if (indexes.length === 0) return;
    await this.call(() => this.client.indices.refresh({ index: indexes }));
  }

  async reindex(batches: AsyncIterable<SearchDocument[]>): Promise<void> {
    const started = Date.now();
    const stamp = this.nextStamp();
    const next = Object.fromEntries(KINDS.map((k) => [k, this.physicalName(k, stamp)])) as Record<SearchKind, string>;
    const fresh = Object.values(next);
    this.generation++;
    let total = 0;
    let old: string[] = [];
    try {
      for (const index of fresh) {
        await this.call(() => this.client.indices.create({ index, settings: { ...SETTINGS, refresh_interval: '-1' }, mappings: MAPPINGS }));
      }
      const send = async (chunk: SearchDocument[]): Promise<void> => {
        const operations = chunk.flatMap((doc) => [{ index: { _index: next[doc.kind], _id: doc.key } }, toStored(doc)]);
        const failures = await this.bulk(operations, chunk.map((d) => d.key), { refresh: false, viaAlias: false });
        if (failures.length > 0) throw new BulkWriteError('index', failures, chunk.length);
        total += chunk.length;
      };
      // Two bulk requests in flight: Elasticsearch indexes one while the next is built and sent.
      let inFlight: Promise<void> | undefined;
      for await (const batch of batches) {
        batch.forEach(checkKind);
        for (const chunk of chunks(batch)) {
          const sending = send(chunk);
          sending.catch(() => undefined);
          if (inFlight) await inFlight;
          inFlight = sending;
        }
      }
      if (inFlight) await inFlight;
      // null restores the default interval (and search-idle skipping), which a literal '1s' would not.
      const defaultRefresh = { refresh_interval: null } as unknown as estypes.IndicesIndexSettings;
      await this.call(() => this.client.indices.putSettings({ index: fresh, settings: defaultRefresh }));
      await this.refresh(fresh);
      const actions: estypes.IndicesUpdateAliasesAction[] = [];
      for (const kind of KINDS) {
        const alias = this.alias(kind);
        const current = await this.indicesOf(alias);
        old.push(...current);
        for (const index of current) actions.push({ remove: { index, alias } });
        actions.push({ add: { index: next[kind], alias } });
      }
      await this.call(() => this.client.indices.updateAliases({ actions }));
    } catch (e) {
      old = [];
      try {
        await this.client.indices.delete({ index: fresh, ignore_unavailable: true });
      } catch (cleanup) {
        this.log.warn({ err: cleanup, indexes: fresh }, 'could not delete the indexes of a failed reindex');
      }
      throw e;
    } finally {
      this.invalidateVocabulary();
    }
    if (old.length > 0) {
      try {
        await this.call(() => this.client.indices.delete({ index: old, ignore_unavailable: true }));
      } catch (e) {
        this.log.warn({ err: e, indexes: old }, 'could not delete the indexes a reindex replaced');
      }
    }
    this.log.info({ documents: total, indexes: fresh, replaced: old, ms: Date.now() - started }, 'search reindex swapped');
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const clauses = query.clauses.filter((c) => c.term.trim() !== '' && Number.isFinite(c.boost) && c.boost >= 0);
    const kinds = [...new Set(query.kinds ?? KINDS)];
    if (clauses.length === 0 || kinds.length === 0 || query.limit <= 0) return [];
    const res = await this.call(() =>
      this.client.search<StoredPriors>({
        index: kinds.map((k) => this.alias(k)),
        // Term statistics of both kind indexes together, as one index would have them, so a table's and a
        // dashboard's scores compare. One index is one shard: its own statistics are those, and the extra phase
        // (a request from the coordinator to the shard, under load as slow as the search) is skipped.
        search_type: kinds.length > 1 ? 'dfs_query_then_fetch' : 'query_then_fetch',
        size: Math.min(candidatePoolSize(query.limit), MAX_WINDOW),
        track_total_hits: false,
        _source: PRIOR_FIELDS,
        query: {
          bool: {
            should: clauses.map((c) => ({ combined_fields: { query: c.term, fields: WEIGHTED_FIELDS, boost: c.boost } })),
            minimum_should_match: 1,
            ...(query.kinds ? { filter: [{ terms: { kind: kinds } }] } : {}),
          },
        },
      }),
    );
    const candidates: ScoredCandidate[] = res.hits.hits.map((hit) => {
      const s = hit._source!;
      return {
        key: s.key,
        kind: s.kind,
        popularity: s.popularity ?? 0,
        badges: s.badges ?? [],
        deprecated: s.deprecated ?? false,
        lastUpdatedAt: s.lastUpdatedAt,
        cadenceHours: s.cadenceHours,
        textScore: hit._score ?? 0,
      };
    });
    return applyRankingPriors(candidates, query.limit, query.now);
  }

  private invalidateVocabulary(): void {
    this.generation++;
    this.vocabularyCache = undefined;
  }

  async vocabulary(): Promise<Map<string, number>> {
    const cached = this.vocabularyCache;
    if (cached && cached.generation === this.generation && Date.now() - cached.at < VOCABULARY_TTL_MS) return cached.map;
    if (this.vocabularyInFlight?.generation === this.generation) return this.vocabularyInFlight.promise;
    const generation = this.generation;
    const promise = this.readVocabulary().then((map) => {
      if (this.generation === generation) this.vocabularyCache = { map, at: Date.now(), generation };
      return map;
    });
    this.vocabularyInFlight = { promise, generation };
    try {
      return await promise;
    } finally {
      if (this.vocabularyInFlight?.promise === promise) this.vocabularyInFlight = undefined;
    }
  }

  private async readVocabulary(): Promise<Map<string, number>> {
    const started = Date.now();
    const vocabulary = new Map<string, number>();
    let after: Record<string, string | number | null> | undefined;
    for (;;) {
      const res = await this.call(() =>
        this.client.search({
          index: this.aliases,
          size: 0,
          track_total_hits: false,
          aggs: { vocabulary: { composite: { size: VOCABULARY_PAGE, sources: [{ term: { terms: { field: 'terms' } } }], ...(after ? { after } : {}) } } },
        }),
      );
      const agg = res.aggregations?.vocabulary as estypes.AggregationsCompositeAggregate | undefined;
      const buckets = (agg?.buckets ?? []) as estypes.AggregationsCompositeBucket[];
      for (const b of buckets) vocabulary.set(String(b.key.term), b.doc_count);
      if (buckets.length < VOCABULARY_PAGE || !agg?.after_key) break;
      after = agg.after_key as Record<string, string | number | null>;
    }
    this.log.debug({ terms: vocabulary.size, ms: Date.now() - started }, 'search vocabulary read');
    return vocabulary;
  }

  async count(): Promise<number> {
    const res = await this.call(() => this.client.count({ index: this.aliases }));
    return res.count;
  }

  /** The lowest revision recorded in the mappings' `_meta` of the indexes behind the aliases (0 where none is). */
  async analysisRevision(): Promise<number> {
    const res = await this.call(() => this.client.indices.getMapping({ index: this.aliases }));
    const revisions = Object.values(res).map((m) => Number((m.mappings._meta as { analysis?: unknown } | undefined)?.analysis ?? 0) || 0);
    return revisions.length ? Math.min(...revisions) : ANALYSIS_REVISION;
  }
}
