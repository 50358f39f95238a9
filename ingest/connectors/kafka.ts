import { ConfigResourceTypes, Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';
import type { Logger } from '../../src/log/logger';
import { redactSecrets } from '../../src/log/redact';
import { PermanentSourceError, TransientSourceError, type SourceError } from '../errors';
import type { TableFilterFn } from '../patterns';
import type { Connector, ExtractContext, ExtractedItem } from '../source';
import { SHOWN_CONFIGS, TOPIC_SCHEMA, internalTopic, topicRecord, validTopicName, type KafkaTarget, type TopicFacts } from './kafka-map';
import { schemaColumns, type SchemaColumn } from './schema-columns';
import { RegistryUnavailableError, SchemaRegistryClient, valueSubject } from './schema-registry';

export interface KafkaConnectorOptions {
  sourceId: string;
  sourceName: string;
  target: KafkaTarget;
  /** The `{database}` part of keys (default `kafka`). */
  database?: string;
  /** The `{cluster}` part of keys (default: the source id). */
  cluster?: string;
  /** Over `topics.<topic>`. */
  filter: TableFilterFn;
  logger: Logger;
  /** Connect and request timeout (default 10 s); a crawl never waits longer on a broker that does not answer. */
  timeoutMs?: number;
  /** Where the topics' value schemas are read (subject `<topic>-value`); without it topics have no columns. */
  registry?: SchemaRegistryClient;
}

/** The latest value schema of a topic as last read, and the columns it gave. */
type KnownSchema = { subject: string; version: number; id: number; columns: SchemaColumn[] };

/**
 * What the connector remembers between crawls: Σ high watermarks per topic, to see writes, and each topic's value
 * schema as last read, so a crawl while the registry is down keeps the columns it knew instead of dropping them.
 */
type KafkaState = {
  endOffsets: Record<string, number>;
  schemas?: Record<string, KnownSchema>;
};

/** Schema Registry requests in flight at once. */
const REGISTRY_CONCURRENCY = 4;

/** Topics per DescribeConfigs / ListOffsets round. */
const BATCH = 200;

/**
 * Reads a Kafka cluster through its admin API (kafkajs): topics (internal `__*` ones left out), partition and replica
 * counts, retention and cleanup configs, retained messages, and the consumer groups with committed offsets on each
 * topic as its frequent readers. A topic whose end offsets moved since the last crawl gets a load at the crawl's time.
 * With a Schema Registry, each topic's columns come from the latest version of its value schema (subject
 * `<topic>-value`, TopicNameStrategy); a topic without one has no columns. A registry that cannot be reached does not
 * fail the crawl: one warning, and every topic keeps the columns of the last crawl that read them.
 * Only reads: it creates, alters and joins nothing.
 */
export class KafkaConnector implements Connector {
  private admin: Admin | undefined;

  constructor(private readonly options: KafkaConnectorOptions) {}

  private target(): string {
    return this.options.target.brokers.join(',');
  }

  private fail(e: unknown): never {
    throw classifyKafkaError(e, this.options.sourceId, this.target(), [this.options.target.sasl?.password]);
  }

  async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    const { target, filter } = this.options;
    const timeout = this.options.timeoutMs ?? 10_000;
    const kafka = new Kafka({
      clientId: `nansen-crawl-${this.options.sourceId}`,
      brokers: target.brokers,
      ssl: target.ssl,
      ...(target.sasl ? { sasl: { mechanism: target.sasl.mechanism, username: target.sasl.username, password: target.sasl.password } as SASLOptions } : {}),
      connectionTimeout: timeout,
      authenticationTimeout: timeout,
      requestTimeout: timeout,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2000 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    this.admin = admin;
    try {
      await admin.connect();
      const names = await admin.listTopics();
      let skipped = 0;
      const wanted = names.filter((n) => {
        if (internalTopic(n)) return false;
        if (!validTopicName(n)) {
          skipped++;
          return false;
        }
        return filter(TOPIC_SCHEMA, n);
      }).sort();
      yield { kind: 'total', tables: wanted.length };
      if (skipped) yield { kind: 'count', name: 'skipped_topics', n: skipped };

      const consumed = await this.groupOffsets(admin, new Set(wanted));
      const database = this.options.database ?? 'kafka';
      const cluster = this.options.cluster ?? this.options.sourceId;
      const previous = (context.state as KafkaState | undefined)?.endOffsets;
      const knownSchemas = (context.state as KafkaState | undefined)?.schemas ?? {};
      const endOffsets: Record<string, number> = {};
      const schemas: Record<string, KnownSchema> = {};
      const registry = { down: false, counts: new Map<string, number>() };
      const at = context.now.toISOString();
      for (let i = 0; i < wanted.length; i += BATCH) {
        if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
        const batch = wanted.slice(i, i + BATCH);
        const meta = await admin.fetchTopicMetadata({ topics: batch });
        const configs = await admin.describeConfigs({ resources: batch.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: SHOWN_CONFIGS })), includeSynonyms: false });
        const configOf = new Map(configs.resources.map((r) => [r.resourceName, Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue]))]));
        const offsets = await Promise.all(batch.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const));
        const offsetOf = new Map(offsets);
        const columnsOf = await this.valueSchemas(batch, knownSchemas, schemas, registry, context.signal);
        for (const m of meta.topics) {
          const parts = offsetOf.get(m.name) ?? [];
          const facts: TopicFacts = {
            name: m.name,
            partitions: m.partitions.length,
            replicationFactor: Math.max(0, ...m.partitions.map((p) => p.replicas.length)),
            configs: configOf.get(m.name) ?? {},
            messages: parts.reduce((s, p) => s + Math.max(0, Number(p.high) - Number(p.low)), 0),
            endOffsets: parts.reduce((s, p) => s + Number(p.high), 0),
            groups: [...(consumed.get(m.name) ?? new Map<string, number>())].map(([group, n]) => ({ group, consumed: n })).sort((a, b) => b.consumed - a.consumed || (a.group < b.group ? -1 : 1)),
          };
          endOffsets[m.name] = facts.endOffsets;
          const before = previous?.[m.name];
          const loaded = before !== undefined && facts.endOffsets !== before && facts.endOffsets > 0;
          const record = topicRecord(facts, { database, cluster, sourceName: this.options.sourceName, ...(loaded ? { updates: [at] } : {}) });
          yield { kind: 'table', record: { ...record, columns: columnsOf.get(m.name) ?? [] } };
        }
      }
      for (const [name, n] of registry.counts) yield { kind: 'count', name, n };
      const state: KafkaState = { endOffsets, ...(this.options.registry ? { schemas } : {}) };
      yield { kind: 'state', state };
      this.options.logger.debug({ source: this.options.sourceId, topics: wanted.length }, 'kafka extract done');
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * topic → columns from the latest value schema of each topic of a batch, and its schema as `schemas` will remember
   * it. Once the registry proves unavailable (down, timing out, refusing the credentials) it is asked nothing more
   * this crawl: that is warned once, and every topic keeps what `known` says (the last crawl's schema), so nothing
   * is marked removed. A subject that is not there is a topic without columns; one whose answer is unusable keeps
   * its known columns and is counted.
   */
  private async valueSchemas(
    topics: string[],
    known: Record<string, KnownSchema>,
    schemas: Record<string, KnownSchema>,
    registry: { down: boolean; counts: Map<string, number> },
    signal: AbortSignal | undefined,
  ): Promise<Map<string, SchemaColumn[]>> {
    const out = new Map<string, SchemaColumn[]>();
    const client = this.options.registry;
    if (!client) return out;
    const count = (name: string): void => void registry.counts.set(name, (registry.counts.get(name) ?? 0) + 1);
    const keep = (topic: string): void => {
      const k = known[topic];
      if (!k) return;
      schemas[topic] = k;
      out.set(topic, k.columns);
    };
    const log = this.options.logger;
    const one = async (topic: string): Promise<void> => {
      if (registry.down) return keep(topic);
      const subject = valueSubject(topic);
      try {
        const latest = await client.latest(subject, signal);
        if (!latest) return count('topics_without_schema');
        const mapped = schemaColumns(latest);
        if ('skipped' in mapped) {
          count('schemas_not_mapped');
          log.info({ source: this.options.sourceId, subject, schemaType: latest.schemaType, version: latest.version }, `schema not mapped to columns: ${mapped.skipped}`);
        } else count('topics_with_schema');
        schemas[topic] = { subject, version: latest.version, id: latest.id, columns: mapped.columns };
        out.set(topic, mapped.columns);
      } catch (e) {
        if (signal?.aborted) throw e;
        if (e instanceof RegistryUnavailableError) {
          if (!registry.down) {
            registry.down = true;
            count('schema_registry_unavailable');
            log.warn({ source: this.options.sourceId, registry: client.url, reason: e.reason, err: e.message }, 'schema registry unavailable: topics crawled without reading their schemas; each keeps the columns of the last crawl');
          }
          return keep(topic);
        }
        count('schema_errors');
        log.warn({ source: this.options.sourceId, subject, err: (e as Error).message }, 'value schema unusable; the topic keeps the columns of the last crawl');
        keep(topic);
      }
    };
    const queue = [...topics];
    await Promise.all(Array.from({ length: Math.min(REGISTRY_CONCURRENCY, queue.length) }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await one(t);
    }));
    return out;
  }

  /** topic → group → messages consumed (Σ committed offsets), over every consumer group of the cluster. */
  private async groupOffsets(admin: Admin, topics: Set<string>): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    const { groups } = await admin.listGroups();
    for (const g of groups) {
      if (g.protocolType && g.protocolType !== 'consumer') continue;
      for (const t of await admin.fetchOffsets({ groupId: g.groupId })) {
        if (!topics.has(t.topic)) continue;
        const n = t.partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
        let m = out.get(t.topic);
        if (!m) out.set(t.topic, (m = new Map()));
        m.set(g.groupId, n);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    const a = this.admin;
    this.admin = undefined;
    await a?.disconnect().catch(() => undefined);
  }
}

