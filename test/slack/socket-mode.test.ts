import { INPUT, SHORTCUT } from '../../src/render/blocks-actions';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, findMenuOption, type Harness, MINSU, SESSIONS, startHarness } from './harness';

describe('Socket Mode through the fake apps.connections.open and WebSocket server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socket: true });
    await h.fake.waitForSocket();
  });
  afterAll(async () => {
    await h.close();
  });

  it('opened the connection with the app-level token', () => {
    const open = h.fake.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.token).toBe(h.fake.options.appToken);
    expect(open[0]!.response.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket/);
  });

  it('acknowledges a slash command at once and answers through the response_url', async () => {
    const responseUrl = h.fake.responseUrl();
    const ack = await h.fake.pushEnvelope('slash_commands', P.slashCommand({ text: 'game_log.sessions', triggerId: h.fake.issueTriggerId(), responseUrl }));
    expect(ack.latencyMs).toBeLessThan(500);
    const [reply] = await h.responses(responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('game_log.sessions');
  });

  it('answers a mention once even when the envelope is redelivered with retry_attempt', async () => {
    const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0SOCKET01' });
    const envelope = P.eventCallback(mention);
    await h.fake.pushEnvelope('events_api', envelope);
    await h.fake.pushEnvelope('events_api', envelope, { retryAttempt: 1, retryReason: 'timeout' });
    await h.fake.pushEnvelope('events_api', envelope, { retryAttempt: 2, retryReason: 'timeout' });
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === mention.ts)).toHaveLength(1);
    expect(h.fake.acks.filter((a) => a.type === 'events_api').length).toBeGreaterThanOrEqual(3);
  });

  it('opens a dialog from a button and returns field errors in the view submission’s ack', async () => {
    const responseUrl = h.fake.responseUrl();
    await h.fake.pushEnvelope('slash_commands', P.slashCommand({ text: SESSIONS, userId: MINSU, triggerId: h.fake.issueTriggerId(), responseUrl }));
    const [card] = await h.responses(responseUrl);
    const b = findMenuOption(card!.args.blocks, 'description');
    const triggerId = h.fake.issueTriggerId();
    await h.fake.pushEnvelope('interactive', P.blockAction({ actionId: b.action_id, userId: MINSU, triggerId, responseUrl, selectedOption: b.selectedOption }));
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const view = (open.response as { view: Record<string, unknown> }).view;
    const ack = await h.fake.pushEnvelope('interactive', P.viewSubmission({ view, values: { [INPUT.description]: { [INPUT.value]: 'y'.repeat(2500) } }, userId: MINSU, triggerId: h.fake.issueTriggerId() }));
    expect(ack.payload).toMatchObject({ response_action: 'errors' });
    const ok = await h.fake.pushEnvelope('interactive', P.viewSubmission({ view, values: { [INPUT.description]: { [INPUT.value]: 'Sessions, via Socket Mode' } }, userId: MINSU, triggerId: h.fake.issueTriggerId() }));
    expect(ok.payload).toBeUndefined();
    expect((await h.deps.graph.getTable(SESSIONS))!.humanDescription).toBe('Sessions, via Socket Mode');
  });

  it('acknowledges the "Ask Nansen" message shortcut at once, opens its dialog and answers in the thread', async () => {
    const triggerId = h.fake.issueTriggerId();
    const ts = P.messageTs();
    const ack = await h.fake.pushEnvelope('interactive', P.messageShortcut({ callbackId: SHORTCUT.askNansen, triggerId, responseUrl: h.fake.responseUrl(), userId: MINSU, channelId: 'C0SOCKASK1', message: { text: 'when was game_log.sessions last updated?', ts } }));
    expect(ack.latencyMs).toBeLessThan(500);
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const view = (open.response as { view: Record<string, unknown> }).view;
    await h.fake.pushEnvelope('interactive', P.viewSubmission({ view, values: { [INPUT.askWhere]: { [INPUT.where]: { selected_option: { value: 'thread' } } } }, userId: MINSU, triggerId: h.fake.issueTriggerId() }));
    const answer = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0SOCKASK1');
    expect(answer.args.thread_ts).toBe(ts);
  });

  it('reconnects when Slack asks it to (disconnect envelope) and keeps working', async () => {
    const before = h.fake.callsTo('apps.connections.open').length;
    h.fake.sendDisconnect();
    const deadline = Date.now() + 10_000;
    while (h.fake.callsTo('apps.connections.open').length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await h.fake.waitForSocket();
    await new Promise((r) => setTimeout(r, 200));
    const responseUrl = h.fake.responseUrl();
    await h.fake.pushEnvelope('slash_commands', P.slashCommand({ text: 'help', triggerId: h.fake.issueTriggerId(), responseUrl }));
    await h.responses(responseUrl);
  });
});
