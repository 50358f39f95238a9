import type { DashboardRecord, Table, TableRecord } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import type { SearchBulkWriter, SearchDocument, SearchIndex } from '../ports/search-index';
import type { VectorIndex, VectorSubject } from '../ports/vector-index';
import { dashboardPassage, passageHash, tablePassages, type SubjectPassage } from '../search/passages';
import { dashboardToSearchDocument, tableToSearchDocument } from '../search/document';

/** Where catalog metadata is published: the graph, the search index, and (with an embeddings server) the vectors. */
export interface Stores {
  graph: GraphStore;
  search: SearchIndex;
  /**
   * Vectors for retrieval by meaning. Publishing marks what it wrote as pending when its text changed;
   * `embedPending` (catalog/embed.ts) embeds it later, so a slow or absent embeddings server never holds a publish up.
   */
  vectors?: { index: VectorIndex; columns: boolean };
}

/**
 * Re-reads tables and dashboards from the graph and writes their search documents, so the index shows what the
 * graph holds now (human edits included), and marks for embedding those whose text is not their stored vector's.
 * Removed entities leave the index and the vectors. `written`, the tables as `upsertTables` just returned them,
 * stands in for reading `keys.tables` back.
 */
export async function refreshSearch(keys: { tables?: string[]; dashboards?: string[] }, stores: Stores, written?: Table[]): Promise<void> {
  const docs: SearchDocument[] = [];
  const gone: string[] = [];
  const toEmbed: SubjectPassage[] = [];
  const vectors = stores.vectors;
  if (keys.tables?.length) {
    for (const t of written ?? (await stores.graph.getTables(keys.tables))) {
      if (t.removedAt) gone.push(t.key);
      else {
        docs.push(tableToSearchDocument(t));
        if (vectors) toEmbed.push(...tablePassages(t, vectors.columns));
      }
    }
  }
  if (keys.dashboards?.length) {
    for (const d of await stores.graph.getDashboards(keys.dashboards)) {
      if (d.removedAt) gone.push(d.key);
      else {
        docs.push(dashboardToSearchDocument(d));
        if (vectors) toEmbed.push({ subject: { key: d.key, kind: 'dashboard' }, text: dashboardPassage(d) });
      }
    }
  }
  if (docs.length) await stores.search.upsert(docs);
  if (gone.length) await stores.search.remove(gone);
  if (vectors && toEmbed.length) {
    const changed = await changedSubjects(toEmbed, vectors.index);
    if (changed.length) await vectors.index.markPending(changed);
  }
  if (vectors && gone.length) await vectors.index.remove(gone);
}

/**
 * The subjects whose passage is not the text of their stored vector (or that have none), and those still pending:
 * marking a pending one again makes an embedding of its older text, in flight now, leave it pending. A crawl that
 * changed nothing marks nothing, and so rewrites no vector: on Elasticsearch, marking a vector's document rewrites
 * it, vector and all, into the kNN graph.
 */
async function changedSubjects(passages: SubjectPassage[], index: VectorIndex): Promise<VectorSubject[]> {
  const stored = await index.states(passages.map((p) => p.subject.key));
  return passages
    .filter((p) => {
      const state = stored.get(p.subject.key);
      return !state || state.pending || state.textHash !== passageHash(p.text);
    })
    .map((p) => p.subject);
}

/** Writes source records to the graph, then their search documents: the last step of every ingestion. */
export async function publishRecords(records: { tables?: TableRecord[]; dashboards?: DashboardRecord[] }, stores: Stores): Promise<void> {
  const written = records.tables?.length ? await stores.graph.upsertTables(records.tables) : undefined;
  if (records.dashboards?.length) await stores.graph.upsertDashboards(records.dashboards);
  await refreshSearch({ tables: records.tables?.map((t) => t.key), dashboards: records.dashboards?.map((d) => d.key) }, stores, written);
}

/**
 * Publishes tables batch by batch as `publishRecords` does, with each batch's search write (and embedding marks)
 * overlapping the next batch's graph write: graph writes run one after another, search writes one after another,
 * each after its own batch's graph write. `onPublished` is told of each batch once it is in both stores. The
 * first failure stops it: nothing more starts, what is in flight settles, and the failure is thrown.
 */
export async function publishTableBatches(batches: TableRecord[][], stores: Stores, onPublished?: (tables: number) => void): Promise<void> {
  let searchWrites: Promise<void> = Promise.resolve();
  let searchFailed = false;
  for (const batch of batches) {
    if (searchFailed) break;
    let written: Table[];
    try {
      written = await stores.graph.upsertTables(batch);
    } catch (e) {
      await searchWrites.catch(() => undefined);
      throw e;
    }
    searchWrites = searchWrites.then(async () => {
      await refreshSearch({ tables: batch.map((t) => t.key) }, stores, written);
      onPublished?.(batch.length);
    });
    // handled here so a failure while the next graph write runs is not an unhandled rejection; awaited below
    searchWrites.catch(() => {
      searchFailed = true;
    });
  }
  await searchWrites;
}

/**
 * `publishTableBatches` for a large load: with a search index that has a bulk writer, the search writes go through
 * it and become visible together when the last batch is in (also when a batch fails: what was written is then
 * visible, and the crawl's pending-search record catches up the rest); otherwise the same as `publishTableBatches`.
 */
export async function bulkPublishTableBatches(batches: TableRecord[][], stores: Stores, onPublished?: (tables: number) => void): Promise<void> {
  const writer = await stores.search.bulkWriter?.();
  if (!writer) return publishTableBatches(batches, stores, onPublished);
  try {
    await publishTableBatches(batches, { ...stores, search: searchWritingThrough(stores.search, writer) }, onPublished);
  } catch (e) {
    await writer.finish().catch(() => undefined);
    throw e;
  }
  await writer.finish();
}

/** `search` with its writes sent through `writer` instead. */
function searchWritingThrough(search: SearchIndex, writer: SearchBulkWriter): SearchIndex {
  return {
    init: () => search.init(),
    close: () => search.close(),
    upsert: (docs) => writer.upsert(docs),
    remove: (keys) => writer.remove(keys),
    reindex: (docs) => search.reindex(docs),
    ...(search.analysisRevision ? { analysisRevision: () => search.analysisRevision!() } : {}),
    search: (query) => search.search(query),
    vocabulary: () => search.vocabulary(),
    count: () => search.count(),
  };
}

/** Rebuilds the whole search index from the graph and swaps it in atomically. */
export async function rebuildSearch(stores: Pick<Stores, 'graph' | 'search'>, batchSize = 1000): Promise<void> {
  const { graph } = stores;
  async function* batches(): AsyncIterable<SearchDocument[]> {
    const tableKeys = await graph.listTableKeys();
    for (let i = 0; i < tableKeys.length; i += batchSize) {
      yield (await graph.getTables(tableKeys.slice(i, i + batchSize))).map(tableToSearchDocument);
    }
    const dashboardKeys = await graph.listDashboardKeys();
    for (let i = 0; i < dashboardKeys.length; i += batchSize) {
      yield (await graph.getDashboards(dashboardKeys.slice(i, i + batchSize))).map(dashboardToSearchDocument);
    }
  }
  await stores.search.reindex(batches());
}

