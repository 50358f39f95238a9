import { INPUT, SHORTCUT, VIEW } from '../../src/render/blocks-actions';
import * as P from '../../tools/fake-slack/payloads';
import type { RecordedCall } from '../../tools/fake-slack/server';
import { blocksText, type Harness, MINSU, SECRET, SESSIONS, startHarness } from './harness';

/** Issue 12, item 6: the message shortcut "Ask Nansen", through the real Bolt app and the fake Slack API. */
describe('the "Ask Nansen" message shortcut', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const QUESTION = 'when was game_log.sessions last updated?';

  /** Uses the shortcut on a message; resolves with the dialog it opened. */
  async function ask(channel: string, message: Parameters<Harness['shortcut']>[1], user = MINSU): Promise<{ view: Record<string, unknown>; open: RecordedCall; ms: number; responseUrl: string }> {
    const r = await h.shortcut(SHORTCUT.askNansen, message, { user, channel });
    expect(r.status).toBe(200);
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === r.triggerId);
    expect(open.response.ok).toBe(true);
    return { view: (open.response as { view: Record<string, unknown> }).view, open, ms: r.ms, responseUrl: r.responseUrl };
  }

  const where = (value: 'thread' | 'private') => ({ [INPUT.askWhere]: { [INPUT.where]: { selected_option: { value } } } });

  it('acknowledges at once and opens a dialog asking where to answer (in the thread by default)', async () => {
    const ts = P.messageTs();
    const { view, ms } = await ask('C0ASK00001', { text: QUESTION, ts });
    expect(ms).toBeLessThan(1000);
    expect(view.callback_id).toBe(VIEW.ask);
    expect(JSON.parse(view.private_metadata as string)).toEqual({ ch: 'C0ASK00001', ts, q: QUESTION });
    const input = (view.blocks as Array<{ block_id?: string; element?: { type: string; options: Array<{ value: string }>; initial_option: { value: string } } }>).find((b) => b.block_id === INPUT.askWhere)!;
    expect(input.element!.type).toBe('radio_buttons');
    expect(input.element!.options.map((o) => o.value)).toEqual(['thread', 'private']);
    expect(input.element!.initial_option.value).toBe('thread');
    expect(blocksText(view.blocks)).toContain(QUESTION);
  });

  it('"in the thread": answers the message with the mention core, in its thread, saying who asked; follow-ups there work', async () => {
    const ts = P.messageTs();
    const { view } = await ask('C0ASK00002', { text: QUESTION, ts });
    const r = await h.submit(view, where('thread'), MINSU);
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    const answer = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ASK00002');
    expect(answer.response.ok).toBe(true);
    expect(answer.args.thread_ts).toBe(ts);
    expect(blocksText(answer.args.blocks)).toContain(`kind=last_updated table=${SESSIONS}`);
    expect(blocksText(answer.args.blocks)).toContain(`<@${MINSU}> asked me about this message.`);
    // Nansen is part of the thread now: "is it hourly?" needs no mention.
    await h.event(P.eventCallback(P.channelMessage({ text: 'is it hourly?', channel: 'C0ASK00002', threadTs: ts })));
    const followUp = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ASK00002' && blocksText(c.args.blocks).includes('kind=cadence'));
    expect(followUp.args.thread_ts).toBe(ts);
  });

  it('a reply inside a thread is answered in that thread', async () => {
    const parent = P.messageTs();
    const ts = P.messageTs();
    const { view } = await ask('C0ASK00003', { text: 'who owns game_log.sessions?', ts, thread_ts: parent });
    expect(JSON.parse(view.private_metadata as string)).toMatchObject({ ts, th: parent });
    await h.submit(view, where('thread'), MINSU);
    const answer = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ASK00003');
    expect(answer.args.thread_ts).toBe(parent);
    expect(blocksText(answer.args.blocks)).toContain('kind=owners');
  });

  it('"only me": answers ephemerally to the person, nothing in the channel', async () => {
    const { view } = await ask('C0ASK00004', { text: QUESTION });
    await h.submit(view, where('private'), MINSU);
    const eph = await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.channel === 'C0ASK00004');
    expect(eph.response.ok).toBe(true);
    expect(eph.args.user).toBe(MINSU);
    expect(blocksText(eph.args.blocks)).toContain(`kind=last_updated table=${SESSIONS}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ASK00004')).toHaveLength(0);
  });

  it('"only me" where Nansen is not a member: the ephemeral is refused, so the answer comes as a DM', async () => {
    h.fake.addChannel({ id: 'C0ASK00005', isMember: false });
    const { view } = await ask('C0ASK00005', { text: QUESTION });
    await h.submit(view, where('private'), MINSU);
    const refused = await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.channel === 'C0ASK00005');
    expect(refused.response).toMatchObject({ ok: false, error: 'not_in_channel' });
    const dm = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === MINSU && blocksText(c.args.blocks).includes('kind=last_updated'));
    expect(dm.response.ok).toBe(true);
  });

  it('"in the thread" where Nansen may not post: the person gets the answer privately, told why', async () => {
    h.fake.addChannel({ id: 'C0ASK00006', isMember: false });
    const { view } = await ask('C0ASK00006', { text: QUESTION });
    await h.submit(view, where('thread'), MINSU);
    const refused = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ASK00006');
    expect(refused.response).toMatchObject({ ok: false, error: 'not_in_channel' });
    const dm = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === MINSU && blocksText(c.args.blocks).includes('not_in_channel'));
    expect(blocksText(dm.args.blocks)).toMatch(/I can't post in that conversation.*only you see this answer/);
    expect(blocksText(dm.args.blocks)).toContain('kind=last_updated');
  });

  it('a message with only a file or attachments gets a dialog that says there is nothing to answer', async () => {
    for (const [i, message] of [{ text: '', files: [{ id: 'F0ASK00001', name: 'chart.png' }] }, { text: '', attachments: [{ fallback: 'a chart', image_url: 'https://example.com/x.png' }] }, { text: `  <@U0NANSEN01>  ` }].entries()) {
      const channel = `C0ASKNONE${i}`;
      const { view } = await ask(channel, message);
      expect(view.callback_id).not.toBe(VIEW.ask);
      expect(view.submit).toBeUndefined();
      expect(blocksText(view.blocks)).toMatch(/no text I can read, only files or attachments/);
    }
  });

  it('an expired trigger: the person is told, through the response_url, to try again', async () => {
    const stale = `1.${Date.now() - 5000}.deadbeef`;
    const responseUrl = h.fake.responseUrl();
    const r = await P.postInteraction(h.url, SECRET, P.messageShortcut({ callbackId: SHORTCUT.askNansen, triggerId: stale, responseUrl, userId: MINSU, message: { text: QUESTION } }));
    expect(r.status).toBe(200);
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === stale);
    expect(open.response).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    const [told] = await h.responses(responseUrl);
    expect(told!.args.response_type).toBe('ephemeral');
    expect(blocksText(told!.args.blocks)).toMatch(/took me too long to open the dialog. Please use Ask Nansen on the message again/);
  });

  it('odd shortcut payloads (no message, odd fields) are acknowledged and crash nothing', async () => {
    const statuses: number[] = [];
    for (const odd of [{ message: undefined }, { message: { text: 42 } }, { channel: null }, { user: null }]) {
      const payload = { ...P.messageShortcut({ callbackId: SHORTCUT.askNansen, triggerId: h.fake.issueTriggerId(), responseUrl: h.fake.responseUrl(), userId: MINSU, message: { text: QUESTION } }), ...odd };
      const r = await P.postInteraction(h.url, SECRET, payload);
      statuses.push(r.status);
    }
    // Without a user or channel Bolt itself answers 500 before any listener runs (as for every payload type).
    expect(statuses).toEqual([200, 200, 500, 500]);
    // Still serving.
    await ask('C0ASK00008', { text: QUESTION });
  });

  it('hostile submissions: no choice is a field error; forged metadata is refused politely, nothing posted', async () => {
    const { view } = await ask('C0ASK00007', { text: QUESTION });
    const none = await h.submit(view, {}, MINSU);
    expect(none.json).toMatchObject({ response_action: 'errors', errors: { [INPUT.askWhere]: expect.stringMatching(/pick where/) } });
    const odd = await h.submit(view, where('everyone' as 'thread'), MINSU);
    expect(odd.json).toMatchObject({ response_action: 'errors' });
    const forged = await h.submit({ ...view, private_metadata: JSON.stringify({ ch: 'C0ASK00007', ts: 'x', q: '' }) }, where('thread'), 'U0FORGER01');
    expect(forged.body).toBe('');
    const dm = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0FORGER01');
    expect(blocksText(dm.args.blocks)).toMatch(/didn't make sense/);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ASK00007')).toHaveLength(0);
  });
});
