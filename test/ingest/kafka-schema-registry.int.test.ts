import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { serviceEnv } from '../../bench/service-env';
import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import { PermanentSourceError } from '../../ingest/errors';
import type { SourceConfig } from '../../ingest/source';
import { closedPort, embeddedStores } from './support/servers';

// A real Schema Registry (Apicurio Registry 2.6, its Confluent-compatible API) next to the real KRaft broker, both
// started by scripts/services.sh (`schemareg`, `kafka`).
const env = { ...serviceEnv(), ...process.env };
const KAFKA_URL = env.KAFKA_URL ?? 'kafka://127.0.0.1:9492';
const REGISTRY_URL = env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8092/apis/ccompat/v7';

async function register(subject: string, schema: object | string, schemaType?: 'JSON' | 'PROTOBUF'): Promise<number> {
  const res = await fetch(`${REGISTRY_URL}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: typeof schema === 'string' ? schema : JSON.stringify(schema), ...(schemaType ? { schemaType } : {}) }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { id?: number };
  if (res.status !== 200 || typeof body.id !== 'number') throw new Error(`register ${subject}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

describe('Kafka connector with a Schema Registry (real registry, real broker)', () => {
  const p = `nt_${randomBytes(4).toString('hex')}`;
  const orders = `${p}.orders`;
  const clicks = `${p}.clicks`;
  const bare = `${p}.bare`;
  const proto = `${p}.proto`;
  const kafka = new Kafka({ clientId: 'nansen-test', brokers: [KAFKA_URL.replace('kafka://', '')], logLevel: logLevel.NOTHING });
  let admin: Admin;
  let stores: Awaited<ReturnType<typeof embeddedStores>>;
  let source: SourceConfig;
  let deps: CrawlDeps;
  const logs: Array<{ level: number; msg: string; reason?: string; registry?: string }> = [];
  const key = (t: string): string => `kafka://events.topics/${t}`;
  const columns = async (t: string): Promise<string[]> =>
    (await stores.stores.graph.getTable(key(t)))!.columns.map((c) => `${c.name}: ${c.type}${c.nullable ? '?' : ''}${c.sourceDescription ? ` -- ${c.sourceDescription}` : ''}`);

  const ordersV1 = {
    type: 'record',
    name: 'Order',
    namespace: 'shop',
    doc: 'an order as placed',
    fields: [
      { name: 'id', type: 'long', doc: 'order id' },
      { name: 'placed_at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'when it was placed' },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
      { name: 'coupon', type: ['null', 'string'], default: null },
      { name: 'ship_to', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] } },
      { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }] } } },
    ],
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [orders, clicks, bare, proto].map((topic) => ({ topic, numPartitions: 1 })) });
    await register(`${orders}-value`, ordersV1);
    await register(`${clicks}-value`, { type: 'object', required: ['url'], properties: { url: { type: 'string', description: 'page URL' }, at: { type: 'string', format: 'date-time' } } }, 'JSON');
    await register(`${proto}-value`, 'syntax = "proto3";\nmessage Ping { int32 n = 1; }\n', 'PROTOBUF');
    stores = await embeddedStores();
    source = { id: 'events', type: 'kafka', urlEnv: 'TEST_KAFKA_URL', include: [`topics.${p}.*`], schemaRegistry: { urlEnv: 'TEST_SR_URL' } };
    const logger = pino({ level: 'info' }, { write: (s: string) => void logs.push(JSON.parse(s) as (typeof logs)[number]) });
    deps = { stores: stores.stores, logger, state: stores.crawlStore, status: stores.crawlStore, env: { TEST_KAFKA_URL: KAFKA_URL, TEST_SR_URL: REGISTRY_URL } };
  }, 60_000);

  afterAll(async () => {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${p}.`));
    if (mine.length) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
    for (const t of [orders, clicks, proto]) await fetch(`${REGISTRY_URL}/subjects/${t}-value`, { method: 'DELETE', signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    await stores?.close();
  });

  it("maps each topic's latest value schema to columns: Avro fields and JSON Schema properties with types and descriptions", async () => {
    const r = await crawlSource(source, deps);
    expect(r.tables).toBe(4);
    expect(await columns(orders)).toEqual([
      'id: long -- order id',
      'placed_at: timestamp-millis -- when it was placed',
      'amount: decimal(12,2)',
      'coupon: string?',
      'ship_to: record Address',
      'ship_to.city: string',
      'lines: array<record Line>',
      'lines[].sku: string',
    ]);
    expect(await columns(clicks)).toEqual(['url: string -- page URL', 'at: string(date-time)?']);
    expect(await columns(bare)).toEqual([]); // no subject: a topic without columns
    expect(await columns(proto)).toEqual([]); // Protobuf: not mapped, and said so
    expect(r.counts).toMatchObject({ topics_with_schema: 2, topics_without_schema: 1, schemas_not_mapped: 1 });
    expect(logs.some((l) => /Protobuf schemas are not mapped/.test(l.msg))).toBe(true);
  }, 60_000);

  it('a new version with a field added and one removed becomes schema-change events', async () => {
    expect((await crawlSource(source, deps)).wrote).toBe(false);
    const v2 = { ...ordersV1, fields: [...ordersV1.fields.filter((f) => f.name !== 'coupon'), { name: 'channel', type: ['null', 'string'], default: null, doc: 'web or app' }] };
    await register(`${orders}-value`, v2);
    const r = await crawlSource(source, deps);
    expect(r.changes.map((c) => `${c.tableKey.split('/').pop()} ${c.kind} ${c.column} ${c.oldValue ?? c.newValue}`).sort()).toEqual([
      `${orders} column_added channel string`,
      `${orders} column_removed coupon string`,
    ]);
    expect(await columns(orders)).toContain('channel: string? -- web or app');
  }, 60_000);

  it('a registry that is down: the crawl succeeds, warns once, and every topic keeps its columns', async () => {
    const before = await columns(orders);
    logs.length = 0;
    const port = await closedPort();
    const down = { ...deps, env: { ...deps.env, TEST_SR_URL: `http://127.0.0.1:${port}/apis/ccompat/v7` } };
    const r = await crawlSource(source, down);
    expect(r.tables).toBe(4);
    expect(r.changes).toEqual([]);
    expect(r.wrote).toBe(false);
    expect(r.counts).toMatchObject({ schema_registry_unavailable: 1 });
    const warnings = logs.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: expect.stringMatching(/schema registry unavailable/), reason: 'unreachable', registry: `http://127.0.0.1:${port}/apis/ccompat/v7` });
    expect(await columns(orders)).toEqual(before);
    // and the next crawl against the live registry still sees no change: the kept schemas were remembered
    const again = await crawlSource(source, deps);
    expect(again.changes).toEqual([]);
    expect(again.wrote).toBe(false);
  }, 60_000);

  it('a registry URL that is not set or not http(s) is a permanent config error; credentials in the URL never show', async () => {
    const unset = await crawlSource(source, { ...deps, env: { TEST_KAFKA_URL: KAFKA_URL } }, { dryRun: true }).catch((e: unknown) => e);
    expect(unset).toBeInstanceOf(PermanentSourceError);
    expect((unset as Error).message).toMatch(/TEST_SR_URL \(schemaRegistry.urlEnv\) is not set/);
    const bad = await crawlSource(source, { ...deps, env: { ...deps.env, TEST_SR_URL: 'ftp://h/x' } }, { dryRun: true }).catch((e: unknown) => e);
    expect((bad as PermanentSourceError).code).toBe('bad_config');
    logs.length = 0;
    const port = await closedPort();
    await crawlSource(source, { ...deps, env: { ...deps.env, TEST_SR_URL: `http://u:S3cret-Reg-Pw@127.0.0.1:${port}` } }, { dryRun: true });
    expect(JSON.stringify(logs)).not.toContain('S3cret-Reg-Pw');
    expect(logs.filter((l) => l.level === 40)).toHaveLength(1);
  }, 60_000);
});
