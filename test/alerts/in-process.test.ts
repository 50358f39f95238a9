import { createServer, type AddressInfo } from 'node:net';
import { SlackDeliveryError, SlackRateLimitedError } from '../../src/ports/slack-poster';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import type { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { silentLogger } from '../../src/log/logger';
import { InProcessAlertRunner } from '../../src/alerts/jobs/in-process';
import { FakeSlack } from '../../tools/fake-slack/server';
import { LATENCY, memoryAlertStore, REVENUE, sampleGraph, schemaChange } from './fixtures';

describe('WebClientPoster against the fake Slack API', () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await FakeSlack.start({ retryAfterSeconds: 2 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('posts with the delivery key in the metadata, and turns 429 into Retry-After', async () => {
    const poster = new WebClientPoster({ token: fake.options.botToken, apiUrl: fake.apiUrl });
    const msg = { channel: 'C1', text: 'hi', blocks: [], deliveryKey: 'k1' };
    const r = await poster.postMessage(msg);
    expect(r.channel).toBe('C1');
    expect(fake.callsTo('chat.postMessage')[0]!.args.metadata).toEqual({ event_type: 'nansen_schema_alert', event_payload: { delivery_key: 'k1' } });
    const err = await poster.postMessage(msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackRateLimitedError);
    expect((err as SlackRateLimitedError).retryAfterMs).toBe(2000);
  });

  it('calls a Slack error permanent or not, and an unreachable Slack transient and unsent', async () => {
    const poster = new WebClientPoster({ token: fake.options.botToken, apiUrl: fake.apiUrl });
    const bad = await poster.postMessage({ channel: '', text: 'x', blocks: [], deliveryKey: 'k' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'channel_not_found', permanent: true, maybeSent: false });
    const wrongToken = new WebClientPoster({ token: 'xoxb-wrong', apiUrl: fake.apiUrl });
    expect(await wrongToken.postMessage({ channel: 'C1', text: 'x', blocks: [], deliveryKey: 'k' }).catch((e: unknown) => e)).toMatchObject({ code: 'invalid_auth', permanent: true });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = new WebClientPoster({ token: 'xoxb-x', apiUrl: `http://127.0.0.1:${port}/api/`, timeoutMs: 2000 });
    const e = await down.postMessage({ channel: 'C1', text: 'x', blocks: [], deliveryKey: 'k' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SlackDeliveryError);
    expect(e).toMatchObject({ permanent: false });
    // Outside Jest the socket error survives in the cause chain and a refused connection counts as not sent; inside
    // Jest's sandbox, fetch's TypeError is from another realm and @slack/web-api keeps only its message.
    if ((e as SlackDeliveryError).code === 'ECONNREFUSED') expect(e).toMatchObject({ maybeSent: false });
    // the fake answers conversations.history: nothing with that key was posted
    expect(await poster.findPosted('C1', 'k1', new Date().toISOString())).toBeNull();
  });
});

describe('InProcessAlertRunner (no Redis)', () => {
  let graph: SqliteGraphStore;
  let store: SqliteAlertStore;
  let fake: FakeSlack;
  beforeEach(async () => {
    graph = await sampleGraph();
    store = (await memoryAlertStore()).store;
    fake = await FakeSlack.start();
  });
  afterEach(async () => {
    await fake.close();
    await store.close();
    await graph.close();
  });

  it('delivers a crawl’s alerts once per channel, spaced per channel, and not again', async () => {
    const now = new Date().toISOString();
    await store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: now });
    await store.subscribe({ channel: 'C2', pattern: 'billing.*', mode: 'live', createdAt: now });
    const runner = new InProcessAlertRunner({ store, graph, slack: new WebClientPoster({ token: fake.options.botToken, apiUrl: fake.apiUrl }), logger: silentLogger(), timeZone: 'Asia/Seoul', digestCron: false, limiter: new MemoryChannelRateLimiter() });
    const report = (crawlId: string) => ({ source: 'hive:gold', crawlId, finishedAt: new Date().toISOString(), changes: [schemaChange(LATENCY, 'table_removed', { crawlId }), schemaChange(REVENUE, 'column_added', { crawlId, column: 'c', newValue: 'int' })] });
    const first = report('r1');
    await runner.dispatch(first);
    await runner.dispatch(report('r2'));
    await runner.dispatch(first);
    await runner.idle();
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.status === 200);
    // C1 and C2 twice (two crawls), the owner of the removed table twice
    expect(posts.map((c) => c.args.channel).sort()).toEqual(['C1', 'C1', 'C2', 'C2', 'U01JIWOO01', 'U01JIWOO01']);
    const c1 = posts.filter((c) => c.args.channel === 'C1').map((c) => c.at);
    expect(c1[1]! - c1[0]!).toBeGreaterThanOrEqual(1000);
    await runner.close();
  });
});
