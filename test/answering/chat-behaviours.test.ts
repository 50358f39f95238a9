import { readFileSync } from 'node:fs';
import type { Answer } from '../../src/answering/types';
import type { Catalog } from '../../src/catalog/catalog-file';
import { searchCatalog } from '../../src/core/search-catalog';
import { renderTerminal } from '../../src/render/terminal';
import { harness, SHOP_CATALOG, shop, type Harness } from './helpers';

function as<K extends Answer['kind']>(a: Answer, kind: K): Extract<Answer, { kind: K }> {
  expect(a.kind).toBe(kind);
  return a as Extract<Answer, { kind: K }>;
}

const shopCatalog = JSON.parse(readFileSync(SHOP_CATALOG, 'utf8')) as Catalog;

describe('what a new user hits in the terminal chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(['hi', 'thanks!', 'hello nansen', '안녕하세요', '감사합니다'])('"%s" gets a greeting with help, not "I don\'t know"', async (text) => {
    const a = as(await h.ask(text), 'greeting');
    expect(a.examples?.table).toBeDefined();
    expect(renderTerminal(a, { color: false })).not.toMatch(/don't know|모르/);
  });

  it("takes help's examples from the catalog that is loaded", async () => {
    const a = as(await h.ask('help'), 'help');
    const keys = new Set(shopCatalog.tables.map((t) => t.key));
    expect(keys.has(a.examples!.table)).toBe(true);
    const table = shopCatalog.tables.find((t) => t.key === a.examples!.table)!;
    expect(table.deprecated ?? false).toBe(false);
    expect(table.columns.map((c) => c.name)).toContain(a.examples!.column);
  });

  it('answers which tables a person owns, by name, in English and Korean', async () => {
    const owned = shopCatalog.tables.filter((t) => (t.owners ?? []).includes('ana.silva')).map((t) => t.key).sort();
    expect(owned.length).toBeGreaterThan(0);
    const en = as(await h.ask('what tables does Ana Silva own?'), 'person');
    expect(en.user).toBe('ana.silva');
    expect([...en.owned].sort()).toEqual(owned);
    const ko = as(await h.ask('Ana Silva가 담당하는 테이블 알려줘'), 'person');
    expect([...ko.owned].sort()).toEqual(owned);
  });

  it('warns that a table is late in Korean as in English', async () => {
    for (const text of ['is email_campaign_results late?', 'email_campaign_results 오늘 늦었어요?', 'email_campaign_results 최신이에요?']) {
      const a = as(await h.ask(text), 'last_updated');
      expect(a.cadence.late).toBe(true);
      expect(renderTerminal(a, { color: false })).toMatch(/⚠️/);
    }
  });

  it('says a deprecated table that stopped loading is retired, not late', async () => {
    const a = as(await h.ask('orders_daily_v0 늦었어요?'), 'last_updated');
    expect(a.cadence.late).toBe(false);
    const text = renderTerminal(as(await h.ask('when was orders_daily_v0 last updated?'), 'last_updated'), { color: false });
    expect(text).toMatch(/deprecated/);
    expect(text).not.toMatch(/looks late/);
  });

  it("reads a column of the thread's table before any table name", async () => {
    const a = as(await h.ask('what does discount_krw mean?', { thread: ['when was fct_orders last updated?'] }), 'columns');
    expect(a.table).toBe(shop('fct_orders'));
  });

  it('reads "the dashboard looks stale, when did X last load?" as a freshness question', async () => {
    expect(as(await h.ask('dashboard looks stale, when did email_campaign_results last load?'), 'last_updated').table).toBe(shop('email_campaign_results'));
    expect((await h.ask('which dashboards use fct_orders?')).kind).toBe('dashboards');
  });

  it('never grants access, and says so', async () => {
    const a = as(await h.ask('can you grant me access to fct_orders?'), 'unknown');
    expect(a.reason).toBe('out_of_scope');
  });

  it('/data search in Korean uses the same analysis as questions', async () => {
    const page = await searchCatalog('일별 매출', 0, { ...h.deps, now: () => new Date(shopCatalog.now ?? Date.now()), timeZone: 'Asia/Seoul' });
    const asked = as(await h.ask('일별 매출 테이블 있어요?'), 'find');
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0]!.key).toBe(asked.results[0]!.key);
  });
});

const FILLER = ['weather', 'parcel', 'ticket', 'refund', 'coupon', 'survey', 'webinar', 'payroll', 'vendor', 'warehouse', 'shipment', 'lead', 'campaign', 'forecast', 'budget', 'holiday', 'release', 'incident', 'deployment', 'license', 'contract', 'partner', 'expense', 'travel', 'hiring', 'training', 'asset', 'audit', 'tax', 'currency'];

