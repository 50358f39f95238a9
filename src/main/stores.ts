import { join } from 'node:path';
import { SqliteGraphStore } from '../adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../adapters/embedded/sqlite-search-index';
import { Neo4jGraphStore } from '../adapters/neo4j/neo4j-graph-store';
import { ElasticsearchSearchIndex } from '../adapters/elasticsearch/elasticsearch-search-index';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import type { Stores } from '../catalog/publish';

export type Backend = Config['NANSEN_BACKEND'];

/** Open stores, with one call to close them both. */
export interface OpenStores extends Stores {
  backend: Backend;
  close(): Promise<void>;
}

/**
 * Builds and initialises the graph store and search index the configuration names. The only place adapters are
 * chosen; everything else receives `Stores`.
 */
export async function openStores(config: Config, logger: Logger, backend: Backend = config.NANSEN_BACKEND): Promise<OpenStores> {
  const graph =
    backend === 'embedded'
      ? new SqliteGraphStore({ path: join(config.NANSEN_DATA_DIR, 'graph.sqlite') })
      : new Neo4jGraphStore({ url: config.NEO4J_URL, username: config.NEO4J_USER, password: config.NEO4J_PASSWORD, keyspace: config.NEO4J_KEYSPACE, logger });
  const search =
    backend === 'embedded'
      ? new SqliteSearchIndex({ path: join(config.NANSEN_DATA_DIR, 'search.sqlite') })
      : new ElasticsearchSearchIndex({ node: config.ELASTICSEARCH_URL, indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX, logger });
  await graph.init();
  try {
    await search.init();
  } catch (e) {
    await graph.close();
    throw e;
  }
  return {
    backend,
    graph,
    search,
    async close() {
      await Promise.allSettled([graph.close(), search.close()]);
    },
  };
}
