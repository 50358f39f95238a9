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
