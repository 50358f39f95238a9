import { ACTION, SHORTCUT } from '../../src/render/blocks-actions';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, findButton, findMenuOption, type Harness, MINSU, startHarness } from './harness';

/** Issue 12 item 7: what a Korean asker used to see in English outside answers and alerts. */
describe('the rest of the Slack surfaces in Korean for a ko-KR user, through the real Bolt app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.fake.setUserLocale(MINSU, 'ko-KR');
  });
  afterAll(async () => {
    await h.close();
  });

  it('welcomes them in Korean the first time they open the Messages tab', async () => {
    await h.event(P.eventCallback(P.appHomeOpened(MINSU, 'messages')));
    const dm = await h.fake.waitForCall('chat.postMessage', (c) => blocksText(c.args.blocks).includes('Nansen'));
    expect(blocksText(dm.args.blocks)).toContain('안녕하세요, *Nansen*입니다.');
  });

  it('opens the owner picker in Korean', async () => {
    const r = await h.command('game_log.sessions', { user: MINSU });
    const [card] = await h.responses(r.responseUrl);
    const option = findMenuOption(card!.args.blocks, 'owners');
    const click = await h.click(option.action_id, option.value, { user: MINSU, responseUrl: r.responseUrl, selectedOption: option.selectedOption });
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
    const text = JSON.stringify((open.response as { view: unknown }).view);
    expect(text).toContain('Slack에 있는 사람');
    expect(text).toContain('사람 선택');
    expect(text).not.toContain('Pick people');
  });

  it('opens the Ask Nansen dialog in Korean', async () => {
    const r = await h.shortcut(SHORTCUT.askNansen, { text: 'game_log.sessions 언제 업데이트됐어?', user: 'U0OTHER001', ts: P.messageTs() }, { user: MINSU, channel: 'C0GENERAL1' });
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === r.triggerId);
    const view = (open.response as { view: { title: { text: string }; submit: { text: string }; blocks: unknown } }).view;
    expect(view.title.text).toBe('Nansen에게 묻기');
    expect(view.submit.text).toBe('묻기');
    expect(blocksText(view.blocks)).toContain('이 메시지에 답하겠습니다:');
    expect(blocksText(view.blocks)).toContain('메시지 스레드에 답하기');
  });

  it('shares a card in Korean, attributed in Korean', async () => {
    const r = await h.command('game_log.sessions', { user: MINSU });
    const [card] = await h.responses(r.responseUrl);
    const share = findButton(card!.args.blocks, ACTION.share);
    await h.click(share.action_id, share.value, { user: MINSU, responseUrl: r.responseUrl });
    const [, shared] = await h.responses(r.responseUrl, 2);
    expect(shared!.args.response_type).toBe('in_channel');
    expect(blocksText(shared!.args.blocks)).toContain(`<@${MINSU}> 님이 공유함`);
    expect(blocksText(shared!.args.blocks)).toContain('*SQL용 이름*');
  });

  it('posts the lineage picture with a Korean caption', async () => {
    const r = await h.command('game_log.sessions', { user: MINSU });
    const [card] = await h.responses(r.responseUrl);
    const picture = findButton(card!.args.blocks, ACTION.lineagePicture);
    await h.click(picture.action_id, picture.value, { user: MINSU, responseUrl: r.responseUrl });
    const done = await h.fake.waitForCall('files.completeUploadExternal', () => true);
    const args = JSON.stringify(done.args);
    expect(args).toContain('리니지');
    expect(args).not.toContain('Lineage of');
    const [, notice] = await h.responses(r.responseUrl, 2);
    expect(blocksText(notice!.args.blocks)).toContain('리니지 그림을 DM으로 보내 드렸습니다.');
  });

  it('says a bad subscription pattern in Korean', async () => {
    const r = await h.command('subscribe no-dot', { user: MINSU });
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('구독할 수 없습니다');
  });
});
