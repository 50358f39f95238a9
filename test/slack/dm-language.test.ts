import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverAlert } from '../../src/alerts/deliver';
import { personalSubscribers } from '../../src/alerts/personal';
import { commitPlan, planAlerts, type AlertDelivery } from '../../src/alerts/plan';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import { MemoryChannelRateLimiter } from '../../src/adapters/memory/memory-channel-rate-limiter';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import { silentLogger } from '../../src/log/logger';
import type { SubscriptionLanguage } from '../../src/ports/alert-store';
import { ACTION } from '../../src/render/blocks-actions';
import { UserLanguages } from '../../src/slack/language';
import * as P from '../../tools/fake-slack/payloads';
import { schemaChange } from '../alerts/fixtures';
import { blocksText, findButton, type Harness, JIWOO, MINSU, SESSIONS, startHarness } from './harness';

/**
 * Issue 12 item 7, the direct messages the first pass left in English: owners' DMs about breaking changes (in the
 * owner's language) and people's own table subscriptions (in the language they subscribed in). The bot and the
 * worker share the user state file, as they do when embedded; the worker side is wired as src/main/worker.ts wires it.
 */
describe('direct messages in the person’s language, through the real Bolt app', () => {
  let h: Harness;
  let stateDir: string;
  let botState: SqliteUserStateStore;
  let workerState: SqliteUserStateStore;
  let crawl = 0;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nansen-dm-lang-'));
    botState = new SqliteUserStateStore(join(stateDir, 'state.sqlite'));
    workerState = new SqliteUserStateStore(join(stateDir, 'state.sqlite'));
    h = await startHarness({ userState: botState });
    h.fake.setUserLocale(MINSU, 'ko-KR');
  });
  afterAll(async () => {
    await h.close();
    await botState.close();
    await workerState.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const poster = () => new WebClientPoster({ token: h.fake.options.botToken, apiUrl: h.fake.apiUrl, timeoutMs: 5000 });

  /** Delivers as the worker does: a fresh process's language look-up (nothing cached) over the shared user state. */
  async function deliverAsWorker(d: AlertDelivery, defaultLanguage: SubscriptionLanguage): Promise<void> {
    const slack = poster();
    const languages = new UserLanguages({ fallback: defaultLanguage, questions: workerState });
    const outcome = await deliverAlert(d, {
      store: h.deps.alerts,
      graph: h.deps.graph,
      slack,
      limiter: new MemoryChannelRateLimiter(0),
      logger: silentLogger(),
      defaultLanguage,
      recipientLanguage: (user) => languages.of(slack.client, user),
    });
    expect(outcome.status).toBe('sent');
  }

  /** Plans a crawl that removes a column of game_log.sessions (breaking: its owner, Jiwoo, gets a DM). */
  async function breakingCrawl(withPersonal = false): Promise<AlertDelivery[]> {
    const n = ++crawl;
    const plan = await planAlerts(
      { source: 'hive:gold', crawlId: `dm-crawl-${n}`, finishedAt: new Date().toISOString(), changes: [schemaChange(SESSIONS, 'column_removed', { column: `gone_${n}`, oldValue: 'int' })] },
      { store: h.deps.alerts, graph: h.deps.graph, ...(withPersonal ? { extraSubscribers: personalSubscribers(workerState), ownerDms: false } : {}) },
    );
    await commitPlan(plan, { store: h.deps.alerts, sink: { enqueue: async () => undefined } });
    return plan.deliveries;
  }

  const ownerDm = (ds: AlertDelivery[]) => {
    const d = ds.find((x) => x.target.kind === 'owner_dm' && x.target.user === JIWOO);
    expect(d).toBeDefined();
    return d!;
  };
  const lastPostTo = (channel: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response.ok === true).at(-1)!;

  describe('owners’ DMs about breaking changes', () => {
    it('come in Korean to an owner whose Slack locale is ko-KR, with NANSEN_LANGUAGE=en', async () => {
      h.fake.setUserLocale(JIWOO, 'ko-KR');
      const d = ownerDm(await breakingCrawl());
      expect(d.language).toBeUndefined();
      await deliverAsWorker(d, 'en');
      const posted = lastPostTo(JIWOO);
      const text = blocksText(posted.args.blocks);
      expect(text).toContain(':warning: 소유하신 테이블의 호환성 깨짐 변경');
      expect(text).toContain('이 테이블들의 소유자라서 보내 드립니다.');
      expect(text).toContain('이 메시지 그만 받기');
      expect(text).toContain(`*\`gone_${crawl}\` 컬럼 삭제* (이전 \`int\`)`);
      expect(text).not.toMatch(/Breaking changes|you own|Stop these messages/);
      expect(String(posted.args.text)).toContain('소유하신 테이블의 호환성 깨짐 변경');
    });

    it('fall back to NANSEN_LANGUAGE for an owner with no known locale who never asked, even when users.info fails', async () => {
      h.fake.setUserLocale(JIWOO, undefined);
      await deliverAsWorker(ownerDm(await breakingCrawl()), 'en');
      expect(blocksText(lastPostTo(JIWOO).args.blocks)).toContain(':warning: Breaking changes to tables you own');
      await deliverAsWorker(ownerDm(await breakingCrawl()), 'ko');
      expect(blocksText(lastPostTo(JIWOO).args.blocks)).toContain(':warning: 소유하신 테이블의 호환성 깨짐 변경');
      h.fake.revokeScope('users:read');
      try {
        await deliverAsWorker(ownerDm(await breakingCrawl()), 'en');
        expect(blocksText(lastPostTo(JIWOO).args.blocks)).toContain(':warning: Breaking changes to tables you own');
      } finally {
        h.fake.grantScope('users:read');
      }
    });

    it('come in the language of the owner’s last question, recorded by the bot, when Slack gives no locale', async () => {
      h.fake.setUserLocale(JIWOO, undefined);
      await h.event(P.eventCallback(P.directMessage({ text: '국가별 레이턴시 테이블 있어요?', user: JIWOO, channel: 'D0JIWOO001' })));
      await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0JIWOO001');
      await waitFor(async () => (await workerState.questionLanguage(JIWOO)) === 'ko');
      await deliverAsWorker(ownerDm(await breakingCrawl()), 'en');
      expect(blocksText(lastPostTo(JIWOO).args.blocks)).toContain(':warning: 소유하신 테이블의 호환성 깨짐 변경');
    });
  });

  describe('people’s own table subscriptions', () => {
    it('a ko-KR person subscribes from the card (a Korean reply); the table’s alert DM comes in Korean', async () => {
      const r = await h.command('game_log.sessions', { user: MINSU });
      const [card] = await h.responses(r.responseUrl);
      const sub = findButton(card!.args.blocks, ACTION.subscribe);
      const click = await h.click(sub.action_id, sub.value, { user: MINSU });
      const [told] = await h.responses(click.responseUrl);
      expect(blocksText(told!.args.blocks)).toContain('의 스키마가 바뀌면 DM으로 알려 드립니다.');
      expect((await workerState.subscriptionsOf(MINSU))[0]).toMatchObject({ tableKey: SESSIONS, channel: MINSU, language: 'ko' });

      const d = (await breakingCrawl(true)).find((x) => x.target.kind === 'channel' && x.target.channel === MINSU);
      expect(d?.language).toBe('ko');
      await deliverAsWorker(d!, 'en');
      const text = blocksText(lastPostTo(MINSU).args.blocks);
      expect(text).toContain('hive:gold 스키마 변경');
      expect(text).toContain('테이블 카드 열기');
      expect(text).not.toMatch(/Schema changes|Open table card/);
    });

    it('a subscription made before languages were kept falls back to NANSEN_LANGUAGE', async () => {
      // as a row written before table subscriptions kept a language
      await workerState.toggleSubscription({ user: JIWOO, tableKey: SESSIONS, channel: JIWOO }, '2026-10-01T00:00:00Z');
      const old = (await breakingCrawl(true)).find((x) => x.target.kind === 'channel' && x.target.channel === JIWOO);
      expect(old?.language).toBeUndefined();
      await deliverAsWorker(old!, 'ko');
      expect(blocksText(lastPostTo(JIWOO).args.blocks)).toContain('hive:gold 스키마 변경');
      await deliverAsWorker((await breakingCrawl(true)).find((x) => x.target.kind === 'channel' && x.target.channel === JIWOO)!, 'en');
      expect(blocksText(lastPostTo(JIWOO).args.blocks)).toContain('Schema changes in hive:gold');
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
