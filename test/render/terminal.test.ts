import type { Answer } from '../../src/answering/types';
import { renderTerminal } from '../../src/render/terminal';
import type { Harness } from '../answering/helpers';
import { harness } from '../answering/helpers';

describe('terminal rendering', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('numbers search results and shows descriptions and match reasons', async () => {
    const out = renderTerminal(await h.ask('which table has ROAS per campaign?'));
    expect(out.split('\n')[0]).toBe('These tables match best:');
    expect(out).toMatch(/^ 1\. roas_daily hive · warehouse\.marketing/m);
    expect(out).toContain('ROAS');
  });

  it('shows people by name and id, and times in KST', async () => {
    expect(renderTerminal(await h.ask('who owns dim_customer?'))).toMatch(/Yuri Han \(yuri\.han\)/);
    const out = renderTerminal(await h.ask('fct_orders 마지막 업데이트 언제예요?'));
    expect(out).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d KST \(\d+시간 전\)에 마지막으로 업데이트되었습니다/);
    expect(out).toContain('적재 주기: 매일');
  });

  it('strips control characters from catalog text', () => {
    const a: Answer = { kind: 'owners', lang: 'en', now: '2026-01-01T00:00:00Z', refs: { tables: {}, dashboards: {}, users: { x: { id: 'x', name: 'Evil\u001b[31mRed' } } }, table: 'hive://a.b/c', subject: 'hive://a.b/c', users: ['x'] };
    expect(renderTerminal(a)).not.toContain('\u001b');
  });

  it('renders the table card and help', async () => {
    expect(renderTerminal(await h.ask('fct_orders'))).toContain('Columns (12):');
    expect(renderTerminal(await h.ask('도움말'))).toContain('물어보세요');
  });
});
