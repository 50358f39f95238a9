import type { Catalog } from '../../src/catalog/catalog-file';
import type { Answer } from '../../src/answering/types';
import type { Harness } from './helpers';
import { harness, foundKeys } from './helpers';

const NOW = '2026-06-01T00:00:00Z';
const daily = (days: number, endIso = NOW): string[] =>
  Array.from({ length: days }, (_, i) => new Date(Date.parse(endIso) - (days - i) * 86_400_000 + 3_600_000).toISOString());

function table(name: string, description: string, extra: Partial<Catalog['tables'][number]> = {}): Catalog['tables'][number] {
  return {
    key: `hive://gold.shop/${name}`,
    database: 'hive',
    cluster: 'gold',
    schema: 'shop',
    name,
    description,
    columns: [{ name: 'dt', type: 'string', position: 0 }],
    updates: daily(10),
    ...extra,
  };
}

const catalog: Catalog = {
  now: NOW,
  users: [{ id: 'ann', name: 'Ann' }],
  tables: [
    table('churn_scores_v1', 'Daily churn scores per customer.', { deprecated: true, readers: [{ user: 'ann', count: 9000 }] }),
    table('churn_scores_v2', 'Daily churn scores per customer.'),
    table('basket_stats', 'Basket size statistics per store.', { badges: ['certified'] }),
    table('basket_stats_copy', 'Basket size statistics per store.'),
    table('basket_stats_stale', 'Basket size statistics per store.', { updates: daily(10, '2025-01-01T00:00:00Z') }),
    table('tax_report', 'Monthly VAT report per country.'),
  ],
  dashboards: [],
};

describe('ranking priors in answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(catalog);
  });
  afterAll(async () => {
    await h.close();
  });

  it('ranks a deprecated table below a current one that says the same, however popular', async () => {
    expect(foundKeys(await h.ask('churn scores per customer'))).toEqual(['hive://gold.shop/churn_scores_v2', 'hive://gold.shop/churn_scores_v1']);
  });

  it('lifts a certified table and sinks a long-stale one', async () => {
    const ranked = foundKeys(await h.ask('basket size statistics'));
    expect(ranked[0]).toBe('hive://gold.shop/basket_stats');
    expect(ranked[ranked.length - 1]).toBe('hive://gold.shop/basket_stats_stale');
  });

  it('finds through Korean translations (세금 → tax, 부가세 → vat)', async () => {
    expect(foundKeys(await h.ask('국가별 부가세 리포트'))[0]).toBe('hive://gold.shop/tax_report');
  });
});

/** A harness over these tables and a few unrelated ones, so that a word's rarity means what it means in a catalog. */
function askingAmong(tables: Array<Catalog['tables'][number]>): { ask: (text: string) => Promise<string[]>; answer: (text: string) => Promise<Answer> } {
  let h: Harness;
  beforeAll(async () => {
    const filler = ['weather', 'parcel', 'ticket', 'coupon', 'survey', 'vendor'].map((t) => table(`fct_${t}`, `Daily ${t} figures by region.`));
    h = await harness({ now: NOW, users: [], tables: [...tables, ...filler], dashboards: [] });
  });
  afterAll(async () => {
    await h.close();
  });
  return { ask: async (text) => foundKeys(await h.ask(text)), answer: (text) => h.ask(text) };
}

describe('proximity', () => {
  const h = askingAmong([
    table('shipments_a', 'Shipments: return window promised to the buyer, after delivery by the courier.'),
    table('shipments_b', 'Shipments with the delivery window promised to the buyer and the courier.'),
  ]);

  it('ranks a table that says the asked words side by side above one that says them apart', async () => {
    expect((await h.ask('shipments with the delivery window?'))[0]).toBe('hive://gold.shop/shipments_b');
  });
});

describe('contrast', () => {
  const h = askingAmong([
    table('crm_task', 'Calls, meetings and to-dos that sales reps log against customers.'),
    table('crm_event', 'Calendar entries of sales reps with customers.'),
  ]);

  it('ranks the tables named by what the message sets aside ("not tasks", "말고") last', async () => {
    expect((await h.ask('customer meetings sales reps log'))[0]).toBe('hive://gold.shop/crm_task');
    expect((await h.ask('customer meetings sales reps log, not tasks'))[0]).toBe('hive://gold.shop/crm_event');
    expect((await h.ask('sales reps 고객 meetings 테이블, task 말고요'))[0]).toBe('hive://gold.shop/crm_event');
  });
});

describe('acronyms the catalog spells out', () => {
  const h = askingAmong([
    table('retention_by_account', 'Net dollar retention of each parent account, by month.'),
    table('accounts_by_month', 'Parent account attributes, net of refunds, by month.', {
      columns: [
        { name: 'dt', type: 'string', position: 0 },
        { name: 'net', type: 'double', position: 1 },
        { name: 'discount', type: 'double', position: 2 },
        { name: 'region', type: 'string', position: 3 },
      ],
    }),
    table('lead_to_revenue', 'Every person, their touchpoints and the deals they became.'),
    table('lead_scores', 'Touchpoints of each person, scored by lead and revenue potential.'),
  ]);

  it('reads a typed acronym as the words a description spells out side by side (NDR, net dollar retention)', async () => {
    expect((await h.ask('NDR by parent account?'))[0]).toBe('hive://gold.shop/retention_by_account');
  });

  it('reads a digit in an acronym as its homophone inside one identifier (L2R, lead_to_revenue)', async () => {
    expect((await h.ask('L2R table with the touchpoints of each person?'))[0]).toBe('hive://gold.shop/lead_to_revenue');
  });

  it('does not spell an acronym across neighbouring column names (net, discount, region)', async () => {
    const answer = await h.answer('NDR per parent account');
    const reasons = answer.kind === 'find' ? answer.results.map((r) => ({ key: r.key, words: r.why.map((w) => w.word) })) : [];
    expect(reasons.find((r) => r.key === 'hive://gold.shop/retention_by_account')?.words).toContain('NDR');
    expect(reasons.find((r) => r.key === 'hive://gold.shop/accounts_by_month')?.words).not.toContain('NDR');
  });
});

describe('Korean verbs made of a noun', () => {
  const h = askingAmong([table('order_cancellations', 'Orders the buyer cancelled, with the reason.'), table('order_approvals', 'Orders approved by the store, with the reviewer.')]);

  it('reads 취소했던 and 승인됐는지 as the nouns they are made of (취소 cancel, 승인 approval)', async () => {
    expect((await h.ask('고객이 취소했던 주문 테이블'))[0]).toBe('hive://gold.shop/order_cancellations');
    expect((await h.ask('주문이 승인됐는지 보려면?'))[0]).toBe('hive://gold.shop/order_approvals');
  });
});
