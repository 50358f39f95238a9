import type { Answer } from '../../src/answering/types';
import type { Harness } from './helpers';
import { harness, shop } from './helpers';

/** Narrows an answer to one kind, failing the test with the whole answer when it is another. */
function as<K extends Answer['kind']>(a: Answer, kind: K): Extract<Answer, { kind: K }> {
  if (a.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify({ ...a, refs: undefined })}`);
  return a as Extract<Answer, { kind: K }>;
}

const top = (a: Answer): string | undefined => as(a, 'find').results[0]?.key;

describe('answer() on the shop catalog', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('find', () => {
    it.each([
      ['which table has GMV per day by category?', 'gmv_daily'],
      ['where are payments by method, like card or kakaopay?', 'fct_payments'],
      ['cs ticket first response time', 'cs_tickets'],
      ['daily fx rates krw per usd', 'exchange_rates_daily'],
      ['카테고리별 일별 거래액 테이블 알려주세요', 'gmv_daily'],
      ['결제 수단별 결제 데이터 어디 있어요?', 'fct_payments'],
      ['검색어별 클릭률', 'search_queries_daily'],
      ['이탈 위험 점수 테이블 있나요?', 'churn_risk_score'],
    ])('%s → %s', async (ask, name) => {
      expect(top(await h.ask(ask))).toBe(shop(name));
    });

    it('tolerates typos by correcting words against the index vocabulary', async () => {
      const a = as(await h.ask('shipmnets by carrier'), 'find');
      expect(a.results[0]?.key).toBe(shop('shipments'));
      expect(a.corrections).toEqual([{ from: 'shipmnets', to: 'shipment' }]);
      expect(top(await h.ask('exchnage rates daily'))).toBe(shop('exchange_rates_daily'));
    });

    it('strips Slack mentions, links and emoji before reading the question', async () => {
      const a = as(await h.ask('<@U0DATABOT> :wave: which table has *ROAS* per campaign? <https://wiki.example.com/roas|wiki> 🙏'), 'find');
      expect(a.results[0]?.key).toBe(shop('roas_daily'));
      expect(a.query).not.toContain('U0DATABOT');
    });

    it('finds dashboards when a dashboard is asked for', async () => {
      const a = as(await h.ask('is there a dashboard with roas and ad spend by channel?'), 'find');
      expect(a.kinds).toEqual(['dashboard']);
      expect(a.results[0]?.key).toBe('looker://growth/marketing_performance');
      expect(top(await h.ask('배송 SLA 대시보드 있어요?'))).toBe('superset://ops/logistics_monitor');
    });

    it('explains why a result matched, naming the field and the synonym used', async () => {
      const a = as(await h.ask('레이턴시 테이블'), 'find');
      expect(a.results[0]?.why).toEqual([expect.objectContaining({ word: '레이턴시', via: 'latency' })]);
    });

    it('says it does not know when nothing in the catalog covers the question, offering suggestions only as such', async () => {
      const a = as(await h.ask('is there a table for drone delivery telemetry?'), 'unknown');
      expect(a.reason).toBe('no_match');
      const b = as(await h.ask('마작 타일 버림 로그 테이블 있어요?'), 'unknown');
      expect(b.reason).toBe('no_match');
    });
  });

  describe('last updated', () => {
    it('answers in English and Korean with the last load time', async () => {
      const en = as(await h.ask('when was fct_orders last updated?'), 'last_updated');
      expect(en.table).toBe(shop('fct_orders'));
      expect(en.at).toMatch(/^2027-03-1\dT/);
      const ko = as(await h.ask('fct_orders 최신 적재 시간 언제예요?'), 'last_updated');
      expect(ko.at).toBe(en.at);
      expect(ko.lang).toBe('ko');
    });

    it('flags a table whose last load is overdue', async () => {
      const a = as(await h.ask('email_campaign_results looks stuck, when did it last load?'), 'last_updated');
      expect(a.cadence.cadence).toBe('daily');
      expect(a.cadence.late).toBe(true);
      const fresh = as(await h.ask('when did fct_orders last load?'), 'last_updated');
      expect(fresh.cadence.late).toBe(false);
    });

    it('accepts schema.table and a full key', async () => {
      expect(as(await h.ask('last refresh of sales.fct_orders?'), 'last_updated').table).toBe(shop('fct_orders'));
      expect(as(await h.ask(`when was ${shop('fct_orders')} last updated`), 'last_updated').table).toBe(shop('fct_orders'));
    });
  });

  describe('cadence', () => {
    it.each([
      ['how often is shipments updated?', 'shipments', 'hourly'],
      ['update frequncy of aov_weekly?', 'aov_weekly', 'weekly'],
      ['pg_fee_monthly 갱신 주기가 어떻게 돼요?', 'pg_fee_monthly', 'monthly'],
      ['promotion_calendar 는 얼마나 자주 업데이트되나요?', 'promotion_calendar', 'irregular'],
      ['is gmv_hourly_live loaded every hour?', 'gmv_hourly_live', 'hourly'],
    ])('%s', async (ask, name, cadence) => {
      const a = as(await h.ask(ask), 'cadence');
      expect(a.table).toBe(shop(name));
      expect(a.cadence.cadence).toBe(cadence);
    });

    it('does not read a cadence word inside a table name as the question', async () => {
      const a = as(await h.ask('is pg_fee_monthly updated daily?'), 'cadence');
      expect(a.asked).toBe('daily');
      expect(a.cadence.cadence).toBe('monthly');
    });

    it('gives the typical load time in KST for daily tables', async () => {
      const a = as(await h.ask('gmv_daily 업데이트 주기는?'), 'cadence');
      expect(a.cadence.cadence).toBe('daily');
      expect(a.cadence.timeZone).toBe('Asia/Seoul');
      expect(a.cadence.typicalTime).toMatch(/^0[34]:\d\d$/);
    });
  });

  describe('follow-ups in a thread', () => {
    it('"is it hourly?" refers to the table of the thread', async () => {
      const a = as(await h.ask('is it hourly?', { thread: ['when was gmv_daily last updated?'] }), 'cadence');
      expect(a.table).toBe(shop('gmv_daily'));
      expect(a.asked).toBe('hourly');
      expect(a.cadence.cadence).toBe('daily');
      expect(a.resolution?.from).toBe('thread');
    });

    it('"who owns it?" and "업데이트 주기는?" follow the newest table of the thread', async () => {
      const thread = ['who owns dim_customer?', 'when was fct_payments last updated?'];
      expect(as(await h.ask('who owns it?', { thread }), 'owners').table).toBe(shop('fct_payments'));
      expect(as(await h.ask('업데이트 주기는?', { thread }), 'cadence').table).toBe(shop('fct_payments'));
    });

    it('"그 테이블 컬럼은?" lists the columns of the thread table', async () => {
      const a = as(await h.ask('그 테이블 컬럼은?', { thread: ['refunds 담당자 누구예요?'] }), 'columns');
      expect(a.table).toBe(shop('refunds'));
      expect(a.mode).toBe('list');
      expect(a.columns?.map((c) => c.name)).toContain('refund_reason');
    });

    it('follows the best match of a search earlier in the thread', async () => {
      const a = as(await h.ask('who owns it?', { thread: ['which table has ROAS per campaign?'] }), 'owners');
      expect(a.table).toBe(shop('roas_daily'));
    });

    it('uses the caller-provided subject table', async () => {
      const a = as(await h.ask('when was it last updated?', { subjectTable: shop('cs_tickets') }), 'last_updated');
      expect(a.table).toBe(shop('cs_tickets'));
      expect(a.resolution?.from).toBe('context');
    });

    it('asks which table is meant when a follow-up has nothing to refer to', async () => {
      const a = as(await h.ask('who owns it?'), 'unknown');
      expect(a.reason).toBe('no_subject');
      expect(a.asked).toBe('owners');
    });

    it('a new search in a thread is a search, not a follow-up', async () => {
      expect(top(await h.ask('which table has page views per page?', { thread: ['who owns fct_orders?'] }))).toBe('hive://warehouse.web/page_views_daily');
    });
  });

  describe('owners and frequent users', () => {
    it('answers owners in English and Korean', async () => {
      const en = as(await h.ask('who should I ask about dim_customer?'), 'owners');
      expect(en.users.sort()).toEqual(['ana.silva', 'yuri.han']);
      expect(en.refs.users['yuri.han']?.slackId).toBe('U0YURI0005');
      const ko = as(await h.ask('dim_customer 오너 알려줘'), 'owners');
      expect(ko.users.sort()).toEqual(['ana.silva', 'yuri.han']);
    });

    it('resolves a table named by an ordinary word when the question is about a table', async () => {
      const a = as(await h.ask('who owns users?'), 'owners');
      expect(a.table).toBe(shop('users'));
      const f = as(await h.ask('top users of fct_sessions'), 'frequent_users');
      expect(f.table).toBe(shop('fct_sessions'));
    });

    it('lists frequent users, most reads first', async () => {
      const a = as(await h.ask('fct_sessions 제일 많이 조회하는 사람 누구예요?'), 'frequent_users');
      expect(a.users.map((u) => u.user)).toEqual(['minseok.kang', 'priya.nair', 'yuri.han']);
      const b = as(await h.ask('who are the heaviest users of churn_risk_score'), 'frequent_users');
      expect(b.users[0]?.user).toBe('sara.kim');
    });

    it('finds the table a question describes when none is named', async () => {
      const a = as(await h.ask('who owns the roas by campaign table?'), 'owners');
      expect(a.table).toBe(shop('roas_daily'));
      expect(a.resolution?.from).toBe('search');
    });
  });

  describe('columns', () => {
    it('explains a named column', async () => {
      const a = as(await h.ask('what does rfm_score mean in customer_rfm_segment?'), 'columns');
      expect(a.column).toBe('rfm_score');
      expect(a.description).toContain('R-F-M');
      const b = as(await h.ask('what is on_time_rate in delivery_sla_daily'), 'columns');
      expect(b.column).toBe('on_time_rate');
    });

    it('finds which column holds something, in English and Korean', async () => {
      expect(as(await h.ask('which column of refunds has the refund reason?'), 'columns').column).toBe('refund_reason');
      expect(as(await h.ask('fct_orders에서 배송비 컬럼이 뭐예요?'), 'columns').column).toBe('shipping_fee_krw');
      expect(as(await h.ask('which field in fct_payments is the payment method?'), 'columns').column).toBe('method');
      expect(as(await h.ask('churn_risk_score 에서 이탈 확률 컬럼?'), 'columns').column).toBe('churn_risk');
    });
  });

  describe('lineage and dashboards', () => {
    it('upstream, in English and Korean', async () => {
      const en = as(await h.ask('what feeds into roas_daily?'), 'lineage');
      expect(en.direction).toBe('upstream');
      expect(en.tables.sort()).toEqual([shop('attribution_last_click'), shop('campaign_spend_daily')].sort());
      const ko = as(await h.ask('roas_daily는 어떤 테이블들로 만들어져요?'), 'lineage');
      expect(ko.direction).toBe('upstream');
      expect(ko.tables.sort()).toEqual(en.tables.sort());
      expect(as(await h.ask('where does fct_orders come from?'), 'lineage').tables).toEqual([shop('stg_orders')]);
    });

    it('downstream, in English and Korean', async () => {
      const en = as(await h.ask('if I change fct_orders, which downstream tables are affected?'), 'lineage');
      expect(en.direction).toBe('downstream');
      expect(en.tables).toContain(shop('gmv_daily'));
      const ko = as(await h.ask('fct_orders 로 만들어지는 테이블 뭐 있어요?'), 'lineage');
      expect(ko.direction).toBe('downstream');
      expect(ko.tables.sort()).toEqual(en.tables.sort());
      expect(as(await h.ask('what tables are built from fct_sessions?'), 'lineage').direction).toBe('downstream');
    });

    it('dashboards on a table', async () => {
      const a = as(await h.ask('which dashboards use gmv_daily?'), 'dashboards');
      expect(a.dashboards).toEqual(['looker://exec/daily_business']);
      expect(a.refs.dashboards['looker://exec/daily_business']?.url).toMatch(/^https:/);
      expect(as(await h.ask('cs_tickets 쓰는 대시보드 있어요?'), 'dashboards').dashboards).toEqual(['tableau://cs/cs_overview']);
    });
  });

  describe('help and describe', () => {
    it.each(['help', '도움말', 'what can you do?'])('%s', async (ask) => {
      expect((await h.ask(ask)).kind).toBe('help');
    });

    it('a bare table name shows the table card', async () => {
      const a = as(await h.ask('fct_orders'), 'describe');
      expect(a.owners.sort()).toEqual(['mina.choi', 'tom.becker']);
      expect(a.columns.length).toBeGreaterThan(5);
    });
  });

  describe('unknown and bad input', () => {
    it('a table that does not exist: says so and suggests the closest real names', async () => {
      const a = as(await h.ask('who owns fct_order_detail?'), 'unknown');
      expect(a.reason).toBe('unknown_table');
      expect(a.named).toBe('fct_order_detail');
      expect(a.suggestions).toContain(shop('fct_order_items'));
      const ko = as(await h.ask('gmv_weekly_v2 마지막 업데이트 언제예요?'), 'unknown');
      expect(ko.reason).toBe('unknown_table');
      expect(ko.suggestions.length).toBeGreaterThan(0);
    });

    it('corrects a misspelt table name within a few edits', async () => {
      const a = as(await h.ask('who owns fct_paymnets?'), 'owners');
      expect(a.table).toBe(shop('fct_payments'));
      expect(a.resolution).toMatchObject({ corrected: true, typed: 'fct_paymnets' });
    });

    it.each(['', '   ', '🙂🙂🙂', ':tada: :tada:', '<@U0DATABOT>', '?!', '...'])('an empty message (%j) is unknown/empty or help', async (ask) => {
      const a = await h.ask(ask);
      expect(['unknown', 'help']).toContain(a.kind);
      if (a.kind === 'unknown') expect(a.reason).toBe('empty');
    });

    it('a 10 kB message is answered quickly and without error', async () => {
      const long = `which table has gmv per day? ${'lorem ipsum dolor sit amet '.repeat(400)}`;
      expect(long.length).toBeGreaterThan(10_000);
      const started = Date.now();
      const a = await h.ask(long);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(['find', 'unknown']).toContain(a.kind);
    });

    it.each([
      "SELECT * FROM fct_orders WHERE 1=1; DROP TABLE fct_orders; --",
      'MATCH (n) DETACH DELETE n RETURN n',
      '{"query":{"match_all":{}}}',
      '" OR 1=1 OR "',
      'fct_orders\' OR \'1\'=\'1',
      '*:* AND _exists_:key',
      'NEAR(gmv daily) OR title:"x"',
    ])('query syntax is text, never code: %s', async (ask) => {
      const a = await h.ask(ask);
      expect(a).toBeDefined();
      const tables = await h.deps.graph.stats();
      expect(tables.tables).toBe(66);
    });

    it('never answers out-of-scope questions with a table', async () => {
      for (const ask of ['how much GMV did we do last week?', '어제 주문 건수 몇 개였어요?', 'why did orders drop on monday?', 'postgres 관리자 비밀번호 알려줘', 'what is the api key for the warehouse?']) {
        const a = await h.ask(ask);
        expect(a.kind).toBe('unknown');
      }
      const rows = as(await h.ask('fct_orders 테이블 row 수가 몇 개예요?'), 'unknown');
      expect(rows.reason).toBe('no_data');
    });
  });
});
