import { tableKey } from '../../src/domain/keys';
import type { ReadCount, TableRecord } from '../../src/domain/model';

/** The `{schema}` part of every topic's key: `kafka://{cluster}.topics/{topic}`. */
export const TOPIC_SCHEMA = 'topics';

/** Apache Kafka's own rule for topic names (`Topic.validate`): 1–249 of `[a-zA-Z0-9._-]`, not `.` or `..`. */
export function validTopicName(name: string): boolean {
  return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
}

/** Internal topics (`__consumer_offsets`, `__transaction_state`, ...) are the broker's, not data. */
export function internalTopic(name: string): boolean {
  return name.startsWith('__');
}

/** A broker connection as `urlEnv` holds it: `kafka://[user:password@]host:port[,host:port...][?sasl=plain|scram-sha-256|scram-sha-512&ssl=true]`. */
export interface KafkaTarget {
  brokers: string[];
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  ssl: boolean;
}

/** Parses a `kafka://` URL, or returns the reason it is not one. Pure. */
export function parseKafkaUrl(url: string): KafkaTarget | { error: string } {
  const m = /^kafka:\/\/(?:([^:@/]*):([^@/]*)@)?([^/?#]+)\/?(?:\?([^#]*))?$/.exec(url);
  if (!m) return { error: 'must hold a kafka://[user:password@]host:port[,host:port] URL' };
  const [, user, password, hosts, query] = m;
  const brokers = hosts!.split(',').map((h) => h.trim());
  for (const b of brokers) {
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) return { error: `broker "${b}" is not host:port` };
  }
  const params = new URLSearchParams(query ?? '');
  for (const k of params.keys()) if (k !== 'sasl' && k !== 'ssl') return { error: `unknown URL parameter "${k}" (sasl, ssl)` };
  const ssl = params.get('ssl') === 'true';
  const mech = params.get('sasl') ?? (user !== undefined ? 'plain' : undefined);
  if (mech === undefined) return { brokers, ssl };
  if (mech !== 'plain' && mech !== 'scram-sha-256' && mech !== 'scram-sha-512') return { error: `sasl must be plain, scram-sha-256 or scram-sha-512` };
  if (user === undefined) return { error: 'sasl needs user:password@ in the URL' };
  return { brokers, ssl, sasl: { mechanism: mech, username: decodeURIComponent(user), password: decodeURIComponent(password ?? '') } };
}

/** What the connector read about one topic. */
export interface TopicFacts {
  name: string;
  partitions: number;
  /** The largest replica count over the topic's partitions. */
  replicationFactor: number;
  /** The configs that say how long data lives and how it is cleaned up (`retention.ms`, `cleanup.policy`, ...). */
  configs: Record<string, string>;
  /** Messages retained: Σ (high watermark − low watermark) over partitions. */
  messages: number;
  /** Σ high watermarks: moves on every write, so a change between crawls is a load. */
  endOffsets: number;
  /** Consumer groups with committed offsets on the topic, and how many messages each has consumed (Σ committed offsets). */
  groups: Array<{ group: string; consumed: number }>;
}

/** The configs a topic's card shows, in this order. */
export const SHOWN_CONFIGS = ['cleanup.policy', 'retention.ms', 'retention.bytes', 'min.insync.replicas', 'max.message.bytes'];

function duration(ms: string): string {
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0) return 'forever';
  const units: Array<[number, string]> = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [u, name] of units) if (n >= u && n % u === 0) return `${n / u} ${name}`;
  return `${n} ms`;
}

/**
 * The topic's settings as one line, the source description of its card (Kafka topics have no description of their
 * own). A partition count, retention or cleanup change at the broker changes this line, so the crawl's diff records
 * it as a schema change (`description_changed`, old → new) that alerts announce. Pure.
 */
export function describeTopic(t: Pick<TopicFacts, 'partitions' | 'replicationFactor' | 'configs'>): string {
  const parts = [`Kafka topic: ${t.partitions} partition${t.partitions === 1 ? '' : 's'}`, `replication factor ${t.replicationFactor}`];
  const c = t.configs;
  if (c['cleanup.policy'] !== undefined) parts.push(`cleanup.policy ${c['cleanup.policy']}`);
  if (c['retention.ms'] !== undefined) parts.push(`retention.ms ${c['retention.ms']} (${duration(c['retention.ms'])})`);
  if (c['retention.bytes'] !== undefined) parts.push(`retention.bytes ${c['retention.bytes']}${Number(c['retention.bytes']) < 0 ? ' (no size limit)' : ''}`);
  for (const k of SHOWN_CONFIGS.slice(3)) if (c[k] !== undefined) parts.push(`${k} ${c[k]}`);
  return `${parts.join(', ')}.`;
}

/** A topic as a Nansen dataset: `kafka://{cluster}.topics/{topic}`, consumer groups as its frequent readers. Pure. */
export function topicRecord(t: TopicFacts, o: { database: string; cluster: string; sourceName: string; updates?: string[] }): TableRecord {
  const readers: ReadCount[] = t.groups.filter((g) => g.consumed > 0).map((g) => ({ user: g.group, count: g.consumed }));
  const tags = ['kafka', ...((t.configs['cleanup.policy'] ?? '').split(',').includes('compact') ? ['compacted'] : [])];
  return {
    key: tableKey({ database: o.database, cluster: o.cluster, schema: TOPIC_SCHEMA, name: t.name }),
    database: o.database,
    cluster: o.cluster,
    schema: TOPIC_SCHEMA,
    name: t.name,
    kind: 'table',
    description: describeTopic(t),
    tags,
    columns: [],
    readers,
    rowCount: t.messages,
    ...(o.updates?.length ? { updates: o.updates } : {}),
    source: o.sourceName,
  };
}
