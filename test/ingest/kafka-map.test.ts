import { describeTopic, parseKafkaUrl, topicRecord, validTopicName } from '../../ingest/connectors/kafka-map';
import { parseSources } from '../../ingest/sources-file';

describe('kafka URLs', () => {
  it.each([
    ['kafka://127.0.0.1:9092', { brokers: ['127.0.0.1:9092'], ssl: false }],
    ['kafka://a.example:9092,b.example:9093/', { brokers: ['a.example:9092', 'b.example:9093'], ssl: false }],
    ['kafka://u:p%40ss@h:9094?sasl=scram-sha-512&ssl=true', { brokers: ['h:9094'], ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p@ss' } }],
    ['kafka://u:p@h:9094', { brokers: ['h:9094'], ssl: false, sasl: { mechanism: 'plain', username: 'u', password: 'p' } }],
  ])('%s parses', (url, want) => expect(parseKafkaUrl(url)).toEqual(want));

  it.each([
    ['postgres://h:1', /kafka:\/\//],
    ['kafka://h', /host:port/],
    ['kafka://h:1;rm -rf /', /host:port/],
    ['kafka://h:1?sasl=gssapi', /sasl must be/],
    ['kafka://h:1?sasl=plain', /user:password/],
    ['kafka://h:1?foo=1', /unknown URL parameter/],
  ])('%s is refused', (url, why) => expect((parseKafkaUrl(url) as { error: string }).error).toMatch(why));
});

describe('topics', () => {
  it.each([
    ['game.events-v1_2', true],
    ['.', false],
    ['..', false],
    ['', false],
    ['a/b', false],
    ["x'; DROP", false],
    ['a'.repeat(250), false],
    ['토픽', false],
  ])('%s valid: %s', (name, ok) => expect(validTopicName(name)).toBe(ok));

  it('describes partitions, replication, retention and cleanup', () => {
    expect(describeTopic({ partitions: 1, replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'retention.ms': '-1', 'retention.bytes': '1073741824' } }))
      .toBe('Kafka topic: 1 partition, replication factor 3, cleanup.policy compact, retention.ms -1 (forever), retention.bytes 1073741824.');
    expect(describeTopic({ partitions: 12, replicationFactor: 1, configs: { 'retention.ms': '7200000' } })).toBe('Kafka topic: 12 partitions, replication factor 1, retention.ms 7200000 (2 h).');
  });

  it('keys a topic kafka://{cluster}.topics/{topic}, groups as readers', () => {
    const r = topicRecord(
      { name: 'game.events', partitions: 2, replicationFactor: 1, configs: {}, messages: 5, endOffsets: 5, groups: [{ group: 'etl', consumed: 5 }, { group: 'idle', consumed: 0 }] },
      { database: 'kafka', cluster: 'prod', sourceName: 'kafka:prod' },
    );
    expect(r).toMatchObject({ key: 'kafka://prod.topics/game.events', schema: 'topics', name: 'game.events', readers: [{ user: 'etl', count: 5 }], rowCount: 5, columns: [] });
  });
});

describe('sources.yml', () => {
  it('takes a kafka source with urlEnv and refuses a URL in the file', () => {
    expect(parseSources('sources:\n  - id: events\n    type: kafka\n    urlEnv: KAFKA_URL\n    cluster: prod\n    include: ["topics.game.*"]\n', '/x/sources.yml')).toEqual([
      { id: 'events', type: 'kafka', urlEnv: 'KAFKA_URL', cluster: 'prod', include: ['topics.game.*'] },
    ]);
    expect(() => parseSources('sources:\n  - id: events\n    type: kafka\n    url: kafka://h:1\n', '/x/sources.yml')).toThrow(/never go in the file/);
    expect(() => parseSources('sources:\n  - id: events\n    type: kafka\n', '/x/sources.yml')).toThrow(/urlEnv/);
  });

  it('takes schemaRegistry.urlEnv on a kafka source only, and refuses a registry URL or credentials in the file', () => {
    const yml = (extra: string, type = 'kafka'): string => `sources:\n  - id: events\n    type: ${type}\n    urlEnv: KAFKA_URL\n${extra}`;
    expect(parseSources(yml('    schemaRegistry:\n      urlEnv: SCHEMA_REGISTRY_URL\n'), '/x/sources.yml')).toEqual([
      { id: 'events', type: 'kafka', urlEnv: 'KAFKA_URL', schemaRegistry: { urlEnv: 'SCHEMA_REGISTRY_URL' } },
    ]);
    expect(() => parseSources(yml('    schemaRegistry:\n      url: http://h:8081\n'), '/x/sources.yml')).toThrow(/sources\[0\]\.schemaRegistry\.url: connection details never go in the file/);
    expect(() => parseSources(yml('    schemaRegistry:\n      urlEnv: R\n      password: x\n'), '/x/sources.yml')).toThrow(/schemaRegistry\.password/);
    expect(() => parseSources(yml('    schemaRegistry:\n      urlEnv: R\n      username: u\n'), '/x/sources.yml')).toThrow(/schemaRegistry\.username/);
    expect(() => parseSources(yml('    schemaRegistry:\n      urlEnv: not a name\n'), '/x/sources.yml')).toThrow(/schemaRegistry\.urlEnv: must be an environment variable name/);
    expect(() => parseSources(yml('    schemaRegistry:\n      urlEnv: R\n      subjects: x\n'), '/x/sources.yml')).toThrow(/schemaRegistry/);
    expect(() => parseSources(yml('    schemaRegistry:\n      urlEnv: R\n', 'postgres'), '/x/sources.yml')).toThrow(/schemaRegistry/);
  });
});
