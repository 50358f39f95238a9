import { tableKeyOfLink } from '../../src/core/unfurl';
import { loadConfig } from '../../src/config/config';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, type Harness, SESSIONS, startHarness } from './harness';

const DOMAIN = 'nansen.test.example';

describe('link unfurling through the real Bolt app (issue 12 item 5)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ unfurlDomains: [DOMAIN] });
  });
  afterAll(async () => {
    await h.close();
  });

  async function share(urls: string[]): Promise<string> {
    const ts = h.fake.shareLinks('C0GENERAL1', urls);
    const r = await h.event(P.eventCallback(P.linkShared({ channel: 'C0GENERAL1', messageTs: ts, urls })));
    expect(r.status).toBe(200);
    return ts;
  }

  it('unfurls Nansen’s own table link and a table key as compact cards, and leaves other links alone', async () => {
    const own = `https://${DOMAIN}/tables/${encodeURIComponent(SESSIONS)}`;
    const other = 'https://example.org/somewhere';
    const ts = await share([own, SESSIONS, other]);
    const call = await h.fake.waitForCall('chat.unfurl', (c) => c.response.ok === true);
    expect(call.args).toMatchObject({ channel: 'C0GENERAL1', ts });
    expect(Object.keys(h.fake.unfurls.get(`C0GENERAL1|${ts}`) ?? {}).sort()).toEqual([SESSIONS, own].sort());
    const unfurls = call.args.unfurls as Record<string, { blocks: unknown }>;
    expect(Object.keys(unfurls).sort()).toEqual([SESSIONS, own].sort());
    const text = blocksText(unfurls[own]!.blocks);
    expect(text).toContain('sessions');
    expect(text).toContain(SESSIONS);
    expect((unfurls[own]!.blocks as unknown[]).length).toBeLessThanOrEqual(3);
  });

  it('makes no chat.unfurl call for links to no table it knows', async () => {
    const before = h.fake.callsTo('chat.unfurl').length;
    await share([`https://${DOMAIN}/tables/${encodeURIComponent('hive://gold.nope/missing')}`, `https://${DOMAIN}/elsewhere`]);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsTo('chat.unfurl').length).toBe(before);
  });

  it('the fake refuses chat.unfurl as Slack documents', async () => {
    const { WebClient } = await import('@slack/web-api');
    const client = new WebClient(h.fake.options.botToken, { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 } });
    const ts = h.fake.shareLinks('C0GENERAL1', ['https://a.example/x']);
    const err = (p: Promise<unknown>) => p.then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
    expect(await err(client.chat.unfurl({ channel: 'C0GENERAL1', ts } as never))).toBe('missing_unfurls');
    expect(await err(client.chat.unfurl({ channel: 'C0GENERAL1', ts: '1.000001', unfurls: { 'https://a.example/x': { text: 'x' } } } as never))).toBe('cannot_find_message');
    expect(await err(client.chat.unfurl({ channel: 'C0GENERAL1', ts, unfurls: { 'https://b.example/y': { text: 'y' } } } as never))).toBe('cannot_unfurl_message');
    expect(await err(client.chat.unfurl({ channel: 'C0GENERAL1', ts, unfurls: { 'https://a.example/x': { blocks: [{ type: 'nope' }] } } } as never))).toBe('invalid_blocks');
    expect(await err(client.chat.unfurl({ channel: 'C0GENERAL1', ts, unfurls: { 'https://a.example/x': { text: 'x' } } } as never))).toBe('ok');
  });
});

describe('tableKeyOfLink and NANSEN_UNFURL_DOMAINS', () => {
  it.each([
    [SESSIONS, SESSIONS],
    [`<${SESSIONS}>`, SESSIONS],
    [`https://${DOMAIN}/tables/${encodeURIComponent(SESSIONS)}`, SESSIONS],
    [`https://evil.example/tables/${encodeURIComponent(SESSIONS)}`, undefined],
    [`https://${DOMAIN}/tables/%E0%A4%A`, undefined],
    [`https://${DOMAIN}/tables/not-a-key`, undefined],
    ['javascript:alert(1)', undefined],
  ])('%s → %s', (url, key) => {
    expect(tableKeyOfLink(url, [DOMAIN])).toBe(key);
  });

  it('validates the domains: host names only, at most 5', () => {
    expect(loadConfig({ NANSEN_UNFURL_DOMAINS: 'Nansen.Corp.example, data.corp.example' }).NANSEN_UNFURL_DOMAINS).toEqual(['nansen.corp.example', 'data.corp.example']);
    expect(() => loadConfig({ NANSEN_UNFURL_DOMAINS: 'https://nansen.corp.example/x' })).toThrow(/NANSEN_UNFURL_DOMAINS/);
    expect(() => loadConfig({ NANSEN_UNFURL_DOMAINS: 'a.example,b.example,c.example,d.example,e.example,f.example' })).toThrow(/NANSEN_UNFURL_DOMAINS/);
  });
});
