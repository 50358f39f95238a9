import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { serviceEnv } from '../../bench/service-env';
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store';
import { loadConfig } from '../../src/config/config';
import { main as cli } from '../../src/main/cli';
import { deletePrefix } from '../workers/support/redis';

/** A deployment of its own on the shared servers: Neo4j keyspace, Elasticsearch index prefix and Redis key prefix. */
export interface Deployment {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export function deployment(label: string, extra: Record<string, string> = {}): Deployment {
  const base = { ...serviceEnv(), ...process.env } as Record<string, string>;
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NANSEN_BACKEND: 'neo4j-es',
    NEO4J_URL: base.NEO4J_URL!,
    ELASTICSEARCH_URL: base.ELASTICSEARCH_URL!,
    REDIS_URL: base.REDIS_URL!,
    NEO4J_KEYSPACE: id,
    ELASTICSEARCH_INDEX_PREFIX: id.toLowerCase(),
    NANSEN_REDIS_PREFIX: id,
    ...extra,
  };
  return {
    env,
    async cleanup() {
      const config = loadConfig(env);
      const graph = new Neo4jGraphStore({ url: config.NEO4J_URL, keyspace: id });
      await graph.init().catch(() => undefined);
      await graph.clear().catch(() => undefined);
      await graph.close().catch(() => undefined);
      const res = await fetch(`${config.ELASTICSEARCH_URL}/_cat/indices/${env.ELASTICSEARCH_INDEX_PREFIX}-*?format=json&h=index`).catch(() => undefined);
      const names = res?.ok ? ((await res.json()) as Array<{ index: string }>).map((i) => i.index) : [];
      if (names.length) await fetch(`${config.ELASTICSEARCH_URL}/${names.join(',')}`, { method: 'DELETE' });
      await deletePrefix(env.REDIS_URL!, id);
    },
  };
}

/** Runs the CLI in this process with this environment; its exit code and output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write: (chunk: Buffer, _e, cb) => (f(chunk.toString()), cb()) });
  const code = await cli(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)), env });
  return { code, out, err };
}
