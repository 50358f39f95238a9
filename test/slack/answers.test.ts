import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import { MemoryMissLog } from '../../src/adapters/memory/memory-miss-log';
import { answer as realAnswer } from '../../src/answering/answer';
import { ACTION, INPUT } from '../../src/render/blocks-actions';
import { ANSWER_TOP, renderSlackAnswer } from '../../src/render/answer-actions';
import { blockProblems } from '../../tools/fake-slack/limits';
import type { RecordedCall } from '../../tools/fake-slack/server';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, findButton, findMenuOption, type Harness, LATENCY, startHarness } from './harness';

type Blocks = Array<Record<string, unknown>>;

/** Every button (accessories and actions elements) of a message. */
function buttonsOf(blocks: unknown): Array<{ action_id: string; value: string; text: string }> {
  const out: Array<{ action_id: string; value: string; text: string }> = [];
  for (const b of blocks as Blocks) {
    const els = [...((b.elements as Blocks) ?? []), ...(b.accessory ? [b.accessory as Record<string, unknown>] : [])];
    for (const e of els) if (e.type === 'button') out.push({ action_id: String(e.action_id), value: String(e.value), text: (e.text as { text: string }).text });
  }
  return out;
}

/** Issue 12, item 2: a find answer's results can be opened, shared, and flagged as not what was meant. */
describe('answers you can act on, through the real Bolt app', () => {
  let h: Harness;
  const misses = new MemoryMissLog();
  const CHANNEL = 'C0ANSWERS1';
  const QUESTION = "which table shows in-game users' latency by country?";
  let mention: Record<string, unknown>;
  let answerPost: RecordedCall;

  beforeAll(async () => {
    h = await startHarness({ renderAnswer: (a, place) => renderSlackAnswer(a, place), misses });
    mention = P.appMention({ text: `<@${h.fake.options.botUserId}> ${QUESTION}`, channel: CHANNEL });
    await h.event(P.eventCallback(mention));
    answerPost = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
  });
  afterAll(async () => {
    await h.close();
  });

  /** Clicks a button of the answer as it sits in the mention's thread (a posted message, not ephemeral). */
  const clickInAnswer = (b: { action_id: string; value: string }, user = 'U0CLICKER1') =>
    h.click(b.action_id, b.value, { user, channel: CHANNEL, ephemeral: false, messageTs: String(answerPost.response.ts ?? '1.1'), threadTs: mention.ts as string });

  it('shows the top results compactly, each with Open card and Share to channel, and one Not what I meant', () => {
    expect(answerPost.response.ok).toBe(true);
    const blocks = answerPost.args.blocks as Blocks;
    expect(blocks.length).toBeLessThanOrEqual(3 * ANSWER_TOP + 3);
    expect(blockProblems(blocks, 50, '/blocks')).toEqual([]);
    const buttons = buttonsOf(blocks);
    const ids = buttons.map((b) => b.action_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith(ACTION.openCard))).toHaveLength(ANSWER_TOP);
    expect(ids.filter((id) => id.startsWith(ACTION.shareResult))).toHaveLength(ANSWER_TOP);
    expect(ids.filter((id) => id === ACTION.notWhatIMeant)).toHaveLength(1);
    expect(ids).toContain(ACTION.moreResults);
    expect(buttons.every((b) => b.value.length <= 2000)).toBe(true);
    expect(JSON.parse(findButton(blocks, ACTION.openCard).value)).toEqual({ key: LATENCY });
    const text = blocksText(blocks);
    expect(text).toContain('network_latency_by_country');
    expect(text).toMatch(/updated \d+ minutes ago/);
    expect(text).toContain('/data ');
  });

  it('Open card: the card for the person who clicked, in the thread (ephemeral through the response_url)', async () => {
    const r = await clickInAnswer(findButton(answerPost.args.blocks, ACTION.openCard));
    expect(r.status).toBe(200);
    const [post] = await h.responses(r.responseUrl);
    expect(post!.args.response_type).toBe('ephemeral');
    expect(post!.args.replace_original).toBe(false);
    expect(blocksText(post!.args.blocks)).toContain('*Owners*');
    expect(blocksText(post!.args.blocks)).toContain('network_latency_by_country');
  });

  it('Share to channel: the result’s card for everyone, in the thread and the channel, attributed to the sharer; the answer stays', async () => {
    const r = await clickInAnswer(findButton(answerPost.args.blocks, ACTION.shareResult), 'U0SHARER01');
    expect(r.status).toBe(200);
    const shared = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && blocksText(c.args.blocks).includes('Shared by'));
    expect(shared.response.ok).toBe(true);
    expect(shared.args.thread_ts).toBe(mention.ts);
    expect(String(shared.args.reply_broadcast)).toBe('true');
    const text = blocksText(shared.args.blocks);
    expect(text).toContain('Shared by <@U0SHARER01>');
    expect(text).toContain('*Owners*');
    expect(buttonsOf(shared.args.blocks).some((b) => b.action_id === ACTION.share)).toBe(false);
    expect(h.fake.callsTo('response_url').filter((c) => c.args.url_id === r.responseUrl.split('/').pop())).toEqual([]);
  });

  it('Not what I meant: records the miss with what was offered, tells only the clicker, once per person', async () => {
    const before = (await misses.recent({ limit: 1000 })).length;
    const b = findButton(answerPost.args.blocks, ACTION.notWhatIMeant);
    const r = await clickInAnswer(b, 'U0MISSER01');
    const [ack] = await h.responses(r.responseUrl);
    expect(ack!.args.response_type).toBe('ephemeral');
    expect(blocksText(ack!.args.blocks)).toContain("wasn't what you meant");
    const recorded = await misses.recent({ limit: 1000 });
    expect(recorded.length).toBe(before + 1);
    expect(recorded[0]).toMatchObject({ kind: 'not_what_i_meant', text: QUESTION, lang: 'en', via: 'slack' });
    expect(recorded[0]!.offered[0]).toBe(LATENCY);
    expect(recorded[0]!.offered.length).toBeGreaterThanOrEqual(ANSWER_TOP);
    expect(recorded[0]!.asker).toBeUndefined();
    const again = await clickInAnswer(b, 'U0MISSER01');
    const [ack2] = await h.responses(again.responseUrl);
    expect(blocksText(ack2!.args.blocks)).toContain('Already noted');
    expect((await misses.recent({ limit: 1000 })).length).toBe(before + 1);
  });

  it('N more results: the rest of the answer’s results, for the person who clicked', async () => {
    const b = findButton(answerPost.args.blocks, ACTION.moreResults);
    const r = await clickInAnswer(b);
    const [post] = await h.responses(r.responseUrl);
    expect(post!.args.response_type).toBe('ephemeral');
    const shown = new Set(buttonsOf(answerPost.args.blocks).filter((x) => x.action_id.startsWith(ACTION.openCard)).map((x) => x.value));
    const more = buttonsOf(post!.args.blocks).filter((x) => x.action_id.startsWith(ACTION.openCard));
    expect(more.length).toBeGreaterThan(0);
    expect(more.some((x) => shown.has(x.value))).toBe(false);
    expect(blockProblems(post!.args.blocks, 50, '/blocks')).toEqual([]);
  });

  it('a DM answer has Open card but no Share to channel', async () => {
    const dm = P.directMessage({ text: QUESTION, channel: 'D0ANSWERS1' });
    await h.event(P.eventCallback(dm));
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0ANSWERS1');
    const ids = buttonsOf(post.args.blocks).map((b) => b.action_id);
    expect(ids.filter((id) => id.startsWith(ACTION.openCard))).toHaveLength(ANSWER_TOP);
    expect(ids.some((id) => id.startsWith(ACTION.shareResult))).toBe(false);
    expect(ids).toContain(ACTION.notWhatIMeant);
  });

  it('a result whose table is gone: Open card and Share say so privately, nothing is posted, nothing thrown', async () => {
    const gone = JSON.stringify({ key: 'hive://gold.game_log/dropped_last_week' });
    const postsBefore = h.fake.callsTo('chat.postMessage').length;
    for (const id of [`${ACTION.openCard}:0`, `${ACTION.shareResult}:0`]) {
      const r = await h.click(id, gone, { channel: CHANNEL, ephemeral: false, threadTs: mention.ts as string });
      expect(r.status).toBe(200);
      const [post] = await h.responses(r.responseUrl);
      expect(post!.args.response_type).toBe('ephemeral');
      expect(blocksText(post!.args.blocks)).toContain('That table is gone');
      expect(blocksText(post!.args.blocks)).toContain('dropped_last_week');
    }
    expect(h.fake.callsTo('chat.postMessage').length).toBe(postsBefore);
  });

  it('forged values (not JSON, a wrong language, too many keys) get the polite bad-button notice', async () => {
    for (const [id, value] of [
      [ACTION.notWhatIMeant, 'not json'],
      [ACTION.notWhatIMeant, JSON.stringify({ q: 'x', l: 'fr', o: [] })],
      [ACTION.moreResults, JSON.stringify({ q: 'x', l: 'en', r: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}` })) })],
      [`${ACTION.shareResult}:3`, '{}'],
    ] as const) {
      const r = await h.click(id, value);
      const [post] = await h.responses(r.responseUrl);
      expect(blocksText(post!.args.blocks)).toContain("didn't make sense");
    }
  });
});

describe('answers you can act on, with NANSEN_RECORD_ASKERS=1 and in Korean', () => {
  let h: Harness;
  const misses = new MemoryMissLog();
  beforeAll(async () => {
    h = await startHarness({ renderAnswer: (a, place) => renderSlackAnswer(a, place), misses, recordAskers: true, answer: async (q, deps) => {
      const a = await realAnswer(q, deps);
      // a search offered as guesses (the pipeline's `guess` verdict)
      return a.kind === 'find' && q.text.includes('guess') ? { ...a, confident: false } : a;
    } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps who said "not what I meant", in the question’s language', async () => {
    const m = P.appMention({ text: '국가별 레이턴시 테이블 있어요?', channel: 'C0ANSWERS2' });
    await h.event(P.eventCallback(m));
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts);
    const b = buttonsOf(post.args.blocks).find((x) => x.action_id === ACTION.notWhatIMeant)!;
    expect(b.text).toBe('원한 답이 아니에요');
    const r = await h.click(b.action_id, b.value, { user: 'U0KOREAN01', channel: 'C0ANSWERS2', ephemeral: false });
    const [ack] = await h.responses(r.responseUrl);
    expect(blocksText(ack!.args.blocks)).toContain('감사합니다');
    expect((await misses.recent({ limit: 1 }))[0]).toMatchObject({ kind: 'not_what_i_meant', lang: 'ko', asker: 'U0KOREAN01' });
  });

  it('a guess stays marked as a guess, with its buttons', async () => {
    const m = P.appMention({ text: 'guess: which table has latency by country?', channel: 'C0ANSWERS3' });
    await h.event(P.eventCallback(m));
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts);
    expect(blocksText(post.args.blocks)).toContain('my best guesses');
    expect(buttonsOf(post.args.blocks).some((b) => b.action_id.startsWith(ACTION.openCard))).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect((await misses.recent({ limit: 1 }))[0]).toMatchObject({ kind: 'guess' });
  });
});

/** Issue 12, item 2: a card opened from App Home opens in a modal, not as a DM. */
describe('a card opened from App Home, through the real Bolt app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function home(user: string): Promise<Record<string, unknown>> {
    await h.event(P.eventCallback(P.appHomeOpened(user)));
    const pub = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === user);
    return { ...(pub.response.view as Record<string, unknown>) };
  }

  it('opens in a modal (views.open with the click’s trigger_id), within the modal limits, and posts no DM', async () => {
    const view = await home('U0MODAL001');
    const open = findButton((view as { blocks: unknown }).blocks, ACTION.openCard);
    const click = await h.click(open.action_id, open.value, { user: 'U0MODAL001', view });
    expect(click.status).toBe(200);
    const opened = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
    expect(opened.response.ok).toBe(true);
    const modal = opened.args.view as { type: string; title: { text: string }; blocks: unknown[]; submit?: unknown };
    expect(modal.type).toBe('modal');
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.blocks.length).toBeLessThanOrEqual(100);
    expect(modal.submit).toBeUndefined();
    expect(blocksText(modal.blocks)).toContain('*Owners*');
    expect(blocksText(modal.blocks)).not.toContain('Share in channel');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MODAL001')).toEqual([]);
  });

  it('pages a long column list inside the modal (views.update); an edit from it is pushed on top and refreshes it when saved', async () => {
    const client = 'hive://raw.game_log/client_events';
    const click = await h.click(`${ACTION.openCard}:0`, JSON.stringify({ key: client }), { user: 'U0MODAL002', view: await home('U0MODAL002') });
    const opened = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
    const modal = opened.response.view as Record<string, unknown>;
    expect(modal.title).toMatchObject({ text: 'client_events' });
    const more = findButton(modal.blocks, ACTION.columnsPage);
    await h.click(more.action_id, more.value, { user: 'U0MODAL002', view: modal });
    const updated = await h.fake.waitForCall('views.update', (c) => c.args.view_id === modal.id);
    expect(updated.response.ok).toBe(true);
    expect(blocksText((updated.args.view as { blocks: unknown }).blocks)).toMatch(/\*Columns\* 16–/);
    const edit = findMenuOption(modal.blocks, 'description');
    const e = await h.click(edit.action_id, edit.value, { user: 'U0MODAL002', view: modal, selectedOption: edit.selectedOption });
    const pushed = await h.fake.waitForCall('views.push', (c) => c.args.trigger_id === e.triggerId);
    expect(pushed.response.ok).toBe(true);
    // saving the pushed dialog refreshes the card modal under it, rather than sending a DM
    const r = await h.submit(pushed.response.view as Record<string, unknown>, { [INPUT.description]: { [INPUT.value]: 'Client events, edited from App Home; quexlor marker.' } }, 'U0MODAL002');
    expect(r.status).toBe(200);
    const refreshed = await h.fake.waitForCall('views.update', (c) => c.args.view_id === modal.id && blocksText((c.args.view as { blocks: unknown }).blocks).includes('quexlor marker'));
    expect(refreshed.response.ok).toBe(true);
    expect(blocksText((refreshed.args.view as { blocks: unknown }).blocks)).toContain('Saved your edit');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MODAL002')).toEqual([]);
  });

  it('a bookmark of a table that is gone says so in the DM (no modal, nothing thrown)', async () => {
    const view = await home('U0MODAL003');
    const click = await h.click(`${ACTION.openCard}:0`, JSON.stringify({ key: 'hive://gold.game_log/dropped_last_week' }), { user: 'U0MODAL003', view });
    const told = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0MODAL003');
    expect(blocksText(told.args.blocks)).toContain('That table is gone');
    expect(h.fake.callsTo('views.open').some((c) => c.args.trigger_id === click.triggerId)).toBe(false);
  });
});

/** Issue 12, item 2: the first open of the Messages tab gets a short welcome, once per person. */
describe('the Messages tab’s welcome, through the real Bolt app', () => {
  let h: Harness;
  let dir: string;
  let state: SqliteUserStateStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-welcome-'));
    state = new SqliteUserStateStore(join(dir, 'state.sqlite'));
    h = await startHarness({ userState: state });
  });
  afterAll(async () => {
    await h.close();
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('welcomes on the first open of the Messages tab only, in the app’s DM; the Home tab does not welcome', async () => {
    await h.event(P.eventCallback(P.appHomeOpened('U0WELCOME3', 'home')));
    await h.fake.waitForCall('views.publish', (c) => c.args.user_id === 'U0WELCOME3');
    const opens = [P.eventCallback(P.appHomeOpened('U0WELCOME3', 'messages')), P.eventCallback(P.appHomeOpened('U0WELCOME3', 'messages'))];
    await h.event(opens[0]!);
    const welcome = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0WELCOME3');
    expect(welcome.response.ok).toBe(true);
    expect(blocksText(welcome.args.blocks)).toContain("I'm *Nansen*");
    expect(String(welcome.args.text)).toContain('Nansen');
    await h.event(opens[1]!);
    await h.event(opens[1]!, { num: 1, reason: 'http_timeout' });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0WELCOME3')).toHaveLength(1);
    expect(await state.markWelcomed('U0WELCOME3', new Date().toISOString())).toBe(false);
  });

  it('another person is welcomed too', async () => {
    await h.event(P.eventCallback(P.appHomeOpened('U0WELCOME4', 'messages')));
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0WELCOME4');
  });
});
