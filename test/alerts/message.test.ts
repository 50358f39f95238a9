import { classifyChanges } from '../../src/alerts/classify';
import type { TableContext } from '../../src/alerts/context';
import { ALERT_ACTION_PATTERNS, ALERT_ACTIONS, buildAlertMessage, buildChangeListView, describeChange, fitLines, type Block } from '../../src/alerts/message';
import type { SchemaChange, SchemaChangeKind } from '../../src/domain/model';
import { blockProblems, viewProblems } from '../../tools/fake-slack/limits';

let n = 0;
function change(tableKey: string, kind: SchemaChangeKind, fields: Partial<SchemaChange> = {}): SchemaChange {
  return { id: `id${++n}`, source: 'postgres:wh', crawlId: 'crawl-7', at: '2026-11-24T08:00:00Z', tableKey, kind, ...fields };
}

function ctx(key: string, extra: Partial<TableContext> = {}): TableContext {
  const label = key.replace(/^.*\.([^./]+)\/(.+)$/, '$1.$2');
  return { key, label, known: true, removed: false, tags: [], owners: [], frequentUsers: [], downstream: [], dashboards: [], ...extra };
}

const textOf = (blocks: Block[]): string => JSON.stringify(blocks);
const buttons = (blocks: Block[]): Array<{ action_id: string; value?: string }> => blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory ? [b.accessory] : []));

