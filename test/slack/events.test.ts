import * as P from '../../tools/fake-slack/payloads';
import { ACTION } from '../../src/render/blocks-actions';
import { blocksText, findButton, type Harness, LATENCY, SESSIONS, startHarness } from './harness';

describe('mentions, DMs and the Home tab through the real Bolt app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const answersIn = (channel: string, threadTs: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);

  it('answers a mention in the thread of the question', async () => {
    const mention = P.appMention({ text: "which table shows in-game users' latency by country?", channel: 'C0MENTION1' });
    const r = await h.event(P.eventCallback(mention));
    expect(r.status).toBe(200);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
    expect(post.args.channel).toBe('C0MENTION1');
    expect(post.status).toBe(200);
    expect(blocksText(post.args.blocks)).toContain('kind=find');
    expect(blocksText(post.args.blocks)).toContain(`results=${LATENCY}`);
  });

  it('keeps the thread’s context for follow-ups ("is it hourly?")', async () => {
    const first = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0MENTION2' });
    await h.event(P.eventCallback(first));
    const a1 = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === first.ts);
    expect(blocksText(a1.args.blocks)).toContain(`kind=last_updated table=${SESSIONS}`);
    const follow = P.appMention({ text: 'is it hourly?', channel: 'C0MENTION2', threadTs: first.ts as string });
    await h.event(P.eventCallback(follow));
    const a2 = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === first.ts && c !== a1);
    expect(blocksText(a2.args.blocks)).toContain(`kind=cadence table=${SESSIONS}`);
    expect(blocksText(a2.args.blocks)).toContain('cadence=hourly');
  });

  it('answers a direct message in the DM itself (no new thread), and a follow-up in the DM keeps the subject', async () => {
    const dm = P.directMessage({ text: 'when was game_log.sessions last updated?', channel: 'D0DIRECT01' });
    await h.event(P.eventCallback(dm));
    const a1 = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0DIRECT01');
    expect(a1.args.thread_ts).toBeUndefined();
    const next = P.directMessage({ text: 'is it hourly?', channel: 'D0DIRECT01' });
    await h.event(P.eventCallback(next));
    const a = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0DIRECT01' && c !== a1);
    expect(a.args.thread_ts).toBeUndefined();
    expect(blocksText(a.args.blocks)).toContain(`kind=cadence table=${SESSIONS}`);
  });

  it('answers a DM posted in a DM thread in that thread', async () => {
    const root = P.directMessage({ text: 'hello there', channel: 'D0DIRECT03' });
    const inThread = P.directMessage({ text: 'who owns game_log.sessions?', channel: 'D0DIRECT03', threadTs: root.ts as string });
    await h.event(P.eventCallback(inThread));
    const a = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0DIRECT03');
    expect(a.args.thread_ts).toBe(root.ts);
    expect(blocksText(a.args.blocks)).toContain(`kind=owners table=${SESSIONS}`);
  });

  it('tells a DM with a file attached that files are not read, and still answers its text', async () => {
    await h.event(P.eventCallback(P.directMessageWithFile({ channel: 'D0FILES001' })));
    const note = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0FILES001');
    expect(blocksText(note.args.blocks)).toContain("I don't read attached files");
    const withText = P.directMessageWithFile({ channel: 'D0FILES002', text: 'who owns game_log.sessions?' });
    const envelope = P.eventCallback(withText);
    await h.event(envelope);
    await h.event(envelope, { num: 1, reason: 'http_timeout' });
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0FILES002' && blocksText(c.args.blocks).includes('kind=owners'));
    await new Promise((r) => setTimeout(r, 300));
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0FILES002');
    expect(posts.map((c) => (blocksText(c.args.blocks).includes('kind=owners') ? 'answer' : 'files')).sort()).toEqual(['answer', 'files']);
  });

  it('answers a retried delivery (X-Slack-Retry-Num) once, however many times it arrives', async () => {
    const mention = P.appMention({ text: 'who owns game_log.sessions?', channel: 'C0RETRY001' });
    const envelope = P.eventCallback(mention);
    const results = await Promise.all([h.event(envelope), h.event(envelope, { num: 1, reason: 'http_timeout' }), h.event(envelope, { num: 2, reason: 'http_timeout' })]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.event(envelope, { num: 3, reason: 'http_timeout' });
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
    await new Promise((r) => setTimeout(r, 300));
    expect(answersIn('C0RETRY001', mention.ts as string)).toHaveLength(1);
  });

  it('ignores its own messages, message edits and bot messages in DMs', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    await h.event(P.eventCallback({ ...P.directMessage({ text: 'hi', channel: 'D0DIRECT02' }), subtype: 'message_changed' }));
    await h.event(P.eventCallback({ ...P.directMessage({ text: 'hi', channel: 'D0DIRECT02' }), bot_id: 'B0OTHER001' }));
    await h.event(P.eventCallback({ ...P.directMessage({ text: 'hi', channel: 'D0DIRECT02', user: h.fake.options.botUserId }) }));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsTo('chat.postMessage').length).toBe(before);
  });

  it('publishes the Home tab within the view limits', async () => {
    await h.event(P.eventCallback(P.appHomeOpened('U0HOMEUSER')));
    const pub = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === 'U0HOMEUSER');
    expect(pub.response.ok).toBe(true);
    const text = blocksText((pub.args.view as { blocks: unknown }).blocks);
    expect(text).toContain('Popular tables');
    expect(text).toContain('bi_mart.kpi_daily_summary');
    expect(text).toContain('Browse by tag');
    expect(text).toContain('Your bookmarks');
  });

  it('Home tab buttons (no response_url): a card opens in a modal, a tag’s tables come in the app’s DM', async () => {
    await h.event(P.eventCallback(P.appHomeOpened('U0HOMEUSR2')));
    const pub = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === 'U0HOMEUSR2');
    const view = { ...(pub.response.view as Record<string, unknown>) };
    const open = findButton((view as { blocks: unknown }).blocks, ACTION.openCard);
    const click = await h.click(open.action_id, open.value, { user: 'U0HOMEUSR2', view });
    const card = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
    expect(card.response.ok).toBe(true);
    expect(blocksText((card.args.view as { blocks: unknown }).blocks)).toContain('*Owners*');
    expect(h.fake.callsTo('chat.postMessage').some((c) => c.args.channel === 'U0HOMEUSR2')).toBe(false);
    const tag = findButton((view as { blocks: unknown }).blocks, ACTION.browseTag);
    await h.click(tag.action_id, tag.value, { user: 'U0HOMEUSR2', view });
    const tagged = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0HOMEUSR2' && blocksText(c.args.blocks).includes('tables tagged'));
    expect(tagged.response.ok).toBe(true);
  });
});

