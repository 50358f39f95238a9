import type { Logger } from '../../src/log/logger';
import { PermanentSourceError } from '../errors';
import { literalSchemas, tableFilter } from '../patterns';
import type { Connector, SourceConfig } from '../source';
import { sourceName } from '../source';
import { CatalogConnector } from './catalog';
import { DbtConnector } from './dbt';
import { HiveMetastoreConnector } from './hive-metastore';
import { KafkaConnector } from './kafka';
import { parseKafkaUrl } from './kafka-map';
import { parseRegistryUrl, SchemaRegistryClient } from './schema-registry';
import { MysqlConnector } from './mysql';
import { PostgresConnector } from './postgres';

export interface ConnectorDeps {
  logger: Logger;
  /** Where `urlEnv` is looked up (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

const SCHEMES: Record<'postgres' | 'mysql' | 'hive-metastore' | 'kafka', RegExp> = {
  kafka: /^kafka:\/\//,
  postgres: /^postgres(ql)?:\/\//,
  mysql: /^(mysql|mariadb):\/\//,
  'hive-metastore': /^(mysql|mariadb|postgres(ql)?):\/\//,
};

/** The connection URL of a database source, from the environment variable its config names. */
export function connectionUrl(source: SourceConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (!source.urlEnv) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: no urlEnv (the environment variable holding its connection URL)`);
  const url = env[source.urlEnv];
  if (!url) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: environment variable ${source.urlEnv} is not set`);
  const type = source.type as keyof typeof SCHEMES;
  if (!SCHEMES[type].test(url)) {
    throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: ${source.urlEnv} must hold a ${type === 'postgres' ? 'postgres://' : type === 'mysql' ? 'mysql://' : type === 'kafka' ? 'kafka://' : 'mysql:// or postgres://'} URL`);
  }
  if (type === 'kafka') return url;
  try {
    new URL(url);
  } catch {
    throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: ${source.urlEnv} does not hold a valid URL`);
  }
  return url;
}

/** The Schema Registry client of a kafka source, from the environment variable its `schemaRegistry.urlEnv` names. */
function registryClient(source: SourceConfig, urlEnv: string, env: NodeJS.ProcessEnv = process.env): SchemaRegistryClient {
  const url = env[urlEnv];
  if (!url) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: environment variable ${urlEnv} (schemaRegistry.urlEnv) is not set`);
  const target = parseRegistryUrl(url);
  if ('error' in target) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: ${urlEnv} (schemaRegistry.urlEnv) ${target.error}`);
  return new SchemaRegistryClient(target);
}

/** Builds the connector a source's type calls for; config problems are `PermanentSourceError`s. */
export function createConnector(source: SourceConfig, deps: ConnectorDeps): Connector {
  const filter = tableFilter(source.include, source.exclude);
  const common = { sourceId: source.id, sourceName: sourceName(source), filter };
  const keyParts = { ...(source.database ? { database: source.database } : {}), ...(source.cluster ? { cluster: source.cluster } : {}) };
  switch (source.type) {
    case 'postgres':
      return new PostgresConnector({ ...common, ...keyParts, url: connectionUrl(source, deps.env), schemas: literalSchemas(source.include), logger: deps.logger });
    case 'mysql':
      return new MysqlConnector({ ...common, ...keyParts, url: connectionUrl(source, deps.env), schemas: literalSchemas(source.include), logger: deps.logger });
    case 'hive-metastore':
      return new HiveMetastoreConnector({ ...common, ...keyParts, url: connectionUrl(source, deps.env), logger: deps.logger });
    case 'kafka': {
      const target = parseKafkaUrl(connectionUrl(source, deps.env));
      if ('error' in target) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: ${source.urlEnv} ${target.error}`);
      return new KafkaConnector({ ...common, ...keyParts, target, logger: deps.logger, ...(source.schemaRegistry ? { registry: registryClient(source, source.schemaRegistry.urlEnv, deps.env) } : {}) });
    }
    case 'dbt':
      if (!source.path) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: no path (the dbt target folder)`);
      return new DbtConnector({ ...common, ...keyParts, path: source.path });
    case 'catalog':
      if (!source.path) throw new PermanentSourceError(source.id, 'bad_config', `source ${source.id}: no path (the catalog file)`);
      return new CatalogConnector({ ...common, path: source.path });
    default: {
      const never: never = source.type;
      throw new PermanentSourceError(source.id, 'bad_config', `unknown source type ${String(never)}`);
    }
  }
}
