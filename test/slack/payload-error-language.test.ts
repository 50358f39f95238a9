import { ACTION, INPUT, VIEW } from '../../src/render/blocks-actions';
import { blocksText, findMenuOption, type Harness, JIWOO, SESSIONS, startHarness, startKoreanDefaultHarness, STRANGER } from './harness';

const BAD_BUTTON_KO = '그 버튼의 데이터를 알아볼 수 없었습니다. `/data`를 다시 실행해 새 버튼을 써 주세요.';
const BAD_DIALOG_KO = '이 창의 데이터를 알아볼 수 없었습니다. 창을 닫고 테이블 카드를 다시 열어 주세요.';
const BAD_BUTTON_EN = "That button's data didn't make sense to me. Please run `/data` again and use the fresh buttons.";
const NO_ENGLISH = /didn't make sense|isn't one I know|don't know that dialog|no columns to save/;

/**
 * Issue 12 item 7: a button or dialog whose data fails validation (tampered, or left from an older Nansen) is
 * answered in the person's language, looked up from their Slack locale as any reply is, though the failure comes
 * before anything else tells Nansen who they are. Each person here clicks for the first time, so nothing is cached.
 */
describe('errors for tampered or stale button and dialog data, in the person’s language', () => {
  describe('with NANSEN_LANGUAGE unset (en)', () => {
    let h: Harness;
    let n = 0;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    /** A new ko-KR person, never seen by the bot. */
    function koreanUser(): string {
      const id = `U0KOREAN${String(++n).padStart(2, '0')}`;
      h.fake.setUserLocale(id, 'ko-KR');
      return id;
    }
    const dmTo = async (user: string) => blocksText((await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === user)).args.blocks);

    it('a button with a tampered value', async () => {
      const user = koreanUser();
      const click = await h.click(ACTION.bookmark, '{"key": 42}', { user });
      expect(click.status).toBe(200);
      const [told] = await h.responses(click.responseUrl);
      const text = blocksText(told!.args.blocks);
      expect(text).toContain(BAD_BUTTON_KO);
      expect(text).not.toMatch(NO_ENGLISH);
    });

    it('a card menu option with a tampered value', async () => {
      const user = koreanUser();
      const click = await h.click(`${ACTION.cardMenu}:0`, '', { user, selectedOption: { text: 'Edit description', value: '{"a":"drop","key":"x","v":0}' } });
      const [told] = await h.responses(click.responseUrl);
      expect(blocksText(told!.args.blocks)).toContain(BAD_BUTTON_KO);
    });

    it('a button Nansen no longer renders', async () => {
      const user = koreanUser();
      const click = await h.click('nansen.something.old', '{}', { user });
      const [told] = await h.responses(click.responseUrl);
      const text = blocksText(told!.args.blocks);
      expect(text).toContain('이제는 알 수 없는 버튼입니다.');
      expect(text).not.toMatch(NO_ENGLISH);
    });

    it('an edit dialog with tampered metadata, and one with no columns to save', async () => {
      const user = koreanUser();
      const r = await h.submit({ id: 'V0FORGED11', type: 'modal', callback_id: VIEW.editDescription, private_metadata: '{"key":', blocks: [] }, { [INPUT.description]: { [INPUT.value]: 'forged' } }, user);
      expect(r.status).toBe(200);
      const text = await dmTo(user);
      expect(text).toContain(BAD_DIALOG_KO);
      expect(text).not.toMatch(NO_ENGLISH);

      const other = koreanUser();
      await h.submit({ id: 'V0FORGED12', type: 'modal', callback_id: VIEW.editColumns, private_metadata: JSON.stringify({ key: SESSIONS, v: 0, cols: [] }), blocks: [] }, {}, other);
      expect(await dmTo(other)).toContain('그 창에는 저장할 컬럼이 없었습니다.');
      expect(await h.deps.graph.recentEdits(10)).toHaveLength(0);
    });

    it('an Ask Nansen dialog with tampered metadata', async () => {
      const user = koreanUser();
      const view = { id: 'V0FORGED13', type: 'modal', callback_id: VIEW.ask, private_metadata: JSON.stringify({ ch: 'C0ASK00009', ts: 'x', q: '' }), blocks: [] };
      const r = await h.submit(view, { [INPUT.askWhere]: { [INPUT.where]: { selected_option: { value: 'thread' } } } }, user);
      expect(r.body).toBe('');
      expect(await dmTo(user)).toContain('이 창의 데이터를 알아볼 수 없었습니다. 메시지에서 Nansen에게 묻기를 다시 사용해 주세요.');
    });

    it('a stale button: its table is gone, or its edit', async () => {
      const user = koreanUser();
      const click = await h.click(ACTION.bookmark, JSON.stringify({ key: 'hive://gold.game_log/dropped_last_week' }), { user });
      const [told] = await h.responses(click.responseUrl);
      expect(blocksText(told!.args.blocks)).toContain('hive://gold.game_log/dropped_last_week 테이블을 찾지 못했습니다.');
      const revert = await h.click(ACTION.revert, JSON.stringify({ id: 'edit-gone', key: SESSIONS, v: 0 }), { user });
      const [toldRevert] = await h.responses(revert.responseUrl);
      expect(blocksText(toldRevert!.args.blocks)).toContain('그 편집을 더 이상 찾을 수 없습니다.');
      expect(blocksText(toldRevert!.args.blocks)).not.toMatch(/couldn't find/);
    });

    it('an edit dialog’s field errors (input it refuses) for a Korean user', async () => {
      const user = koreanUser();
      const r = await h.command('game_log.sessions', { user });
      const [card] = await h.responses(r.responseUrl);
      const option = findMenuOption(card!.args.blocks, 'description');
      const click = await h.click(option.action_id, option.value, { user, responseUrl: r.responseUrl, selectedOption: option.selectedOption });
      const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
      const view = (open.response as { view: Record<string, unknown> }).view;
      const long = await h.submit(view, { [INPUT.description]: { [INPUT.value]: 'x'.repeat(2600) } }, user);
      expect((long.json as { errors: Record<string, string> }).errors[INPUT.description]).toBe('2,600자입니다. 설명은 2,000자 이하로 써 주세요.');
      const empty = await h.submit(view, { [INPUT.description]: { [INPUT.value]: '  ' } }, user);
      expect((empty.json as { errors: Record<string, string> }).errors[INPUT.description]).toBe('설명을 써 주세요(지금 설명을 그대로 두려면 창을 닫아 주세요).');
      expect(await h.deps.graph.recentEdits(10)).toHaveLength(0);
    });

    it('a dialog Nansen no longer knows', async () => {
      const user = koreanUser();
      await h.submit({ id: 'V0FORGED14', type: 'modal', callback_id: 'nansen.view.gone', private_metadata: '', blocks: [] }, {}, user);
      expect(await dmTo(user)).toContain('이제는 알 수 없는 창이라 아무것도 저장하지 않았습니다.');
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

    it('someone users.info does not know gets NANSEN_LANGUAGE; an en-US person gets English', async () => {
      // STRANGER is not in the workspace: users.info answers user_not_found
      const click = await h.click(ACTION.bookmark, 'not json', { user: STRANGER });
      const [told] = await h.responses(click.responseUrl);
      expect(blocksText(told!.args.blocks)).toContain(BAD_BUTTON_KO);
      expect(h.fake.callsTo('users.info').some((c) => c.args.user === STRANGER && c.response.ok === false)).toBe(true);

      const en = await h.click(ACTION.bookmark, 'not json', { user: JIWOO });
      const [toldEn] = await h.responses(en.responseUrl);
      expect(blocksText(toldEn!.args.blocks)).toContain(BAD_BUTTON_EN);
    });

    it('a failing look-up (scope taken away) never stops the reply: NANSEN_LANGUAGE', async () => {
      h.fake.revokeScope('users:read');
      try {
        h.fake.setUserLocale('U0NOSCOPE1', 'en-US');
        const click = await h.click(ACTION.bookmark, 'not json', { user: 'U0NOSCOPE1' });
        const [told] = await h.responses(click.responseUrl);
        expect(blocksText(told!.args.blocks)).toContain(BAD_BUTTON_KO);
      } finally {
        h.fake.grantScope('users:read');
      }
    });
  });
});
