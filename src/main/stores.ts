import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisAlertStore } from '../adapters/redis/redis-alert-store';
import { SqliteAlertStore } from '../adapters/embedded/sqlite-alert-store';
import type { AlertStore } from '../ports/alert-store';
import { SqliteGraphStore } from '../adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../adapters/embedded/sqlite-search-index';
import { Neo4jGraphStore } from '../adapters/neo4j/neo4j-graph-store';
import { ElasticsearchSearchIndex } from '../adapters/elasticsearch/elasticsearch-search-index';
import { ElasticsearchVectorIndex } from '../adapters/elasticsearch/elasticsearch-vector-index';
import { SqliteVectorIndex } from '../adapters/embedded/sqlite-vector-index';
import { OpenAiEmbedder } from '../adapters/http/openai-embedder';
import type { Embedder } from '../ports/embedder';
import type { VectorIndex } from '../ports/vector-index';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import type { Stores } from '../catalog/publish';
import { rebuildSearch } from '../catalog/publish';
import { ANALYSIS_REVISION } from '../text/analyze';
import { redactUrl } from '../log/redact';
import { connectRedis } from '../adapters/redis/connect';

export type Backend = Config['NANSEN_BACKEND'];

/** The embeddings server the configuration names, or undefined (lexical answers only). */
export function embedderFromConfig(config: Config): Embedder | undefined {
  if (!config.NANSEN_EMBEDDINGS_URL) return undefined;
  return new OpenAiEmbedder({
    url: config.NANSEN_EMBEDDINGS_URL,
    model: config.NANSEN_EMBEDDINGS_MODEL,
    ...(config.NANSEN_EMBEDDINGS_API_KEY ? { apiKey: config.NANSEN_EMBEDDINGS_API_KEY } : {}),
    queryPrefix: config.NANSEN_EMBEDDINGS_QUERY_PREFIX,
    passagePrefix: config.NANSEN_EMBEDDINGS_PASSAGE_PREFIX,
    sendInputType: config.NANSEN_EMBEDDINGS_INPUT_TYPE === 'on',
    batchSize: config.NANSEN_EMBEDDINGS_BATCH,
    requestTimeoutMs: config.NANSEN_EMBEDDINGS_TIMEOUT_MS,
  });
}

/** Everything of the configuration beside the model's name that shapes a vector: the server, and how a role reaches the model. */
export function embeddingRequestShape(config: Config): string {
  return JSON.stringify({
    url: config.NANSEN_EMBEDDINGS_URL ?? '',
    inputType: config.NANSEN_EMBEDDINGS_INPUT_TYPE,
    queryPrefix: config.NANSEN_EMBEDDINGS_QUERY_PREFIX,
    passagePrefix: config.NANSEN_EMBEDDINGS_PASSAGE_PREFIX,
  });
}

/** Open stores, with one call to close them all; `vectors` and `embedder` only with an embeddings server. */
export interface OpenStores extends Stores {
  backend: Backend;
  embedder?: Embedder;
  close(): Promise<void>;
}

/**
 * A search index analysed under an older revision of the text analysis: the embedded one, a file of this machine,
 * is rebuilt from the graph at once (its rebuild keeps what other processes write meanwhile); an Elasticsearch
 * index, shared by every replica, is left to one `nansen reindex`, and each process says so in a warning.
 */
async function maintainSearchAnalysis(backend: Backend, stores: Pick<Stores, 'graph' | 'search'>, logger: Logger): Promise<void> {
  const revision = await stores.search.analysisRevision?.();
  if (revision === undefined || revision === ANALYSIS_REVISION) return;
  if (backend === 'embedded') {
    logger.warn({ from: revision, to: ANALYSIS_REVISION }, 'search index was analysed under an older revision; rebuilding it from the graph');
    await rebuildSearch(stores);
  } else {
    logger.warn({ from: revision, to: ANALYSIS_REVISION }, 'search index was analysed under an older revision; run `nansen reindex` once to rebuild it (answers meanwhile miss a few words)');
  }
}