describe('answers rendered by the Slack answer renderer', () => {
  let h: Harness;
  beforeAll(async () => {
    const { renderSlack } = await import('../../src/render/slack');
    h = await startHarness({ renderAnswer: (a) => renderSlack(a) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts within Slack’s limits, owners as mentions', async () => {
    for (const text of ["which table shows in-game users' latency by country?", 'who owns game_log.sessions?', 'what columns does game_log.client_events have?', 'what is built from game_log.client_events?']) {
      const mention = P.appMention({ text, channel: 'C0RENDER01' });
      await h.event(P.eventCallback(mention));
      const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
      expect(post.response.ok).toBe(true);
    }
    const owners = h.fake.callsTo('chat.postMessage').find((c) => blocksText(c.args.blocks).includes('<@U0DEMO0001>'));
    expect(owners).toBeDefined();
  });
});

describe('unexpected failures', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    const pino = (await import('pino')).default;
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    h = await startHarness({ log, answer: () => Promise.reject(new Error('the answering core fell over')) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('are logged once with a reference id; the person gets a short apology quoting it', async () => {
    const mention = P.appMention({ text: 'anything', channel: 'C0FAIL0001' });
    await h.event(P.eventCallback(mention));
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
    const text = blocksText(post.args.blocks);
    const ref = /ref ([0-9a-f]{8})/.exec(text)?.[1];
    expect(text).toMatch(/^:warning: Sorry, something went wrong on my side/);
    expect(text).not.toContain('fell over');
    expect(ref).toBeDefined();
    const errors = lines.map((l) => JSON.parse(l) as { level: number; ref?: string; msg: string }).filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ ref, msg: 'unexpected error' });
  });
});
