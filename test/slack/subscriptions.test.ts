import { blocksText, type Harness, SESSIONS, startHarness } from './harness';

describe('schema-change subscriptions through the real Bolt app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('`/data subscribe game_log.*` in a channel, then `/data subscriptions` lists it', async () => {
    const sub = await h.command('subscribe game_log.*', { channel: 'C0ALERTS01' });
    expect(sub.status).toBe(200);
    const [reply] = await h.responses(sub.responseUrl);
    expect(reply!.args.response_type).toBe('ephemeral');
    expect(blocksText(reply!.args.blocks)).toMatch(/will now hear about schema changes of/);
    const list = await h.command('subscriptions', { channel: 'C0ALERTS01' });
    const [listed] = await h.responses(list.responseUrl);
    expect(blocksText(listed!.args.blocks)).toContain('game_log.*');
    expect((await h.deps.alerts.listSubscriptions('C0ALERTS01')).map((s) => s.pattern)).toEqual(['game_log.*']);
  });

  it('a bad pattern gets a polite error and writes nothing', async () => {
    const r = await h.command('subscribe ***', { channel: 'C0ALERTS02' });
    const [reply] = await h.responses(r.responseUrl);
    expect(reply!.args.response_type).toBe('ephemeral');
    expect(blocksText(reply!.args.blocks).length).toBeGreaterThan(0);
    expect(blocksText(reply!.args.blocks)).not.toMatch(/will now hear/);
    expect(await h.deps.alerts.listSubscriptions('C0ALERTS02')).toEqual([]);
  });

  it('clicking an alert’s mute_table button mutes the table in that channel', async () => {
    const r = await h.click('mute_table:1', SESSIONS);
    expect(r.status).toBe(200);
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toMatch(/Muted/);
    expect((await h.deps.alerts.listMutes('C0GENERAL1')).map((m) => m.tableKey)).toEqual([SESSIONS]);
  });
});