/** How a process uses the stores it opens. */
export interface OpenStoresOptions {
  /**
   * A read view for a helper thread of a process that opened the stores itself: it leaves maintenance, such as
   * rebuilding a search index analysed under an older revision, to that process.
   */
  readView?: boolean;
}

/**
 * Builds and initialises the graph store and search index the configuration names. The only place adapters are
 * chosen; everything else receives `Stores`. A search index analysed under another revision of the text analysis
 * is rebuilt (embedded) or reported (neo4j-es) before the stores are handed out, unless this is a read view.
 */
export async function openStores(config: Config, logger: Logger, backend: Backend = config.NANSEN_BACKEND, options: OpenStoresOptions = {}): Promise<OpenStores> {
  const graph =
    backend === 'embedded'
      ? new SqliteGraphStore({ path: join(config.NANSEN_DATA_DIR, 'graph.sqlite') })
      : new Neo4jGraphStore({ url: config.NEO4J_URL, username: config.NEO4J_USER, password: config.NEO4J_PASSWORD, keyspace: config.NEO4J_KEYSPACE, logger });
  const search =
    backend === 'embedded'
      ? new SqliteSearchIndex({ path: join(config.NANSEN_DATA_DIR, 'search.sqlite') })
      : new ElasticsearchSearchIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX, logger });
  const embedder = embedderFromConfig(config);
  const vectors: VectorIndex | undefined = !embedder
    ? undefined
    : backend === 'embedded'
      ? new SqliteVectorIndex({ path: join(config.NANSEN_DATA_DIR, 'vectors.sqlite') })
      : new ElasticsearchVectorIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX, logger });
  await graph.init();
  try {
    await search.init();
    await vectors?.init();
    if (!options.readView) await maintainSearchAnalysis(backend, { graph, search }, logger);
  } catch (e) {
    await Promise.allSettled([graph.close(), search.close()]);
    throw e;
  }
  return {
    backend,
    graph,
    search,
    ...(vectors && embedder ? { vectors: { index: vectors, columns: config.NANSEN_EMBED_COLUMNS === 'on' }, embedder } : {}),
    async close() {
      await Promise.allSettled([graph.close(), search.close(), ...(vectors ? [vectors.close()] : [])]);
    },
  };
}

/** The key prefix of the shared alert store. */
export function alertStorePrefix(config: Pick<Config, 'NANSEN_REDIS_PREFIX'>): string {
  return `${config.NANSEN_REDIS_PREFIX}:alerts`;
}

/** The local alert store file. */
export function localAlertStorePath(config: Pick<Config, 'NANSEN_DATA_DIR'>): string {
  return join(config.NANSEN_DATA_DIR, 'alerts.sqlite');
}

/** An open schema-change alert store, with the call that closes it (and its Redis client). */
export interface OpenAlertStore {
  store: AlertStore;
  close(): Promise<void>;
}

/**
 * The alert store the bot and the worker share: Redis when configured (the default `nansen:alerts` key prefix, on a
 * client of our own so its connection errors are logged), else the SQLite file `alerts.sqlite` under NANSEN_DATA_DIR.
 * `describe` turns a connection error into what may be logged (the worker redacts secrets with it).
 */
export async function openAlertStore(config: Config, logger: Logger, describe: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err))): Promise<OpenAlertStore> {
  if (config.REDIS_URL) {
    const client = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    client.on('error', (err: Error) => logger.warn({ err: describe(err) }, 'alert store redis error'));
    const store = new RedisAlertStore({ client, prefix: alertStorePrefix(config) });
    const close = async (): Promise<void> => void (await client.quit().catch(() => client.disconnect()));
    try {
      await connectRedis(client, redactUrl(config.REDIS_URL));
      await store.init();
    } catch (err) {
      client.disconnect();
      throw err;
    }
    return { store, close };
  }
  const store = new SqliteAlertStore({ path: localAlertStorePath(config) });
  await store.init();
  return { store, close: () => store.close() };
}