/** A small catalog whose words are English and whose tables use shorthand, as real ones do. */
function shorthandCatalog(): Catalog {
  const table = (schema: string, name: string, description: string, columns: string[]) => ({
    key: `snowflake://prod.${schema}/${name}`,
    database: 'snowflake',
    cluster: 'prod',
    schema,
    name,
    description,
    columns: columns.map((c) => ({ name: c, type: 'varchar' })),
  });
  return {
    format: 'catalog-v1',
    now: '2026-06-15T09:00:00Z',
    users: [],
    tables: [
      table('common', 'dim_namespace', 'Namespaces on the SaaS product, with their plan and creation date.', ['namespace_id', 'plan_name', 'created_at']),
      table('common', 'dim_project', 'Projects and the namespace they belong to.', ['project_id', 'namespace_id']),
      table('sales', 'dim_account', 'Salesforce accounts with parent account and health score.', ['account_id', 'parent_account_id', 'health_score']),
      table('web', 'fct_browser_session', 'Browser sessions of visitors.', ['session_id', 'prvt_brwsng_flag', 'browser_name']),
      table('legal', 'risk_register', 'Compliance risks, their owners and mitigations.', ['risk_id', 'compliance_area']),
      table('finance', 'fct_invoice', 'Invoices sent to customers each month, one row per invoice line.', ['invoice_id', 'line_number', 'amount']),
      table('finance', 'fct_recurring_revenue', 'Recurring revenue per customer and month.', ['customer_id', 'mrr', 'arr', 'arr_month']),
      table('marketing', 'fct_ad_campaign_cost', 'Ad campaign costs per network and day.', ['campaign_id', 'ad_network', 'cost']),
      // the rest of a catalog, so that a word's rarity means what it means in a real one
      ...FILLER.map((topic, i) => table('misc', `fct_${topic}`, `Daily ${topic} figures by region.`, [`${topic}_id`, 'region', `metric_${i}`])),
    ],
    dashboards: [],
  } as unknown as Catalog;
}

describe('real-world wording without a list of synonyms', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(shorthandCatalog());
  });
  afterAll(async () => {
    await h.close();
  });

  const top = async (text: string): Promise<string | undefined> => {
    const a = await h.ask(text);
    return a.kind === 'find' ? a.results[0]?.key.split('/').pop() : `(${a.kind})`;
  };

  it('reads Korean loanwords as the English words of the catalog', async () => {
    expect(await top('네임스페이스 디멘전 테이블 뭐예요?')).toBe('dim_namespace');
    expect(await top('컴플라이언스 리스크 레지스터 같은 테이블 있나요?')).toBe('risk_register');
    expect(await top('인보이스 데이터 어디 있어요?')).toBe('fct_invoice');
  });

  it("understands shorthand in the question, and the catalog's shorthand for a word", async () => {
    expect(await top('which table has the accnt health score?')).toBe('dim_account');
    expect(await top('brwsr sessions table?')).toBe('fct_browser_session');
    expect(await top('is there a table with private browsing sessions?')).toBe('fct_browser_session');
  });

  it('abstains when the name a question glosses (라인(LINE)) is in no result, and answers when it is', async () => {
    expect((await h.ask('라인(LINE) 광고 캠페인 비용 테이블 있나요?')).kind).toBe('unknown');
    expect(await top('광고 캠페인 비용 테이블 있나요?')).toBe('fct_ad_campaign_cost');
    expect(await top('인보이스(invoice) 데이터 어디 있어요?')).toBe('fct_invoice');
  });

  it('reads words spelled out as the acronym a column is named by, and a bracketed aside as an aside', async () => {
    const a = as(await h.ask('in fct_recurring_revenue which column holds the annualized recurring revenue (12x mrr)?'), 'columns');
    expect(a.column).toBe('arr');
  });

  it('says which words it read differently', async () => {
    const a = as(await h.ask('brwsr sessions table?'), 'find');
    expect(a.corrections).toContainEqual({ from: 'brwsr', to: 'browser' });
  });
});

describe('which column, when several share the words', () => {
  let h: Harness;
  beforeAll(async () => {
    const column = (name: string, description: string) => ({ name, type: 'number', description });
    h = await harness({
      format: 'catalog-v1',
      now: '2026-06-15T09:00:00Z',
      users: [],
      tables: [
        {
          key: 'snowflake://prod.mail/mailbox_usage',
          database: 'snowflake',
          cluster: 'prod',
          schema: 'mail',
          name: 'mailbox_usage',
          description: 'Mailbox sizes per team and month.',
          columns: [
            column('total_free_size_limit_mb', 'Sum of the free size limit (50 MB) of each mailbox, beyond which a mailbox is billed.'),
            column('total_free_size_mb', 'Size used under the free 50 MB quota limit, over all mailboxes of the team.'),
            column('total_billed_size_mb', 'Size used beyond the free 50 MB quota limit, over all mailboxes of the team.'),
            column('has_mailboxes_beyond_free_limit', 'Whether some mailbox of the team is beyond the free limit.'),
            column('attachment_size_mb', 'Size used by attachments.'),
            column('archive_size_mb', 'Size used by archived mail.'),
          ],
        },
      ],
      dashboards: [],
    } as unknown as Catalog);
  });
  afterAll(async () => {
    await h.close();
  });

  it('prefers the column whose description says the asked phrase over one whose name shares its words', async () => {
    const a = as(await h.ask('mailbox_usage - which col is the size used beyond the free 50 MB limit?'), 'columns');
    expect(a.column).toBe('total_billed_size_mb');
  });
});