/** kafkajs errors, unwrapped from its retry wrapper, as permanent (credentials, bad host) or transient. */
export function classifyKafkaError(error: unknown, source: string, target: string, secrets: Array<string | undefined>): SourceError {
  if (error instanceof PermanentSourceError || error instanceof TransientSourceError) return error;
  const chain: Array<{ name?: string; message?: string; type?: string; code?: string }> = [];
  let e: unknown = error;
  for (let i = 0; e && i < 5; i++) {
    chain.push(e as { name?: string });
    const x = e as { originalError?: unknown; cause?: unknown };
    e = x.originalError ?? x.cause;
  }
  const detail = redactSecrets(chain.map((c) => c.message).filter(Boolean).join(': ') || String(error), secrets);
  const where = `source ${source} (kafka://${target})`;
  const has = (f: (c: (typeof chain)[number]) => boolean): boolean => chain.some(f);
  if (has((c) => c.name === 'KafkaJSSASLAuthenticationError' || c.type === 'SASL_AUTHENTICATION_FAILED' || /SASL .*authentication failed/i.test(c.message ?? ''))) {
    return new PermanentSourceError(source, 'bad_credentials', `${where}: authentication failed (check the user and password in the URL's environment variable): ${detail}`);
  }
  if (has((c) => c.type === 'TOPIC_AUTHORIZATION_FAILED' || c.type === 'CLUSTER_AUTHORIZATION_FAILED' || c.type === 'GROUP_AUTHORIZATION_FAILED')) {
    return new PermanentSourceError(source, 'insufficient_privilege', `${where}: the user lacks a privilege the crawl needs (Describe and DescribeConfigs on topics, Describe on groups): ${detail}`);
  }
  if (has((c) => c.code === 'ENOTFOUND' || /ENOTFOUND/.test(c.message ?? ''))) return new PermanentSourceError(source, 'bad_config', `${where}: unknown host: ${detail}`);
  if (has((c) => c.name === 'KafkaJSRequestTimeoutError' || /timed? ?out/i.test(c.message ?? ''))) return new TransientSourceError(source, 'timeout', `${where}: timed out: ${detail}`);
  if (has((c) => c.name === 'KafkaJSConnectionError' || /ECONNREFUSED|ECONNRESET|Connection error|closed/i.test(c.message ?? ''))) {
    return new TransientSourceError(source, 'unreachable', `${where}: unreachable: ${detail}`);
  }
  return new TransientSourceError(source, 'failed', `${where}: ${detail}`);
}
