import { LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { FakeSlack } from '../../tools/fake-slack/server';

const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (blocks: unknown[]) => ({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks });

async function slackError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as WebAPIPlatformError).data?.error ?? String(e);
  }
  return 'no error';
}

describe('the fake Slack Web API', () => {
  let fake: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    fake = await FakeSlack.start({ postMessageRate: false });
    client = new WebClient(fake.options.botToken, { slackApiUrl: fake.apiUrl, logger: quiet, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('records every call with its method, arguments and time, and answers like Slack', async () => {
    const before = Date.now();
    const r = await client.chat.postMessage({ channel: 'C1', text: 'hello', blocks: [section('hi')] as never });
    expect(r.ok).toBe(true);
    expect(r.ts).toMatch(/^\d+\.\d{6}$/);
    const call = fake.callsTo('chat.postMessage').pop()!;
    expect(call.args).toMatchObject({ channel: 'C1', text: 'hello', blocks: [section('hi')] });
    expect(call.at).toBeGreaterThanOrEqual(before);
    expect(call.token).toBe(fake.options.botToken);
  });

  it('refuses more than 50 blocks in a message and section text over 3000 characters (invalid_blocks)', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) as never }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: Array.from({ length: 50 }, () => section('x')) as never }))).toBe('no error');
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('x'.repeat(3001))] as never }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x', blocks: [section('x'.repeat(3001))] as never }))).toBe('invalid_blocks');
  });

  it('refuses more than 100 blocks in a modal or Home tab, and views over 250 kB (view_too_large)', async () => {
    expect(await slackError(client.views.open({ trigger_id: fake.issueTriggerId(), view: modal(Array.from({ length: 101 }, () => section('x'))) as never }))).toBe('invalid_arguments');
    expect(await slackError(client.views.open({ trigger_id: fake.issueTriggerId(), view: modal(Array.from({ length: 100 }, () => section('x'))) as never }))).toBe('no error');
    expect(await slackError(client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: Array.from({ length: 101 }, () => section('x')) } as never }))).toBe('invalid_arguments');
    const huge = Array.from({ length: 95 }, () => section('y'.repeat(2900)));
    expect(await slackError(client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: huge } as never }))).toBe('view_too_large');
  });

  it('expires trigger ids after 3 s and accepts each once', async () => {
    const stale = `9.${Date.now() - 3500}.abc`;
    expect(await slackError(client.views.open({ trigger_id: stale, view: modal([section('x')]) as never }))).toBe('expired_trigger_id');
    const t = fake.issueTriggerId();
    expect(await slackError(client.views.open({ trigger_id: t, view: modal([section('x')]) as never }))).toBe('no error');
    expect(await slackError(client.views.open({ trigger_id: t, view: modal([section('x')]) as never }))).toBe('trigger_exchanged');
    expect(await slackError(client.views.open({ trigger_id: 'nonsense', view: modal([section('x')]) as never }))).toBe('invalid_trigger_id');
  });

  it('checks tokens: none, wrong type, unknown', async () => {
    expect(await slackError(new WebClient(undefined, { slackApiUrl: fake.apiUrl, logger: quiet, retryConfig: { retries: 0 } }).auth.test())).toBe('not_authed');
    expect(await slackError(new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, logger: quiet, retryConfig: { retries: 0 } }).auth.test())).toBe('invalid_auth');
    expect(await slackError(new WebClient(fake.options.appToken, { slackApiUrl: fake.apiUrl, logger: quiet, retryConfig: { retries: 0 } }).chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('not_allowed_token_type');
    expect(await slackError(client.apiCall('no.such.method'))).toBe('unknown_method');
  });

  it('uploads a file with files.uploadV2 into a thread, and answers Slack\'s errors', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
    const r = await client.filesUploadV2({ channel_id: 'C0FILES01', thread_ts: '1700000000.000100', file: png, filename: 'x.png', initial_comment: 'the list' });
    expect(r.ok).toBe(true);
    const done = fake.callsTo('files.completeUploadExternal').pop()!;
    expect(done.args).toMatchObject({ channel_id: 'C0FILES01', thread_ts: '1700000000.000100', initial_comment: 'the list' });
    const id = (done.args.files as Array<{ id: string }>)[0]!.id;
    expect(fake.file(id)).toMatchObject({ filename: 'x.png', length: png.length, completed: true });
    expect(fake.file(id)!.bytes!.equals(png)).toBe(true);
    expect(fake.history('C0FILES01').pop()).toMatchObject({ thread_ts: '1700000000.000100', text: 'the list', files: [{ id, name: 'x.png' }] });

    fake.addChannel({ id: 'C0FILES02', isMember: false });
    expect(await slackError(client.filesUploadV2({ channel_id: 'C0FILES02', file: png, filename: 'x.png' }))).toBe('not_in_channel');
    fake.revokeScope('files:write');
    try {
      const err = await client.filesUploadV2({ channel_id: 'C0FILES01', file: png, filename: 'x.png' }).then(
        () => undefined,
        (e: WebAPIPlatformError) => e,
      );
      expect(err?.data).toMatchObject({ ok: false, error: 'missing_scope', needed: 'files:write' });
      expect(String((err?.data as { provided?: string } | undefined)?.provided)).not.toContain('files:write');
      expect((await client.chat.postMessage({ channel: 'C0FILES01', text: 'still fine' })).ok).toBe(true);
    } finally {
      fake.grantScope('files:write');
    }
  });

  it('users.info: declared people with their profile, user_not_found for anyone else, no email for bots', async () => {
    fake.addUser({ id: 'U0FAKEPAL1', name: 'pal', realName: 'Pal Kim', email: 'pal@example.com' });
    fake.addUser({ id: 'U0FAKEBOT1', name: 'bot', isBot: true, email: 'bot@example.com' });
    const r = (await client.users.info({ user: 'U0FAKEPAL1' })) as { user: { id: string; real_name: string; is_bot: boolean; deleted: boolean; profile: { email?: string; real_name: string } } };
    expect(r.user).toMatchObject({ id: 'U0FAKEPAL1', real_name: 'Pal Kim', is_bot: false, deleted: false, profile: { real_name: 'Pal Kim', email: 'pal@example.com' } });
    expect(((await client.users.info({ user: 'U0FAKEBOT1' })) as { user: { profile: { email?: string } } }).user.profile.email).toBeUndefined();
    expect(await slackError(client.users.info({ user: 'U0NOBODY99' }))).toBe('user_not_found');
  });

  it('refuses checkboxes and radio buttons with more than 10 options or initial options that are not options', async () => {
    const choice = (type: string, n: number, extra: Record<string, unknown> = {}) => modal([{ type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'L' }, element: { type, action_id: 'a', options: Array.from({ length: n }, (_, i) => ({ text: { type: 'plain_text', text: `o${i}` }, value: `v${i}` })), ...extra } }]);
    const open = (view: unknown) => slackError(client.views.open({ trigger_id: fake.issueTriggerId(), view: { ...(view as object), submit: { type: 'plain_text', text: 'OK' } } as never }));
    expect(await open(choice('checkboxes', 10, { initial_options: [{ text: { type: 'plain_text', text: 'o1' }, value: 'v1' }] }))).toBe('no error');
    expect(await open(choice('checkboxes', 11))).toBe('invalid_arguments');
    expect(await open(choice('radio_buttons', 11))).toBe('invalid_arguments');
    expect(await open(choice('checkboxes', 2, { initial_options: [{ text: { type: 'plain_text', text: 'x' }, value: 'elsewhere' }] }))).toBe('invalid_arguments');
    const users = (extra: Record<string, unknown>) => ({ ...modal([{ type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'L' }, element: { type: 'multi_users_select', action_id: 'a', ...extra } }]), submit: { type: 'plain_text', text: 'OK' } });
    expect(await open(users({ initial_users: ['U0A', 'W0B'], max_selected_items: 2 }))).toBe('no error');
    expect(await open(users({ initial_users: ['U0A', 'U0B', 'U0C'], max_selected_items: 2 }))).toBe('invalid_arguments');
    expect(await open(users({ initial_users: ['jiwoo.kim'] }))).toBe('invalid_arguments');
  });

  it('lets a response_url be used 5 times', async () => {
    const url = fake.responseUrl();
    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x' }) });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(200);
    const sixth = await post();
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toMatchObject({ ok: false, error: 'used_url' });
  });
});

