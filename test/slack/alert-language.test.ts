import { deliverAlert, PermanentDeliveryError } from '../../src/alerts/deliver';
import { runDailyDigest } from '../../src/alerts/digest';
import { commitPlan, planAlerts, type AlertDelivery } from '../../src/alerts/plan';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import { silentLogger } from '../../src/log/logger';
import type { SubscriptionLanguage } from '../../src/ports/alert-store';
import { schemaChange } from '../alerts/fixtures';
import { blocksText, type Harness, JIWOO, MINSU, SESSIONS, startHarness } from './harness';

/** Issue 12 item 7: alerts and digests in the language of the subscription, chosen when `/data subscribe` ran. */
describe('alerts in the subscription’s language, through the real Bolt app', () => {
  let h: Harness;
  let crawl = 0;
  beforeAll(async () => {
    h = await startHarness();
    h.fake.setUserLocale(MINSU, 'ko-KR');
    h.fake.setUserLocale(JIWOO, 'en-US');
  });
  afterAll(async () => {
    await h.close();
  });

  async function subscribe(channel: string, user: string, text = 'subscribe game_log.*'): Promise<string> {
    h.fake.addChannel({ id: channel });
    const r = await h.command(text, { channel, user });
    const [reply] = await h.responses(r.responseUrl);
    return blocksText(reply!.args.blocks);
  }

  const poster = () => new WebClientPoster({ token: h.fake.options.botToken, apiUrl: h.fake.apiUrl, timeoutMs: 5000 });
  const deliver = (d: AlertDelivery, defaultLanguage?: SubscriptionLanguage) =>
    deliverAlert(d, { store: h.deps.alerts, graph: h.deps.graph, slack: poster(), limiter: new MemoryChannelRateLimiter(0), logger: silentLogger(), ...(defaultLanguage ? { defaultLanguage } : {}) });

  /** Plans a crawl that adds a column to game_log.sessions; returns the delivery to `channel`. */
  async function crawlFor(channel: string): Promise<AlertDelivery> {
    const n = ++crawl;
    const plan = await planAlerts(
      { source: 'hive:gold', crawlId: `crawl-${n}`, finishedAt: new Date().toISOString(), changes: [schemaChange(SESSIONS, 'column_added', { column: `col_${n}`, newValue: 'bigint' }), schemaChange(SESSIONS, 'column_removed', { column: `old_${n}`, oldValue: 'int' })] },
      { store: h.deps.alerts, graph: h.deps.graph, ownerDms: false },
    );
    await commitPlan(plan, { store: h.deps.alerts, sink: { enqueue: async () => undefined } });
    const delivery = plan.deliveries.find((d) => d.target.kind === 'channel' && d.target.channel === channel);
    expect(delivery).toBeDefined();
    return delivery!;
  }

  const postedTo = (channel: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response.ok === true);
  const lastPosted = (channel: string) => postedTo(channel).at(-1)!;

  it('a ko-KR user subscribes (a Korean reply); the channel’s schema-change alert comes in Korean', async () => {
    const reply = await subscribe('C0KOREAN01', MINSU);
    expect(reply).toContain('이제 이 채널에 `game_log.*`의 스키마 변경을 발견되는 대로 알려 드립니다.');
    expect((await h.deps.alerts.listSubscriptions('C0KOREAN01'))[0]!.language).toBe('ko');

    const d = await crawlFor('C0KOREAN01');
    expect(d.language).toBe('ko');
    expect((await deliver(d, 'en')).status).toBe('sent');
    const posted = lastPosted('C0KOREAN01');
    const text = blocksText(posted.args.blocks);
    expect(text).toContain('hive:gold 스키마 변경');
    expect(text).toMatch(/테이블 1개, 변경 2건: \*호환성 깨짐 1건\* · 추가 1건\./);
    expect(text).toContain(`*\`old_${crawl}\` 컬럼 삭제* (이전 \`int\`)`);
    expect(text).toContain(`\`col_${crawl}\` 컬럼 추가 (\`bigint\`)`);
    expect(text).toContain('*소유자:*');
    expect(text).toContain('테이블 카드 열기');
    expect(text).toContain('이 채널에서 알림 끄기');
    expect(text).not.toMatch(/Schema changes|Owners|Open table card|column .* added/);
    expect(String(posted.args.text)).toMatch(/^hive:gold 스키마 변경: 테이블 1개, 호환성 깨짐 1건, 추가 1건/);
  });

  it('an en-US user subscribes; the alert comes in English, even with NANSEN_LANGUAGE=ko', async () => {
    const reply = await subscribe('C0ENGLISH1', JIWOO);
    expect(reply).toContain('This channel will now hear about schema changes of `game_log.*` as they are found.');
    expect((await h.deps.alerts.listSubscriptions('C0ENGLISH1'))[0]!.language).toBe('en');
    const d = await crawlFor('C0ENGLISH1');
    expect((await deliver(d, 'ko')).status).toBe('sent');
    const text = blocksText(lastPosted('C0ENGLISH1').args.blocks);
    expect(text).toContain('Schema changes in hive:gold');
    expect(text).toContain(`*column \`old_${crawl}\` removed* (was \`int\`)`);
    expect(text).toContain('Open table card');
    expect(text).not.toMatch(/[가-힣]/);
  });

  it('an old subscription without a language falls back to NANSEN_LANGUAGE', async () => {
    h.fake.addChannel({ id: 'C0OLDSUB01' });
    // as a row written before subscriptions kept a language
    await h.deps.alerts.subscribe({ channel: 'C0OLDSUB01', pattern: 'game_log.*', mode: 'live', createdBy: JIWOO, createdAt: '2026-10-01T00:00:00Z' });
    const ko = await crawlFor('C0OLDSUB01');
    expect(ko.language).toBeUndefined();
    await deliver(ko, 'ko');
    expect(blocksText(lastPosted('C0OLDSUB01').args.blocks)).toContain('hive:gold 스키마 변경');
    const en = await crawlFor('C0OLDSUB01');
    await deliver(en);
    expect(blocksText(lastPosted('C0OLDSUB01').args.blocks)).toContain('Schema changes in hive:gold');
  });

  it('the daily digest is in the language of the channel’s digest subscription', async () => {
    const reply = await subscribe('C0DIGESTKO', MINSU, 'subscribe game_log.* --digest daily');
    expect(reply).toContain('하루 한 번 요약으로');
    await crawlFor('C0KOREAN01'); // buffers the change for the digest channel too
    const queued: AlertDelivery[] = [];
    await runDailyDigest({ store: h.deps.alerts, sink: { enqueue: async (ds) => void queued.push(...ds) }, timeZone: 'Asia/Seoul' });
    const digest = queued.find((d) => d.target.kind === 'channel' && d.target.channel === 'C0DIGESTKO');
    expect(digest?.language).toBe('ko');
    expect((await deliver(digest!, 'en')).status).toBe('sent');
    const text = blocksText(lastPosted('C0DIGESTKO').args.blocks);
    expect(text).toContain(':newspaper: 스키마 변경 일일 요약');
    expect(text).toContain('지난 요약 이후 모인 변경');
  });

  it('/data subscriptions and the broken-subscription notice are in Korean for a Korean subscriber', async () => {
    const list = await h.command('subscriptions', { channel: 'C0KOREAN01', user: MINSU });
    const [listed] = await h.responses(list.responseUrl);
    const shown = blocksText(listed!.args.blocks);
    expect(shown).toContain('*이 채널의 구독 (1개):*');
    expect(shown).toContain(`• \`game_log.*\` (<@${MINSU}> 님)`);
    expect(shown).toContain('DM으로 받고 있습니다');

    h.fake.removeApp('C0KOREAN01');
    await expect(deliver(await crawlFor('C0KOREAN01'), 'en')).rejects.toThrow(PermanentDeliveryError);
    const dm = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === MINSU && c.response.ok === true && blocksText(c.args.blocks).includes('<#C0KOREAN01>'));
    expect(dm).toHaveLength(1);
    expect(blocksText(dm[0]!.args.blocks)).toContain('채널로 가는 스키마 변경 알림이 멈췄습니다: Nansen이 더 이상 채널 멤버가 아닙니다');
    expect(String(dm[0]!.args.text)).toBe('채널 C0KOREAN01의 스키마 변경 알림이 멈췄습니다');
  });

  it('a Korean user’s mistakes and mutes are answered in Korean', async () => {
    expect(await subscribe('C0KOREAN02', MINSU, 'subscribe a.* b.*')).toContain('패턴은 한 번에 하나만 주세요.');
    expect(await subscribe('C0KOREAN02', MINSU, 'mute game_log.sessions')).toContain('이 채널에서 `hive://gold.game_log/sessions`의 알림을 껐습니다.');
    const r = await h.command('mute no_such.table', { channel: 'C0KOREAN02', user: MINSU });
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('no_such.table이라는 테이블을 모릅니다.');
  });
});
