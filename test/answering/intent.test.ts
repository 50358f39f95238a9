import { readCues } from '../../src/answering/intent';
import type { Harness } from './helpers';
import { harness } from './helpers';

describe('intent cues', () => {
  it('reads the direction of lineage from where the table sits', () => {
    expect(readCues('what is §t built from').lineage).toBe('upstream');
    expect(readCues('which tables are built from §t').lineage).toBe('downstream');
    expect(readCues('§t 으로 만들어지는 테이블').lineage).toBe('downstream');
    expect(readCues('§t는 어떤 테이블들로 만들어져요?').lineage).toBe('upstream');
  });

  it('tells a cadence question from a last-update question', () => {
    expect(readCues('when was §t last updated').lastUpdated).toBe(true);
    expect(readCues('when was §t last updated').cadence).toBeUndefined();
    expect(readCues('when does §t load every day?').cadence?.strong).toBe(true);
    expect(readCues('is it hourly?').cadence).toEqual({ strong: false, asked: 'hourly' });
    expect(readCues('매시간 업데이트 되는 거예요?').cadence).toMatchObject({ strong: true, asked: 'hourly' });
    expect(readCues('realtime revenue table, hourly?').cadence).toBeUndefined();
  });

  it('flags questions out of scope', () => {
    expect(readCues('what was total revenue yesterday?').outOfScope).toBe('value');
    expect(readCues('why did dau drop on nov 3?').outOfScope).toBe('why');
    expect(readCues('why riders cancel - cancellation reasons by day').outOfScope).toBeUndefined();
    expect(readCues('redshift 접속 비밀번호 뭐예요?').outOfScope).toBe('credentials');
    expect(readCues('§t 테이블 row 수가 몇 개예요?').noData).toBe('row_count');
  });
});

describe('cues that describe a table rather than ask about one', () => {
  it('reads "how often do people ..." as a search for behaviour, not a schedule', () => {
    expect(readCues('how often do devs take the autocomplete suggestions?').cadence).toBeUndefined();
    expect(readCues('how often do people pick firefox').cadence).toBeUndefined();
    expect(readCues('how often does §t update?').cadence?.strong).toBe(true);
    expect(readCues('how often is it refreshed?').cadence?.strong).toBe(true);
  });

  it('reads a table described by its columns as a search', () => {
    expect(readCues('account master with the health score fields').columns).toBeUndefined();
    expect(readCues('네임스페이스 테이블인데 플랜 컬럼까지 있는 거 뭐예요?').columns).toBeUndefined();
    expect(readCues('does §t have a country column?').columns).toBe('which');
    expect(readCues('which columns does §t have').columns).toBe('which');
  });

  it('needs a table for "built from" to be lineage', () => {
    expect(readCues('scores computed from product usage per customer').lineage).toBeUndefined();
    expect(readCues('what is §t computed from').lineage).toBe('upstream');
    expect(readCues('where does it come from?').lineage).toBe('upstream');
  });

  it('reads "parent" as lineage only when it names tables', () => {
    expect(readCues('NDR and GDR by parent account?').lineage).toBeUndefined();
    expect(readCues('what are the parents of §t').lineage).toBe('upstream');
    expect(readCues('§t parent tables').lineage).toBe('upstream');
  });

  it('reads "X reads from T" as lineage on the side X stands', () => {
    expect(readCues('which models read from the raw §t table?').lineage).toBe('downstream');
    expect(readCues('§t reads from what?').lineage).toBe('upstream');
  });

  it('leaves bracketed asides out of the cues', () => {
    expect(readCues('월별 핑 지표 (그 달 마지막 핑 기준) 보는 테이블').lastUpdated).toBe(false);
    expect(readCues('§t 마지막 업데이트 언제예요?').lastUpdated).toBe(true);
  });

  it('does not read usage (사용량) as size, nor a web address as a table', () => {
    expect(readCues('CI 러너 사용량 일별로 집계된 거 있나요?').noData).toBeUndefined();
    expect(readCues('§t 용량이 얼마예요?').noData).toBe('size');
  });
});

describe('free phrasing, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['when did gmv_daily last get refreshed', 'last_updated'],
    ['gmv_daily freshness?', 'last_updated'],
    ['gmv_daily 데이터 언제 들어왔어요?', 'last_updated'],
    ['gmv_daily 언제 갱신됐나요?', 'last_updated'],
    ['is gmv_daily up to date?', 'last_updated'],
    ['gmv_daily is updated how often?', 'cadence'],
    ['gmv_daily 얼마마다 업데이트돼요?', 'cadence'],
    ['gmv_daily 배치 주기', 'cadence'],
    ['gmv_daily 몇 시에 적재돼요?', 'cadence'],
    ['what time does gmv_daily load?', 'cadence'],
    ['what is the refresh schedule of gmv_daily', 'cadence'],
    ['gmv_daily 누구 거예요?', 'owners'],
    ['who is responsible for gmv_daily', 'owners'],
    ['gmv_daily 문의는 누구한테 하면 돼요?', 'owners'],
    ['point of contact for gmv_daily', 'owners'],
    ['gmv_daily 만든 사람', 'owners'],
    ['who reads gmv_daily the most', 'frequent_users'],
    ['gmv_daily 주로 누가 써요?', 'frequent_users'],
    ['most active users of gmv_daily', 'frequent_users'],
    ['gmv_daily를 자주 보는 사람', 'frequent_users'],
    ['gmv_daily 컬럼 설명', 'columns'],
    ['columns of gmv_daily', 'columns'],
    ['gmv_daily의 스키마', 'columns'],
    ['gmv_daily에서 채널 컬럼', 'columns'],
    ['gmv_daily 업스트림', 'lineage'],
    ['gmv_daily의 소스 테이블', 'lineage'],
    ['what depends on gmv_daily', 'lineage'],
    ['gmv_daily 하위 테이블', 'lineage'],
    ['lineage of gmv_daily', 'lineage'],
    ['which tables feed gmv_daily', 'lineage'],
    ['gmv_daily 관련 대시보드', 'dashboards'],
    ['is gmv_daily used in any dashboard?', 'dashboards'],
    ['what was gmv yesterday?', 'unknown'],
    ['gmv_daily 테이블 크기 얼마예요?', 'unknown'],
    ['give me the jdbc password', 'unknown'],
  ])('%s → %s', async (ask, kind) => {
    expect((await h.ask(ask)).kind).toBe(kind);
  });
});
