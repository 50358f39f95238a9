import { deliverAlert, PermanentDeliveryError } from '../../src/alerts/deliver';
import { commitPlan, planAlerts, type AlertDelivery } from '../../src/alerts/plan';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import { silentLogger } from '../../src/log/logger';
import { schemaChange } from '../alerts/fixtures';
import { blocksText, type Harness, JIWOO, MINSU, SESSIONS, startHarness } from './harness';

/** Issue 12 item 4: a subscription cannot fail silently. */
describe('subscriptions that cannot fail silently, through the real Bolt app', () => {
  let h: Harness;
  let crawl = 0;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function subscribeReply(channel: string, text = 'subscribe game_log.*', user = JIWOO): Promise<string> {
    const r = await h.command(text, { channel, user });
    expect(r.status).toBe(200);
    const [reply] = await h.responses(r.responseUrl);
    expect(reply!.args.response_type).toBe('ephemeral');
    return blocksText(reply!.args.blocks);
  }

  /** Plans a crawl's alert for a change to game_log.sessions and delivers it to `channel` with the real poster. */
  async function deliverTo(channel: string): Promise<{ delivery: AlertDelivery | undefined; run: () => ReturnType<typeof deliverAlert> }> {
    const deps = { store: h.deps.alerts, graph: h.deps.graph };
    const plan = await planAlerts({ source: 'hive:gold', crawlId: `crawl-${++crawl}`, finishedAt: new Date().toISOString(), changes: [schemaChange(SESSIONS, 'column_added', { column: `c${crawl}`, newValue: 'int' })] }, { ...deps, ownerDms: false });
    await commitPlan(plan, { store: h.deps.alerts, sink: { enqueue: async () => undefined } });
    const delivery = plan.deliveries.find((d) => d.target.kind === 'channel' && d.target.channel === channel);
    const slack = new WebClientPoster({ token: h.fake.options.botToken, apiUrl: h.fake.apiUrl, timeoutMs: 5000 });
    return { delivery, run: () => deliverAlert(delivery!, { ...deps, slack, limiter: new MemoryChannelRateLimiter(0), logger: silentLogger() }) };
  }

  const dmsTo = (user: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.response.ok === true);

  it('in a private channel Nansen is not in: says so, tells how to invite it, subscribes nothing', async () => {
    h.fake.addChannel({ id: 'G0SECRET01', isPrivate: true, isMember: false });
    const text = await subscribeReply('G0SECRET01');
    expect(text).toMatch(/not a member of this channel/);
    expect(text).toContain('/invite @Nansen');
    expect(text).toContain('/data subscribe game_log.*');
    expect(await h.deps.alerts.listSubscriptions('G0SECRET01')).toEqual([]);
    expect(h.fake.callsTo('conversations.join').filter((c) => c.args.channel === 'G0SECRET01')).toEqual([]);
  });

  it('in a public channel Nansen is not in: joins it (conversations.join), then subscribes', async () => {
    h.fake.addChannel({ id: 'C0PUBLIC01', isMember: false });
    const text = await subscribeReply('C0PUBLIC01');
    expect(text).toMatch(/I joined this channel/);
    expect(text).toMatch(/will now hear about schema changes of/);
    expect(h.fake.callsTo('conversations.join').filter((c) => c.args.channel === 'C0PUBLIC01' && c.response.ok === true)).toHaveLength(1);
    expect(h.fake.channel('C0PUBLIC01')!.isMember).toBe(true);
    expect((await h.deps.alerts.listSubscriptions('C0PUBLIC01')).map((s) => s.pattern)).toEqual(['game_log.*']);
    // A member already: no second join.
    await subscribeReply('C0PUBLIC01', 'subscribe tag:latency');
    expect(h.fake.callsTo('conversations.join').filter((c) => c.args.channel === 'C0PUBLIC01')).toHaveLength(1);
  });

  it('in an archived channel: says no alert can be posted there', async () => {
    h.fake.addChannel({ id: 'C0ARCHIVE1', isArchived: true });
    expect(await subscribeReply('C0ARCHIVE1')).toMatch(/archived/);
    expect(await h.deps.alerts.listSubscriptions('C0ARCHIVE1')).toEqual([]);
  });

  it('a delivery refused for good marks the channel broken, tells the subscriber once, shows it in /data subscriptions; subscribing again fixes it', async () => {
    h.fake.addChannel({ id: 'C0TEAM0001' });
    await subscribeReply('C0TEAM0001', 'subscribe game_log.*', JIWOO);
    await subscribeReply('C0TEAM0001', 'subscribe tag:latency', MINSU);
    const ok = await deliverTo('C0TEAM0001');
    expect((await ok.run()).status).toBe('sent');

    h.fake.removeApp('C0TEAM0001');
    const refused = await deliverTo('C0TEAM0001');
    await expect(refused.run()).rejects.toThrow(PermanentDeliveryError);
    expect(await h.deps.alerts.brokenChannels()).toEqual([expect.objectContaining({ channel: 'C0TEAM0001', code: 'not_in_channel' })]);
    for (const user of [JIWOO, MINSU]) {
      const dms = dmsTo(user).filter((c) => blocksText(c.args.blocks).includes('<#C0TEAM0001>'));
      expect(dms).toHaveLength(1);
      expect(blocksText(dms[0]!.args.blocks)).toMatch(/no longer a member/);
      expect(blocksText(dms[0]!.args.blocks)).toContain('/invite @Nansen');
    }
    // The same delivery retried: still refused, nobody is told twice; the next crawl plans nothing for the channel.
    await expect(refused.run()).rejects.toThrow(PermanentDeliveryError);
    expect(dmsTo(JIWOO).filter((c) => blocksText(c.args.blocks).includes('<#C0TEAM0001>'))).toHaveLength(1);
    expect((await deliverTo('C0TEAM0001')).delivery).toBeUndefined();

    const list = await h.command('subscriptions', { channel: 'C0TEAM0001', user: JIWOO });
    const [listed] = await h.responses(list.responseUrl);
    const shown = blocksText(listed!.args.blocks);
    expect(shown).toMatch(/Alerts to this channel are broken/);
    expect(shown).toMatch(/game_log\.\*.*broken/);
    expect(String(listed!.args.text)).toMatch(/broken/);

    // Invited back: subscribing again clears the mark and alerts flow again.
    h.fake.addChannel({ id: 'C0TEAM0001', isMember: true });
    expect(await subscribeReply('C0TEAM0001', 'subscribe game_log.*')).toMatch(/already hears about/);
    expect(await h.deps.alerts.brokenChannels()).toEqual([]);
    const again = await deliverTo('C0TEAM0001');
    expect((await again.run()).status).toBe('sent');
  });

  it.each([
    ['is_archived', (id: string) => h.fake.archiveChannel(id)],
    ['channel_not_found', (id: string) => h.fake.deleteChannel(id)],
  ])('a %s delivery marks the channel broken too', async (code, breakIt) => {
    const id = `C0GONE${code.length}`;
    h.fake.addChannel({ id });
    await subscribeReply(id, 'subscribe game_log.*', JIWOO);
    breakIt(id);
    const d = await deliverTo(id);
    await expect(d.run()).rejects.toMatchObject({ code });
    expect((await h.deps.alerts.brokenChannels()).find((b) => b.channel === id)?.code).toBe(code);
    expect(dmsTo(JIWOO).filter((c) => blocksText(c.args.blocks).includes(`<#${id}>`))).toHaveLength(1);
  });
});
