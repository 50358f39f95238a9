import type { Answer, AnswerRefs } from '../../src/answering/types';
import { renderSlack, SLACK_MAX_BLOCKS, SLACK_MAX_SECTION_TEXT } from '../../src/render/slack';
import type { SlackBlock } from '../../src/render/slack';
import type { Harness } from '../answering/helpers';
import { harness, shop } from '../answering/helpers';
import { escapeMrkdwn } from '../../src/text/mrkdwn';

const textOf = (b: SlackBlock): string => (b.type === 'section' ? b.text.text : b.type === 'context' ? b.elements.map((e) => e.text).join('\n') : '');
const allText = (blocks: SlackBlock[]): string => blocks.map(textOf).join('\n');
const emptyRefs = (): AnswerRefs => ({ tables: {}, dashboards: {}, users: {} });
const NOW = '2026-11-24T09:00:00.000Z';

function checkLimits(blocks: SlackBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
  }
}

describe('Slack rendering', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('mentions owners by Slack id when known, by name otherwise', async () => {
    const m = renderSlack(await h.ask('who owns fct_orders?'));
    const text = allText(m.blocks);
    expect(text).toContain('<@U0MINA0003>');
    expect(text).toContain('*Tom Becker*');
    expect(text).toContain('*fct_orders*');
    expect(m.text).toContain('fct_orders');
  });

  it('renders in the question language', async () => {
    const ko = allText(renderSlack(await h.ask('fct_orders 담당자 누구예요?')).blocks);
    expect(ko).toContain('담당자');
    const cadence = allText(renderSlack(await h.ask('is it hourly?', { thread: ['when was gmv_daily last updated?'] })).blocks);
    expect(cadence).toMatch(/^No — \*gmv_daily\* loads \*daily around \d\d:\d\d KST\*, not hourly\./);
    const koCadence = allText(renderSlack(await h.ask('업데이트 주기는?', { thread: ['gmv_daily 마지막 업데이트 언제예요?'] })).blocks);
    expect(koCadence).toContain('매일');
    expect(koCadence).toContain('KST');
  });

  it('a search lists results with why they matched and how fresh they are', async () => {
    const m = renderSlack(await h.ask('배송 지연율 테이블'));
    checkLimits(m.blocks);
    const contexts = m.blocks.filter((b) => b.type === 'context').map(textOf);
    expect(contexts.some((c) => c.includes('(이름)') || c.includes('(설명)'))).toBe(true);
    expect(contexts.some((c) => c.includes('업데이트'))).toBe(true);
  });

  it('says the table does not exist and offers the closest real names', async () => {
    const text = allText(renderSlack(await h.ask('who owns fct_order_detail?')).blocks);
    expect(text).toContain("I don't know a table named `fct_order_detail`");
    expect(text).toContain('fct_order_items');
  });

  it('warns when a table is late', async () => {
    expect(allText(renderSlack(await h.ask('when was email_campaign_results last updated?')).blocks)).toContain('⚠️');
  });

  it('escapes catalog text so it can never become a mention or a link', () => {
    const a: Answer = {
      kind: 'columns',
      lang: 'en',
      now: NOW,
      refs: { ...emptyRefs(), tables: { 'hive://x.y/t': { key: 'hive://x.y/t', name: 't<!channel>', database: 'hive', cluster: 'x', schema: 'y', tags: [], badges: [], deprecated: false } } },
      table: 'hive://x.y/t',
      subject: 'hive://x.y/t',
      mode: 'meaning',
      column: 'evil`col',
      type: 'string',
      description: 'client <-> server & <!here> <@U123|x> <https://evil.example|click>',
    };
    const text = allText(renderSlack(a).blocks);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123|<https:\/\/evil/);
    expect(text).toContain('client &lt;-&gt; server &amp;');
    expect(escapeMrkdwn('<a & b>')).toBe('&lt;a &amp; b&gt;');
  });

  it('keeps within 50 blocks and 3000 characters per section for huge answers', () => {
    const columns = Array.from({ length: 600 }, (_, i) => ({ name: `column_number_${i}`, type: 'string', description: 'x'.repeat(200) }));
    const list: Answer = { kind: 'columns', lang: 'en', now: NOW, refs: emptyRefs(), table: 'hive://x.y/t', subject: 'hive://x.y/t', mode: 'list', columns };
    checkLimits(renderSlack(list).blocks);
    const results = Array.from({ length: 80 }, (_, i) => ({ key: `hive://x.y/t${i}`, kind: 'table' as const, score: 1, coverage: 1, why: [{ word: 'w', field: 'name' as const }] }));
    const refs = emptyRefs();
    for (const r of results) refs.tables[r.key] = { key: r.key, name: r.key, database: 'hive', cluster: 'x', schema: 'y', description: 'd'.repeat(5000), tags: [], badges: ['certified'], deprecated: false };
    const find: Answer = { kind: 'find', lang: 'ko', now: NOW, refs, query: 'q', terms: [], corrections: [], kinds: ['table'], results, confident: true };
    const m = renderSlack(find, { maxItems: 80, maxDescription: 5000 });
    checkLimits(m.blocks);
    expect(textOf(m.blocks[m.blocks.length - 1]!)).toMatch(/외 \d+개/);
  });

  it('renders every kind without throwing, within limits', async () => {
    for (const ask of ['help', '', 'what was gmv yesterday?', 'fct_orders', 'where does fct_orders come from?', 'which dashboards use gmv_daily?', 'who uses fct_sessions most?', 'what does rfm_score mean in customer_rfm_segment?', 'redshift password', 'is there a table for drone telemetry?']) {
      const m = renderSlack(await h.ask(ask));
      checkLimits(m.blocks);
      expect(m.text.length).toBeGreaterThan(0);
    }
  });

  it('links dashboards', async () => {
    expect(allText(renderSlack(await h.ask('which dashboards use gmv_daily?')).blocks)).toContain('<https://looker.example.com/dashboards/daily_business|Daily Business>');
    expect(shop('gmv_daily')).toBeDefined();
  });
});