describe('buildAlertMessage', () => {
  const orders = 'postgres://main.sales/orders';
  const customers = 'postgres://main.sales/customers';
  const changes = classifyChanges([
    change(customers, 'column_added', { column: 'email', newValue: 'text' }),
    change(orders, 'column_removed', { column: 'note', oldValue: 'text' }),
    change(orders, 'column_type_changed', { column: 'customer_id', oldValue: 'integer', newValue: 'bigint' }),
    change(orders, 'column_type_changed', { column: 'amount', oldValue: 'numeric(12,2)', newValue: 'text' }),
    change(customers, 'description_changed', { oldValue: 'People <who> buy', newValue: 'Customers & co' }),
  ]);
  const contexts = new Map([
    [
      orders,
      ctx(orders, {
        owners: [{ id: 'jiwoo.kim', name: 'Jiwoo Kim', slackId: 'U01JIWOO01' }, { id: 'hana.cho', name: 'Hana Cho' }],
        frequentUsers: [{ id: 'minsu.lee', name: 'Minsu Lee', slackId: 'U01MINSU01', reads: 120 }],
        downstream: [{ key: 'postgres://main.sales/big_orders', label: 'sales.big_orders' }],
        dashboards: [{ key: 'tableau://bi/revenue', name: 'Revenue Overview', url: 'https://tableau.example.com/revenue' }],
      }),
    ],
    [customers, ctx(customers)],
  ]);
  const msg = buildAlertMessage({ variant: { kind: 'live', source: 'postgres:wh', crawlId: 'crawl-7' }, changes, contexts, changeSetId: 'crawl:postgres:wh:crawl-7' });

  it('is valid Block Kit', () => {
    expect(blockProblems(msg.blocks, 50, '/blocks')).toEqual([]);
  });

  it('puts the table with breaking changes first, with old → new', () => {
    const sections = msg.blocks.filter((b): b is Extract<Block, { type: 'section' }> => b.type === 'section').map((b) => b.text.text);
    const ordersAt = sections.findIndex((s) => s.includes('sales.orders'));
    const customersAt = sections.findIndex((s) => s.includes('sales.customers'));
    expect(ordersAt).toBeGreaterThan(-1);
    expect(ordersAt).toBeLessThan(customersAt);
    const ordersText = sections[ordersAt]!;
    expect(ordersText).toContain(':red_circle:');
    expect(ordersText).toContain('*column `note` removed* (was `text`)');
    expect(ordersText).toContain('column `amount` type `numeric(12,2)` → `text` (changed)');
    expect(ordersText).toContain('column `customer_id` type `integer` → `bigint` (widened)');
    // breaking lines before additive ones
    expect(ordersText.indexOf('amount')).toBeLessThan(ordersText.indexOf('customer_id'));
  });

  it('shows owners, blast radius and frequent users, mentioning people with Slack ids', () => {
    const all = textOf(msg.blocks);
    expect(all).toContain('<@U01JIWOO01>');
    expect(all).toContain('Hana Cho');
    expect(all).toContain('`sales.big_orders`');
    expect(all).toContain('<https://tableau.example.com/revenue|Revenue Overview>');
    expect(all).toContain('<@U01MINSU01> (120)');
  });

  it('escapes text from the source', () => {
    const all = textOf(msg.blocks);
    expect(all).toContain('People &lt;who&gt; buy');
    expect(all).toContain('Customers &amp; co');
  });

  it('has open and mute buttons per table, valued with the table key', () => {
    const b = buttons(msg.blocks);
    expect(b.filter((x) => ALERT_ACTION_PATTERNS.openTableCard.test(x.action_id)).map((x) => x.value)).toEqual([orders, customers]);
    expect(b.filter((x) => ALERT_ACTION_PATTERNS.muteTable.test(x.action_id)).map((x) => x.value)).toEqual([orders, customers]);
    expect(b[0]!.action_id).toBe(ALERT_ACTIONS.openTableCard);
    expect(b.some((x) => x.action_id === ALERT_ACTIONS.showAllChanges)).toBe(false);
  });

  it('says what changed in the notification text', () => {
    expect(msg.text).toBe('Schema changes in postgres:wh: 2 breaking, 2 additive, 1 informational in 2 tables (sales.orders, sales.customers)');
  });

  it('leaves the mute button out of an owner DM and offers to stop them', () => {
    const dm = buildAlertMessage({ variant: { kind: 'owner_dm' }, changes, contexts, changeSetId: 'x' });
    const b = buttons(dm.blocks);
    expect(b.some((x) => ALERT_ACTION_PATTERNS.muteTable.test(x.action_id))).toBe(false);
    expect(b.some((x) => x.action_id === ALERT_ACTIONS.ownerDmOptOut)).toBe(true);
    expect(blockProblems(dm.blocks, 50, '/blocks')).toEqual([]);
  });

  it('summarises 200 changed tables within the limits, the full list one click away', () => {
    const many: SchemaChange[] = [];
    for (let i = 0; i < 200; i++) {
      const key = `postgres://main.schema_${i % 7}/table_with_a_rather_long_name_${String(i).padStart(3, '0')}`;
      many.push(change(key, 'column_removed', { column: `col_${i}`, oldValue: 'varchar(255)' }));
      many.push(change(key, 'column_added', { column: `new_col_${i}`, newValue: 'bigint' }));
      many.push(change(key, 'description_changed', { oldValue: 'x'.repeat(500), newValue: 'y'.repeat(500) }));
    }
    const classified = classifyChanges(many);
    const big = buildAlertMessage({ variant: { kind: 'live', source: 'postgres:wh', crawlId: 'crawl-7' }, changes: classified, contexts: new Map(), changeSetId: 'crawl:postgres:wh:crawl-7' });
    expect(big.blocks.length).toBeLessThanOrEqual(50);
    expect(blockProblems(big.blocks, 50, '/blocks')).toEqual([]);
    const show = buttons(big.blocks).find((x) => x.action_id === ALERT_ACTIONS.showAllChanges);
    expect(show?.value).toBe('crawl:postgres:wh:crawl-7');
    expect(textOf(big.blocks)).toMatch(/190 more tables changed/);
    expect(textOf(big.blocks)).toMatch(/…and \d+ more tables/);
    expect(big.text.length).toBeLessThan(1000);

    const pages: number[] = [];
    let page = 0;
    let tables = 0;
    for (;;) {
      const view = buildChangeListView({ changeSetId: 'crawl:postgres:wh:crawl-7', changes: classified, page });
      expect(viewProblems(view)).toEqual({ problems: [], tooLarge: false });
      pages.push(view.blocks.length);
      tables += view.blocks.filter((b) => b.type === 'section' && b.text.text.includes('table_with_a_rather_long_name')).length;
      const next = buttons(view.blocks).find((b) => b.value?.includes(`"page":${page + 1}`));
      if (!next) break;
      page++;
    }
    expect(tables).toBe(200);
    expect(pages.length).toBeGreaterThan(1);
  });

  it('cuts one table with a huge change list at 3000 characters', () => {
    const key = 'postgres://main.s/wide';
    const huge = classifyChanges(Array.from({ length: 1000 }, (_, i) => change(key, 'column_added', { column: `c${String(i).padStart(4, '0')}`, newValue: 'int' })));
    const m = buildAlertMessage({ variant: { kind: 'live', source: 's', crawlId: 'c' }, changes: huge, contexts: new Map(), changeSetId: 'set' });
    expect(blockProblems(m.blocks, 50, '/blocks')).toEqual([]);
    expect(textOf(m.blocks)).toMatch(/…and \d+ more changes/);
    expect(buttons(m.blocks).some((b) => b.action_id === ALERT_ACTIONS.showAllChanges)).toBe(true);
    const view = buildChangeListView({ changeSetId: 'set', changes: huge });
    expect(viewProblems(view).problems).toEqual([]);
  });

  it('describes every kind of change', () => {
    const lines = classifyChanges([
      change('a://b.c/d', 'table_added'),
      change('a://b.c/e', 'table_removed'),
      change('a://b.c/f', 'column_nullability_changed', { column: 'x', oldValue: 'not null', newValue: 'nullable' }),
      change('a://b.c/f', 'column_removed', { column: 'old`name', oldValue: 'int' }),
      change('a://b.c/f', 'column_added', { column: 'new_name', newValue: 'int' }),
      change('a://b.c/f', 'description_changed', { column: 'x', newValue: 'hello' }),
    ]).map((c) => describeChange(c.detail));
    expect(lines).toEqual([
      '*table removed*',
      '*column `oldˋname` renamed to `new_name`* (`int`)',
      'column `x` may now be null (was NOT NULL)',
      'table added',
      'column `x` description: _(none)_ → “hello”',
    ]);
  });
});

describe('fitLines', () => {
  it('keeps within the limit and says how many lines were left out', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(50)}`);
    const r = fitLines(lines, 500, (k) => `…and ${k} more`);
    expect(r.text.length).toBeLessThanOrEqual(500);
    expect(r.text).toContain(`…and ${100 - r.shown} more`);
  });
});
