import pino from 'pino';
import * as P from '../../tools/fake-slack/payloads';
import type { RecordedCall } from '../../tools/fake-slack/server';
import { ACTION } from '../../src/render/blocks-actions';
import { blocksText, findButton, type Harness, SECRET, SESSIONS, startHarness } from './harness';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('lineage pictures through the real Bolt app', () => {
  let h: Harness;
  const logs: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    h = await startHarness({ log });
  });
  afterAll(async () => {
    await h.close();
  });

  const logged = async (msg: string, channel: string): Promise<Record<string, unknown> | undefined> => {
    const deadline = Date.now() + 5000;
    while (!logs.some((l) => l.msg === msg && l.channel === channel) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return logs.find((l) => l.msg === msg && l.channel === channel);
  };

  const ask = async (text: string, channel: string): Promise<{ mention: Record<string, unknown>; answer: RecordedCall }> => {
    const mention = P.appMention({ text, channel });
    expect((await h.event(P.eventCallback(mention))).status).toBe(200);
    const answer = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === channel && c.args.thread_ts === mention.ts);
    return { mention, answer };
  };

  it('"show me the lineage of X" posts the text answer, then the picture with the list in the same thread', async () => {
    const { mention, answer } = await ask('show me the lineage of game_log.sessions', 'C0LINEAGE1');
    expect(blocksText(answer.args.blocks)).toContain(`kind=lineage table=${SESSIONS}`);
    const done = await h.fake.waitForCall('files.completeUploadExternal', (c) => c.args.channel_id === 'C0LINEAGE1', 15_000);
    expect(done.status).toBe(200);
    expect(done.response.ok).toBe(true);
    expect(done.args.thread_ts).toBe(mention.ts);
    expect(done.at).toBeGreaterThanOrEqual(answer.at);
    // the text list beside the picture: both directions, two hops down, the dashboards
    const comment = String(done.args.initial_comment);
    expect(comment).toContain('*Lineage of `game_log.sessions`*');
    expect(comment).toMatch(/\*Upstream, 1 hop:\* `game_log\.client_events`/);
    expect(comment).toMatch(/\*Downstream, 1 hop:\*.*`game_log\.daily_active_users`/);
    expect(comment).toMatch(/\*Downstream, 2 hops:\*.*`bi_mart\.kpi_daily_summary`/);
    // the bytes that reached the upload URL are a PNG of bounded size
    const id = (done.args.files as Array<{ id: string }>)[0]!.id;
    const file = h.fake.file(id)!;
    expect(file.completed).toBe(true);
    expect(file.filename).toBe('lineage-game_log.sessions.png');
    expect(file.altText).toMatch(/^Lineage graph of game_log\.sessions/);
    expect(file.bytes!.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.bytes!.readUInt32BE(16)).toBeLessThanOrEqual(1600);
    expect(file.bytes!.readUInt32BE(20)).toBeLessThanOrEqual(1600);
    // in the channel's history, in the question's thread
    expect(h.fake.history('C0LINEAGE1').filter((m) => m.thread_ts === mention.ts).map((m) => (m.files ? 'picture' : 'text'))).toEqual(['text', 'picture']);
    expect(await logged('lineage picture posted', 'C0LINEAGE1')).toMatchObject({ table: SESSIONS, omitted: 0 });
  });

  it('without files:write, the text answer still goes out and the log says why there is no picture', async () => {
    h.fake.revokeScope('files:write');
    try {
      const { answer } = await ask('what is game_log.daily_active_users built from?', 'C0LINEAGE2');
      expect(answer.response.ok).toBe(true);
      expect(blocksText(answer.args.blocks)).toContain('kind=lineage table=hive://gold.game_log/daily_active_users');
      await h.fake.waitForCall('files.getUploadURLExternal', (c) => c.response.error === 'missing_scope');
      expect(await logged('lineage picture not posted', 'C0LINEAGE2')).toMatchObject({ reason: 'missing_scope', needed: 'files:write', stage: 'upload' });
      expect(h.fake.callsTo('files.completeUploadExternal').filter((c) => c.args.channel_id === 'C0LINEAGE2')).toHaveLength(0);
      // no apology either: the answer was given
      expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0LINEAGE2')).toHaveLength(1);
    } finally {
      h.fake.grantScope('files:write');
    }
  });

  it('in a DM, the picture goes into the DM itself', async () => {
    const dm = P.directMessage({ text: 'show me the lineage of game_log.sessions', channel: 'D0LINEAGE3' });
    await h.event(P.eventCallback(dm));
    const done = await h.fake.waitForCall('files.completeUploadExternal', (c) => c.args.channel_id === 'D0LINEAGE3', 15_000);
    expect(done.response.ok).toBe(true);
    expect(done.args.thread_ts).toBeUndefined();
  });

  describe("the card's Lineage picture button", () => {
    const cardButton = async (): Promise<{ action_id: string; value: string }> => {
      const r = await h.command('game_log.sessions');
      const [card] = await h.responses(r.responseUrl);
      return findButton(card!.args.blocks, ACTION.lineagePicture);
    };

    it('on a card posted in a channel, posts the picture in the card’s thread', async () => {
      const b = await cardButton();
      const cardTs = P.messageTs();
      const click = P.blockAction({ actionId: b.action_id, value: b.value, channelId: 'C0LINEAGE4', messageTs: cardTs, ephemeral: false, triggerId: h.fake.issueTriggerId(), responseUrl: h.fake.responseUrl() });
      expect((await P.postInteraction(h.url, SECRET, click)).status).toBe(200);
      const done = await h.fake.waitForCall('files.completeUploadExternal', (c) => c.args.channel_id === 'C0LINEAGE4', 15_000);
      expect(done.response.ok).toBe(true);
      expect(done.args.thread_ts).toBe(cardTs);
      expect(String(done.args.initial_comment)).toContain('*Lineage of `game_log.sessions`*');
    });

    it('on a card only the person sees, sends the picture to their DM and says so', async () => {
      const b = await cardButton();
      const click = await h.click(b.action_id, b.value, { user: 'U0PICTURE5' });
      const done = await h.fake.waitForCall('files.completeUploadExternal', (c) => c.args.channel_id === 'D0PICTURE5', 15_000);
      expect(done.response.ok).toBe(true);
      const [notice] = await h.responses(click.responseUrl);
      expect(blocksText(notice!.args.blocks)).toContain('I sent you the lineage picture in our DM');
    });

    it('when the upload is refused, tells the person why, with the lineage in words', async () => {
      const b = await cardButton();
      h.fake.addChannel({ id: 'C0LINEAGE6', isMember: false });
      const responseUrl = h.fake.responseUrl();
      const click = P.blockAction({ actionId: b.action_id, value: b.value, channelId: 'C0LINEAGE6', ephemeral: false, triggerId: h.fake.issueTriggerId(), responseUrl });
      await P.postInteraction(h.url, SECRET, click);
      const [notice] = await h.responses(responseUrl, 1, 15_000);
      const text = blocksText(notice!.args.blocks);
      expect(text).toContain("I'm not in this channel");
      expect(text).toMatch(/\*Upstream, 1 hop:\* `game_log\.client_events`/);
      expect(await logged('lineage picture not posted', 'C0LINEAGE6')).toMatchObject({ reason: 'not_in_channel', stage: 'upload' });
    });
  });

  it('with NANSEN_LINEAGE_PICTURES=0, answers in words only', async () => {
    const off = await startHarness({ lineagePictures: false });
    try {
      const mention = P.appMention({ text: 'show me the lineage of game_log.sessions', channel: 'C0LINEAGE7' });
      await off.event(P.eventCallback(mention));
      const answer = await off.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
      expect(blocksText(answer.args.blocks)).toContain(`kind=lineage table=${SESSIONS}`);
      await new Promise((r) => setTimeout(r, 300));
      expect(off.fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});