describe('the fake’s users.info without the scopes', () => {
  it('answers missing_scope without users:read, and leaves out the email without users:read.email', async () => {
    for (const [scopes, expected] of [[[], 'missing_scope'], [['users:read'], 'no email']] as const) {
      const fake = await FakeSlack.start({ scopes: [...scopes] });
      try {
        fake.addUser({ id: 'U0FAKEPAL1', name: 'pal', email: 'pal@example.com' });
        const client = new WebClient(fake.options.botToken, { slackApiUrl: fake.apiUrl, logger: quiet, retryConfig: { retries: 0 } });
        const got = await client.users
          .info({ user: 'U0FAKEPAL1' })
          .then((r) => ((r as { user: { profile: { email?: string } } }).user.profile.email ? 'email' : 'no email'))
          .catch((e: WebAPIPlatformError) => e.data.error);
        expect(got).toBe(expected);
      } finally {
        await fake.close();
      }
    }
  });
});

describe('the fake’s chat.postMessage rate limit', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await FakeSlack.start({ postMessageRate: { perSecond: 1, burst: 1 } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('answers 429 with Retry-After beyond ~1 message per second per channel', async () => {
    const client = new WebClient(fake.options.botToken, { slackApiUrl: fake.apiUrl, logger: quiet, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
    await client.chat.postMessage({ channel: 'CRATE1', text: 'one' });
    const err = await client.chat.postMessage({ channel: 'CRATE1', text: 'two' }).catch((e: { code?: string; retryAfter?: number }) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
    const limited = fake.callsTo('chat.postMessage').filter((c) => c.status === 429);
    expect(limited).toHaveLength(1);
    await client.chat.postMessage({ channel: 'COTHER', text: 'other channels are not limited' });
  });

  it('a WebClient that obeys Retry-After gets every message through, spaced by the limit', async () => {
    const client = new WebClient(fake.options.botToken, { slackApiUrl: fake.apiUrl, logger: quiet, retryConfig: { retries: 5, minTimeout: 10, maxTimeout: 50 } });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => client.chat.postMessage({ channel: 'CRATE2', text: `m${n}` })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const ok = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CRATE2' && c.status === 200);
    expect(ok.map((c) => c.args.text).sort()).toEqual(['m1', 'm2', 'm3']);
  });
});
