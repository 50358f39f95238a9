import { negatedTerms } from '../../src/answering/negation';

describe('negatedTerms', () => {
  it('reads contrast in English and Korean', () => {
    expect([...negatedTerms('customer meetings reps log? not tasks, the calendar ones')]).toEqual(['task']);
    expect([...negatedTerms('payments rather than invoices')]).toEqual(['invoice']);
    expect([...negatedTerms('서버 처리 시간 볼 수 있는 테이블? 네트워크 RTT 말고요')]).toEqual(['rtt']);
  });

  it('leaves filters and plain questions alone', () => {
    expect(negatedTerms('mrr per month, with the zero-dollar charges left out').size).toBe(0);
    expect(negatedTerms('events without the staging noise').size).toBe(0);
    expect(negatedTerms('which table has latency by country?').size).toBe(0);
  });
});
