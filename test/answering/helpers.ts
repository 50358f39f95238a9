import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import type { Answer, AnsweringDeps, Question } from '../../src/answering/types';
import { answer } from '../../src/answering/answer';
import type { Catalog } from '../../src/catalog/catalog-file';
import { importCatalog, readCatalogFile } from '../../src/catalog/import';

/**
 * A catalog table for an answering test: key `hive://gold.{schema}/{name}`, string columns in order, loaded once at
 * `loadedAt`, read `reads` times by the user `ana` when given.
 */
export function catalogTable(schema: string, name: string, description: string, columns: string[], loadedAt: string, reads = 0): Catalog['tables'][number] {
  return {
    ...(reads ? { readers: [{ user: 'ana', count: reads }] } : {}),
    key: `hive://gold.${schema}/${name}`,
    database: 'hive',
    cluster: 'gold',
    schema,
    name,
    description,
    columns: columns.map((c, position) => ({ name: c, type: 'string', position })),
    updates: [loadedAt],
  };
}

/** The keys of a find answer's results, best first (none for any other answer). */
export const foundKeys = (a: Answer): string[] => (a.kind === 'find' ? a.results.map((r) => r.key) : []);

export const SHOP_CATALOG = join(__dirname, 'fixtures', 'shop.catalog.json');
export const SHOP_QUESTIONS = join(__dirname, 'fixtures', 'shop.questions.jsonl');

/** Fresh in-memory embedded stores holding a catalog, and a way to ask them questions at the catalog's `now`. */
export interface Harness {
  deps: AnsweringDeps;
  ask(text: string, extra?: Omit<Question, 'text'>): Promise<Answer>;
  close(): Promise<void>;
}

export async function harness(catalog: Catalog | string = SHOP_CATALOG): Promise<Harness> {
  const data = typeof catalog === 'string' ? await readCatalogFile(catalog) : catalog;
  const graph = new SqliteGraphStore({ path: ':memory:' });
  const search = new SqliteSearchIndex({ path: ':memory:' });
  await graph.init();
  await search.init();
  await importCatalog(data, { graph, search });
  const now = new Date(data.now ?? '2027-03-18T03:00:00Z');
  const deps: AnsweringDeps = { graph, search, now: () => now };
  return {
    deps,
    ask: (text, extra = {}) => answer({ text, ...extra }, deps),
    async close() {
      await graph.close();
      await search.close();
    },
  };
}

/** The key of a table of the shop fixture by its bare name. */
export const shop = (name: string): string => {
  const schemas: Record<string, string> = {
    fct_orders: 'hive://warehouse.sales/fct_orders',
    fct_order_items: 'hive://warehouse.sales/fct_order_items',
    gmv_daily: 'hive://warehouse.sales/gmv_daily',
    gmv_hourly_live: 'hive://warehouse.sales/gmv_hourly_live',
    aov_weekly: 'hive://warehouse.sales/aov_weekly',
    dim_customer: 'hive://warehouse.customer/dim_customer',
    churn_risk_score: 'hive://warehouse.customer/churn_risk_score',
    customer_rfm_segment: 'hive://warehouse.customer/customer_rfm_segment',
    fct_sessions: 'hive://warehouse.web/fct_sessions',
    fct_payments: 'hive://warehouse.finance/fct_payments',
    refunds: 'hive://warehouse.finance/refunds',
    roas_daily: 'hive://warehouse.marketing/roas_daily',
    campaign_spend_daily: 'hive://warehouse.marketing/campaign_spend_daily',
    attribution_last_click: 'hive://warehouse.marketing/attribution_last_click',
    shipments: 'hive://warehouse.logistics/shipments',
    delivery_sla_daily: 'hive://warehouse.logistics/delivery_sla_daily',
    pg_fee_monthly: 'hive://warehouse.finance/pg_fee_monthly',
    promotion_calendar: 'hive://warehouse.marketing/promotion_calendar',
    email_campaign_results: 'hive://warehouse.marketing/email_campaign_results',
    cs_tickets: 'hive://warehouse.cs/cs_tickets',
    stg_orders: 'hive://staging.sales/stg_orders',
    users: 'postgres://shopdb.public/users',
    orders: 'postgres://shopdb.public/orders',
    exchange_rates_daily: 'hive://warehouse.finance/exchange_rates_daily',
    search_queries_daily: 'hive://warehouse.web/search_queries_daily',
  };
  const key = schemas[name];
  if (!key) throw new Error(`unknown shop table ${name}`);
  return key;
};
