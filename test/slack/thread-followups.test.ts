import * as P from '../../tools/fake-slack/payloads';
import { blocksText, type Harness, SESSIONS, startHarness } from './harness';

/** Issue 12, item 1: replies in a thread Nansen answered in need no new mention (message.channels / message.groups). */
describe('thread follow-ups without a mention, through the real Bolt app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const postsIn = (channel: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const settle = () => new Promise((r) => setTimeout(r, 300));

  async function mentionAndAnswer(channel: string, text = 'when was game_log.sessions last updated?'): Promise<string> {
    const first = P.appMention({ text, channel });
    await h.event(P.eventCallback(first));
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === channel && c.args.thread_ts === first.ts);
    return first.ts as string;
  }

  it('answers "is it hourly?" in a thread Nansen answered in, without a mention (message.channels)', async () => {
    const root = await mentionAndAnswer('C0FOLLOW01');
    const reply = P.channelMessage({ text: 'is it hourly?', channel: 'C0FOLLOW01', threadTs: root });
    expect((await h.event(P.eventCallback(reply))).status).toBe(200);
    const a = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0FOLLOW01' && blocksText(c.args.blocks).includes('kind=cadence'));
    expect(a.args.thread_ts).toBe(root);
    expect(blocksText(a.args.blocks)).toContain(`kind=cadence table=${SESSIONS}`);
  });

  it('works in private channels too (message.groups)', async () => {
    const root = await mentionAndAnswer('G0PRIVATE1');
    await h.event(P.eventCallback(P.channelMessage({ text: 'who owns it?', channel: 'G0PRIVATE1', threadTs: root, channelType: 'group' })));
    const a = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'G0PRIVATE1' && blocksText(c.args.blocks).includes('kind=owners'));
    expect(a.args.thread_ts).toBe(root);
  });

  it('ignores other channel traffic: top-level messages and threads Nansen is not part of', async () => {
    const before = postsIn('C0FOLLOW02').length;
    await h.event(P.eventCallback(P.channelMessage({ text: 'when was game_log.sessions last updated?', channel: 'C0FOLLOW02' })));
    await h.event(P.eventCallback(P.channelMessage({ text: 'is it hourly?', channel: 'C0FOLLOW02', threadTs: P.messageTs() })));
    await settle();
    expect(postsIn('C0FOLLOW02').length).toBe(before);
  });

  it('leaves chatter between people in its thread alone ("thanks!", talk it cannot place)', async () => {
    const root = await mentionAndAnswer('C0FOLLOW03');
    const before = postsIn('C0FOLLOW03').length;
    await h.event(P.eventCallback(P.channelMessage({ text: 'thanks!', channel: 'C0FOLLOW03', threadTs: root, user: 'U0BOB00001' })));
    await h.event(P.eventCallback(P.channelMessage({ text: 'lol see you at the standup', channel: 'C0FOLLOW03', threadTs: root, user: 'U0BOB00001' })));
    await settle();
    expect(postsIn('C0FOLLOW03').length).toBe(before);
  });

  it('a mention in its thread, delivered as app_mention and as message, is answered once', async () => {
    const root = await mentionAndAnswer('C0FOLLOW04');
    const mention = P.appMention({ text: 'is it hourly?', channel: 'C0FOLLOW04', threadTs: root });
    // Slack sends the same message twice (two event ids): as app_mention and as message.channels.
    const asMessage = P.channelMessage({ text: mention.text as string, channel: 'C0FOLLOW04', threadTs: root, ts: mention.ts as string });
    await Promise.all([h.event(P.eventCallback(asMessage)), h.event(P.eventCallback(mention))]);
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0FOLLOW04' && blocksText(c.args.blocks).includes('kind=cadence'));
    await settle();
    expect(postsIn('C0FOLLOW04').filter((c) => blocksText(c.args.blocks).includes('kind=cadence'))).toHaveLength(1);
  });

  it('keeps retry and edit de-duplication: a retried follow-up is answered once, an edit not at all', async () => {
    const root = await mentionAndAnswer('C0FOLLOW05');
    const reply = P.channelMessage({ text: 'who owns it?', channel: 'C0FOLLOW05', threadTs: root });
    const envelope = P.eventCallback(reply);
    await Promise.all([h.event(envelope), h.event(envelope, { num: 1, reason: 'http_timeout' })]);
    await h.event(P.eventCallback({ type: 'message', subtype: 'message_changed', channel: 'C0FOLLOW05', channel_type: 'channel', hidden: true, ts: P.messageTs(), message: { ...reply, text: 'who uses it?', edited: { user: 'U0ALICE001', ts: P.messageTs() } }, previous_message: reply }));
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0FOLLOW05' && blocksText(c.args.blocks).includes('kind=owners'));
    await settle();
    const after = postsIn('C0FOLLOW05').filter((c) => c.args.thread_ts === root);
    expect(after).toHaveLength(2);
  });

  it('ignores bot messages and its own replies in its threads', async () => {
    const root = await mentionAndAnswer('C0FOLLOW06');
    const before = postsIn('C0FOLLOW06').length;
    await h.event(P.eventCallback({ ...P.channelMessage({ text: 'is it hourly?', channel: 'C0FOLLOW06', threadTs: root }), bot_id: 'B0OTHER001' }));
    await h.event(P.eventCallback(P.channelMessage({ text: 'is it hourly?', channel: 'C0FOLLOW06', threadTs: root, user: h.fake.options.botUserId })));
    await settle();
    expect(postsIn('C0FOLLOW06').length).toBe(before);
  });
});
