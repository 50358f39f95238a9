import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { formEncode, postSigned, slackSignature } from '../../tools/fake-slack/payloads';
import { type Harness, SECRET, startHarness } from './harness';

/** Slack's published example ("Verifying requests from Slack"). */
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('request signing: the published test vector', () => {
  it('computes Slack’s expected signature', () => {
    expect(slackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('is accepted by Bolt’s verification at the vector’s own time, and rejected five minutes later or when altered', () => {
    const at = (s: number) => s * 1000;
    const headers = { 'x-slack-signature': VECTOR.signature, 'x-slack-request-timestamp': VECTOR.timestamp };
    expect(() => verifySlackRequest({ signingSecret: VECTOR.secret, body: VECTOR.body, headers, nowMilliseconds: at(VECTOR.timestamp + 10) })).not.toThrow();
    expect(isValidSlackRequest({ signingSecret: VECTOR.secret, body: VECTOR.body, headers, nowMilliseconds: at(VECTOR.timestamp + 6 * 60) })).toBe(false);
    expect(isValidSlackRequest({ signingSecret: VECTOR.secret, body: `${VECTOR.body}x`, headers, nowMilliseconds: at(VECTOR.timestamp + 10) })).toBe(false);
    expect(isValidSlackRequest({ signingSecret: 'another-secret', body: VECTOR.body, headers, nowMilliseconds: at(VECTOR.timestamp + 10) })).toBe(false);
  });
});

describe('request signing: the running Bolt app (HTTP mode)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const body = () => formEncode({ command: '/data', text: 'help', user_id: 'U0ALICE001', channel_id: 'C0GENERAL1', team_id: 'T0FAKETEAM', response_url: h.fake.responseUrl(), trigger_id: h.fake.issueTriggerId() });

  it('accepts a correctly signed request', async () => {
    const responseUrl = h.fake.responseUrl();
    const r = await postSigned(h.url, SECRET, formEncode({ command: '/data', text: 'help', user_id: 'U0ALICE001', channel_id: 'C0GENERAL1', team_id: 'T0FAKETEAM', response_url: responseUrl, trigger_id: h.fake.issueTriggerId() }));
    expect(r.status).toBe(200);
    const [reply] = await h.responses(responseUrl);
    expect(JSON.stringify(reply!.args)).toContain('/data <words>');
  });

  it('rejects a bad signature with 401 and does nothing', async () => {
    const before = h.fake.calls.length;
    const r = await postSigned(h.url, SECRET, body(), { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' });
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 100));
    expect(h.fake.calls.length).toBe(before);
  });

  it('rejects a body signed with another secret', async () => {
    const b = body();
    const ts = Math.floor(Date.now() / 1000);
    const r = await postSigned(h.url, SECRET, b, { timestamp: ts, signature: slackSignature('not-the-secret', ts, b) });
    expect(r.status).toBe(401);
  });

  it('rejects a stale timestamp (more than 5 minutes old) even when the signature matches it', async () => {
    const ts = Math.floor(Date.now() / 1000) - 6 * 60;
    const b = body();
    const r = await postSigned(h.url, SECRET, b, { timestamp: ts, signature: slackSignature(SECRET, ts, b) });
    expect(r.status).toBe(401);
  });

  it.each([6 * 60, -6 * 60, 3600])('rejects a timestamp %i s away, in the future as in the past (issue 11 item 7)', async (ahead) => {
    const before = h.fake.calls.length;
    const ts = Math.floor(Date.now() / 1000) + ahead;
    const b = body();
    const r = await postSigned(h.url, SECRET, b, { timestamp: ts, signature: slackSignature(SECRET, ts, b) });
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 100));
    expect(h.fake.calls.length).toBe(before);
  });

  it('accepts a timestamp 4 minutes ahead (a clock slightly fast)', async () => {
    const ts = Math.floor(Date.now() / 1000) + 4 * 60;
    const b = body();
    const r = await postSigned(h.url, SECRET, b, { timestamp: ts, signature: slackSignature(SECRET, ts, b) });
    expect(r.status).toBe(200);
  });

  it('rejects a request without signature headers', async () => {
    const r = await postSigned(h.url, SECRET, body(), { signature: '' });
    expect(r.status).toBe(401);
  });
});

describe('request signing: the vector through the running app with the clock at the vector’s time', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    jest.useRealTimers();
    await h.close();
  });

  it('passes verification (the unknown /webhook-collect command gets a polite pointer, not a 401)', async () => {
    const secretApp = await startVectorApp();
    try {
      jest.useFakeTimers({ now: VECTOR.timestamp * 1000 + 5000, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
      const r = await postSigned(secretApp.url, VECTOR.secret, VECTOR.body, { timestamp: VECTOR.timestamp, signature: VECTOR.signature });
      jest.useRealTimers();
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.json)).toContain('/webhook-collect');
      const stale = await postSigned(secretApp.url, VECTOR.secret, VECTOR.body, { timestamp: VECTOR.timestamp, signature: VECTOR.signature });
      expect(stale.status).toBe(401);
    } finally {
      jest.useRealTimers();
      await secretApp.close();
    }
  });

  /** A second app whose signing secret is the vector's. */
  async function startVectorApp(): Promise<{ url: string; close(): Promise<void> }> {
    const { createSlackApp } = await import('../../src/slack/app');
    const app = createSlackApp({ botToken: h.fake.options.botToken, apiUrl: h.fake.apiUrl, signingSecret: VECTOR.secret, port: 0, host: '127.0.0.1' }, h.deps);
    const { port } = await app.start();
    return { url: `http://127.0.0.1:${port}/slack/events`, close: () => app.stop() };
  }
});
