import { ACTION } from '../../src/render/blocks-actions';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, findButton, findMenuOption, type Harness, JIWOO, MINSU, STRANGER, startHarness, startKoreanDefaultHarness } from './harness';

/** Issue 12 item 7: replies in the asker's language (Slack locale, else their last question, else NANSEN_LANGUAGE). */
describe('replies in the asker’s language, through the real Bolt app', () => {
  describe('with NANSEN_LANGUAGE unset (en)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
      h.fake.setUserLocale(MINSU, 'ko-KR');
      h.fake.setUserLocale(JIWOO, 'en-US');
    });
    afterAll(async () => {
      await h.close();
    });

    it('gives a ko-KR user a Korean table card, asking users.info for the locale once', async () => {
      const r = await h.command('game_log.sessions', { user: MINSU });
      const [reply] = await h.responses(r.responseUrl);
      const text = blocksText(reply!.args.blocks);
      expect(text).toContain('*SQL용 이름*');
      expect(text).toContain('*마지막 업데이트*');
      expect(text).toContain('*적재 주기*');
      expect(text).toMatch(/매시간, 매시 1\d분 무렵/);
      expect(text).toContain(':bell: 변경 알림 받기');
      expect(text).not.toContain('Last updated');
      expect(findMenuOption(reply!.args.blocks, 'description').selectedOption.text).toBe('설명 편집');
      const lookups = h.fake.callsTo('users.info').filter((c) => c.args.user === MINSU);
      expect(lookups).toHaveLength(1);
      expect(String(lookups[0]!.args.include_locale)).toBe('true');
      // cached: a second command does not ask again
      const again = await h.command('help', { user: MINSU });
      await h.responses(again.responseUrl);
      expect(h.fake.callsTo('users.info').filter((c) => c.args.user === MINSU)).toHaveLength(1);
    });

    it('gives a ko-KR user Korean /data search results and help', async () => {
      const r = await h.command('latency by country', { user: MINSU });
      const [reply] = await h.responses(r.responseUrl);
      const text = blocksText(reply!.args.blocks);
      expect(text).toContain('검색 결과');
      expect(text).toMatch(/\d+(시간|일|분) 전 업데이트/);
      expect(findButton(reply!.args.blocks, ACTION.openCard)).toBeDefined();
      const help = await h.command('help', { user: MINSU });
      const [helpReply] = await h.responses(help.responseUrl);
      expect(blocksText(helpReply!.args.blocks)).toContain('카탈로그의 데이터를 찾고 설명해 드립니다');
    });

    it('opens the card in Korean from a Korean result list ("열기")', async () => {
      const r = await h.command('latency by country', { user: MINSU });
      const [reply] = await h.responses(r.responseUrl);
      const open = findButton(reply!.args.blocks, ACTION.openCard);
      await h.click(open.action_id, open.value, { user: MINSU, responseUrl: r.responseUrl });
      const [, card] = await h.responses(r.responseUrl, 2);
      expect(blocksText(card!.args.blocks)).toContain('*SQL용 이름*');
    });

    it('opens the edit dialog in Korean for a ko-KR user (locale already cached)', async () => {
      const r = await h.command('game_log.sessions', { user: MINSU });
      const [card] = await h.responses(r.responseUrl);
      const option = findMenuOption(card!.args.blocks, 'description');
      const click = await h.click(option.action_id, option.value, { user: MINSU, responseUrl: r.responseUrl, selectedOption: option.selectedOption });
      const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
      expect(open.response.ok).toBe(true);
      const view = (open.response as { view: { title: { text: string }; submit: { text: string }; close: { text: string }; blocks: unknown } }).view;
      expect(view.title.text).toBe('설명 편집');
      expect(view.submit.text).toBe('저장');
      expect(view.close.text).toBe('취소');
      expect(blocksText(view.blocks)).toContain('설명');
    });

    it('publishes App Home in Korean for a ko-KR user, in English for an en-US one', async () => {
      await h.event(P.eventCallback(P.appHomeOpened(MINSU)));
      const ko = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === MINSU);
      expect(blocksText((ko.args.view as { blocks: unknown }).blocks)).toContain('*인기 테이블*');
      await h.event(P.eventCallback(P.appHomeOpened(JIWOO)));
      const en = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === JIWOO);
      expect(blocksText((en.args.view as { blocks: unknown }).blocks)).toContain('*Popular tables*');
    });

    it('gives an en-US user English', async () => {
      const r = await h.command('game_log.sessions', { user: JIWOO });
      const [reply] = await h.responses(r.responseUrl);
      const text = blocksText(reply!.args.blocks);
      expect(text).toContain('*Name for SQL*');
      expect(text).toContain('*Last updated*');
      expect(text).toMatch(/hourly, around :1\d/);
      expect(text).not.toContain('SQL용 이름');
    });

    it('without a Slack locale, follows the language of the person’s last question', async () => {
      const before = await h.command('game_log.sessions', { user: STRANGER });
      const [en] = await h.responses(before.responseUrl);
      expect(blocksText(en!.args.blocks)).toContain('*Name for SQL*');
      const mention = P.appMention({ text: 'game_log.sessions 언제 업데이트됐어?', user: STRANGER, channel: 'C0LANG0001' });
      await h.event(P.eventCallback(mention));
      const answer = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
      expect(String(answer.args.text)).toContain('last_updated');
      const after = await h.command('game_log.sessions', { user: STRANGER });
      const [ko] = await h.responses(after.responseUrl);
      expect(blocksText(ko!.args.blocks)).toContain('*SQL용 이름*');
    });
  });

  describe('with NANSEN_LANGUAGE=ko', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startKoreanDefaultHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    it('answers a person without a Slack locale in Korean', async () => {
      const r = await h.command('game_log.sessions', { user: STRANGER });
      const [reply] = await h.responses(r.responseUrl);
      expect(blocksText(reply!.args.blocks)).toContain('*SQL용 이름*');
    });

    it('still answers an en-US person in English', async () => {
      const r = await h.command('help', { user: JIWOO });
      const [reply] = await h.responses(r.responseUrl);
      expect(blocksText(reply!.args.blocks)).toContain('finds and explains data in the catalog');
    });
  });
});
