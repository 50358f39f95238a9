import { randomBytes } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { serviceEnv } from '../../bench/service-env';
import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import type { SourceConfig } from '../../ingest/source';
import { silentLogger } from '../../src/log/logger';
import { closedPort, embeddedStores } from './support/servers';

const env = { ...serviceEnv(), ...process.env };
const KAFKA_URL = env.KAFKA_URL ?? 'kafka://127.0.0.1:9492';
const KAFKA_SASL_URL = env.KAFKA_SASL_URL ?? 'kafka://nansen:nansen-kafka@127.0.0.1:9494?sasl=plain';
const broker = KAFKA_URL.replace('kafka://', '');

describe('Kafka connector (real broker, KRaft)', () => {
  const p = `nt_${randomBytes(4).toString('hex')}`;
  const events = `${p}.game.events`;
  const profiles = `${p}.profiles`;
  const kafka = new Kafka({ clientId: 'nansen-test', brokers: [broker], logLevel: logLevel.NOTHING });
  let admin: Admin;
  let stores: Awaited<ReturnType<typeof embeddedStores>>;
  let source: SourceConfig;
  let deps: CrawlDeps;
  const key = (t: string): string => `kafka://events.topics/${t}`;

  async function produce(topic: string, n: number): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await producer.disconnect();
  }

  async function consumeAll(topic: string, groupId: string, n: number): Promise<void> {
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({ autoCommitThreshold: 1, eachMessage: async () => { if (++seen === n) resolve(); } });
    });
    await consumer.disconnect();
  }

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: events, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '86400000' }] },
        { topic: profiles, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
    });
    await produce(events, 10);
    await consumeAll(events, `${p}-etl`, 10);
    stores = await embeddedStores();
    source = { id: 'events', type: 'kafka', urlEnv: 'TEST_KAFKA_URL', include: [`topics.${p}.*`] };
    deps = { stores: stores.stores, logger: silentLogger(), state: stores.crawlStore, status: stores.crawlStore, env: { TEST_KAFKA_URL: KAFKA_URL } };
  }, 60_000);

  afterAll(async () => {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${p}.`));
    if (mine.length) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.deleteGroups([`${p}-etl`]).catch(() => undefined);
    await admin.disconnect();
    await stores?.close();
  });

  it('maps topics to datasets: partitions, retention and cleanup, retained messages, consumer groups as readers', async () => {
    const r = await crawlSource(source, deps);
    expect(r.tables).toBe(2);
    const t = await stores.stores.graph.getTable(key(events));
    expect(t).toMatchObject({ database: 'kafka', cluster: 'events', schema: 'topics', name: events, source: 'kafka:events', rowCount: 10 });
    expect(t!.sourceDescription).toBe('Kafka topic: 3 partitions, replication factor 1, cleanup.policy delete, retention.ms 86400000 (1 d), retention.bytes -1 (no size limit), min.insync.replicas 1, max.message.bytes 1048588.');
    expect(t!.readers).toEqual([{ user: `${p}-etl`, count: 10 }]);
    expect(t!.sourceTags).toEqual(['kafka']);
    const c = await stores.stores.graph.getTable(key(profiles));
    expect(c!.sourceTags).toEqual(['kafka', 'compacted']);
    expect(c!.sourceDescription).toContain('cleanup.policy compact');
    expect(c!.readers).toEqual([]);
  }, 60_000);

  it('a no-change crawl writes nothing; more partitions, a retention change, a new topic and writes are seen', async () => {
    expect((await crawlSource(source, deps)).wrote).toBe(false);
    await admin.createPartitions({ topicPartitions: [{ topic: events, count: 6 }] });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: events, configEntries: [{ name: 'retention.ms', value: '604800000' }] }] });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${p}.matches`, numPartitions: 2 }] });
    await produce(profiles, 3);
    const r = await crawlSource(source, deps);
    const seen = r.changes.map((x) => `${x.tableKey.split('/').pop()} ${x.kind}`).sort();
    expect(seen).toEqual([`${events} description_changed`, `${p}.matches table_added`]);
    const d = r.changes.find((x) => x.kind === 'description_changed')!;
    expect(d.oldValue).toContain('3 partitions');
    expect(d.oldValue).toContain('retention.ms 86400000 (1 d)');
    expect(d.newValue).toContain('6 partitions');
    expect(d.newValue).toContain('retention.ms 604800000 (7 d)');
    const prof = await stores.stores.graph.getTable(key(profiles));
    expect(prof!.updates).toHaveLength(1);
    expect(prof!.rowCount).toBe(3);
  }, 60_000);

  it('a deleted topic is marked removed (the 5% guard stops it unless forced)', async () => {
    await admin.deleteTopics({ topics: [`${p}.matches`] });
    for (let i = 0; i < 50 && (await admin.listTopics()).includes(`${p}.matches`); i++) await new Promise((r) => setTimeout(r, 100));
    const refused = await crawlSource(source, deps);
    expect(refused.refused?.reason).toBe('too_many_removals');
    expect(await stores.stores.graph.getTable(key(`${p}.matches`))).toMatchObject({ name: `${p}.matches` });
    const r = await crawlSource(source, deps, { force: true });
    expect(r.changes.map((x) => `${x.tableKey.split('/').pop()} ${x.kind}`)).toEqual([`${p}.matches table_removed`]);
    expect((await stores.stores.graph.getTable(key(`${p}.matches`)))!.removedAt).toBeDefined();
  }, 60_000);

  it('a wrong SASL password is a permanent error that never shows the password; SASL with the right one works', async () => {
    const bad = KAFKA_SASL_URL.replace(/:([^:@/]+)@/, ':Wr0ng-Kafka-Pw@');
    const other = { ...source, id: 'events_sasl' };
    const err = await crawlSource(other, { ...deps, env: { TEST_KAFKA_URL: bad } }, { dryRun: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSourceError);
    expect((err as PermanentSourceError).code).toBe('bad_credentials');
    expect((err as Error).message).not.toContain('Wr0ng-Kafka-Pw');
    const ok = await crawlSource(other, { ...deps, env: { TEST_KAFKA_URL: KAFKA_SASL_URL } }, { dryRun: true });
    expect(ok.tables).toBe(2);
  }, 60_000);

  it('a broker that is down is a transient error; a malformed URL is a permanent one; nothing is written', async () => {
    const port = await closedPort();
    const before = await stores.stores.graph.getTable(key(events));
    const t0 = Date.now();
    const err = await crawlSource(source, { ...deps, env: { TEST_KAFKA_URL: `kafka://127.0.0.1:${port}` } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientSourceError);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const bad = await crawlSource(source, { ...deps, env: { TEST_KAFKA_URL: 'kafka://127.0.0.1:9092/x;rm -rf' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PermanentSourceError);
    expect((bad as PermanentSourceError).code).toBe('bad_config');
    expect(await stores.stores.graph.getTable(key(events))).toEqual(before);
  }, 60_000);
});
