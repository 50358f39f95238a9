import type { Catalog } from '../../src/catalog/catalog-file';
import { addedWords, variantsAfterBase } from '../../src/answering/variants';
import type { Harness } from './helpers';
import { catalogTable, harness, foundKeys } from './helpers';

const NOW = '2026-06-01T00:00:00Z';

describe('table variants', () => {
  it('reads a variant as its base name with words added at the end', () => {
    expect(addedWords('dim_account_daily_snapshot', 'dim_account')).toEqual(['daily', 'snapshot']);
    expect(addedWords('fct_trips_legacy', 'fct_trips')).toEqual(['legacy']);
    expect(addedWords('fct_orders', 'orders')).toBeUndefined();
    expect(addedWords('dim_account', 'dim_account')).toBeUndefined();
    expect(addedWords('dim_accounting', 'dim_account')).toBeUndefined();
  });

  it('puts a variant the question does not ask for right after its base, and only then', () => {
    const r = (key: string, covers: string[]) => ({ key, name: key, covers });
    const ranked = [r('dim_account_daily_snapshot', ['account', 'health']), r('sfdc_account', ['account']), r('dim_account', ['account', 'health', 'score'])];
    expect(variantsAfterBase(ranked, new Set(['account', 'health', 'score'])).map((x) => x.key)).toEqual(['sfdc_account', 'dim_account', 'dim_account_daily_snapshot']);
    // the question says the added words
    expect(variantsAfterBase(ranked, new Set(['account', 'daily'])).map((x) => x.key)).toEqual(ranked.map((x) => x.key));
    // the variant covers something of the question its base does not
    const more = [r('dim_account_daily_snapshot', ['account', 'pte']), r('dim_account', ['account'])];
    expect(variantsAfterBase(more, new Set(['account', 'pte'])).map((x) => x.key)).toEqual(['dim_account_daily_snapshot', 'dim_account']);
  });
});

function table(name: string, description: string, columns: string[], reads = 0): Catalog['tables'][number] {
  return catalogTable('crm', name, description, columns, NOW, reads);
}

// a table and its daily snapshot say the same words; the snapshot, read far more, ranks first by words alone
const catalog: Catalog = {
  now: NOW,
  users: [{ id: 'ana', name: 'Ana' }],
  tables: [
    table('dim_account', 'Customer accounts from the CRM, one row per account, with their owners, segments and all the attributes the sales and success teams keep on them.', ['account_id', 'account_name', 'health_score', 'churn_score']),
    table('dim_account_daily_snapshot', 'Customer accounts, each day.', ['snapshot_id', 'account_id', 'snapshot_date', 'account_name', 'health_score', 'churn_score'], 5000),
    table('fct_invoices', 'Invoices billed to customers.', ['invoice_id', 'account_id', 'amount']),
  ],
  dashboards: [],
};

describe('variants in find answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(catalog);
  });
  afterAll(() => h.close());

  it('answers with the table itself, not its snapshot, when the question asks for neither day nor snapshot', async () => {
    expect(foundKeys(await h.ask('customer accounts with health score and churn score?')).slice(0, 2)).toEqual(['hive://gold.crm/dim_account', 'hive://gold.crm/dim_account_daily_snapshot']);
  });

  it('answers with the snapshot when the question asks for it', async () => {
    expect(foundKeys(await h.ask('daily snapshot of customer accounts with health score?'))[0]).toBe('hive://gold.crm/dim_account_daily_snapshot');
  });
});
