import { circularMedian, inferCadence } from '../../src/domain/load-history';

const H = 3_600_000;
const NOW = Date.parse('2026-11-24T09:00:00Z');
const series = (count: number, stepHours: number, endMs: number, jitterMin = 0): string[] =>
  Array.from({ length: count }, (_, i) => new Date(endMs - (count - 1 - i) * stepHours * H + (((i * 7) % 5) - 2) * jitterMin * 60_000).toISOString());
const infer = (updates: string[], now = NOW) => inferCadence(updates, { now: new Date(now), timeZone: 'Asia/Seoul' });

describe('cadence inference', () => {
  it('hourly, with the typical minute past the hour', () => {
    const c = infer(series(48, 1, NOW - 55 * 60_000, 1));
    expect(c.cadence).toBe('hourly');
    expect(c.typicalMinute).toBeGreaterThanOrEqual(0);
    expect(c.late).toBe(false);
  });

  it('daily around 03:10 KST (18:10 UTC), wrapping past midnight UTC correctly', () => {
    const c = infer(series(30, 24, Date.parse('2026-11-23T18:10:00Z'), 5));
    expect(c).toMatchObject({ cadence: 'daily', typicalTime: '03:10', timeZone: 'Asia/Seoul', late: false });
  });

  it('daily loads straddling midnight KST give a time near midnight, not noon', () => {
    const updates = Array.from({ length: 20 }, (_, i) => new Date(Date.parse('2026-11-01T14:55:00Z') + i * 24 * H + (i % 2 ? 10 : -10) * 60_000).toISOString());
    const c = infer(updates, Date.parse('2026-11-21T00:00:00Z'));
    expect(c.cadence).toBe('daily');
    expect(['23:45', '23:55', '00:00', '00:05']).toContain(c.typicalTime);
  });

  it('weekly on a weekday, monthly on a day of the month', () => {
    const weekly = infer(series(12, 168, Date.parse('2026-11-22T21:15:00Z')));
    expect(weekly.cadence).toBe('weekly');
    expect(weekly.typicalWeekday).toBe(1);
    const monthly = infer(['2026-06-01T19:05:00Z', '2026-07-01T19:05:00Z', '2026-08-01T19:05:00Z', '2026-09-01T19:05:00Z', '2026-10-01T19:05:00Z', '2026-11-01T19:05:00Z']);
    expect(monthly).toMatchObject({ cadence: 'monthly', typicalDayOfMonth: 2, typicalTime: '04:05' });
  });

  it('irregular when gaps vary too much, or with fewer than three loads', () => {
    const gaps = [5, 40, 3, 90, 12, 60, 7, 33, 100, 2];
    let t = NOW - gaps.reduce((a, b) => a + b, 0) * H;
    const updates = gaps.map((g) => new Date((t += g * H)).toISOString());
    expect(infer(updates).cadence).toBe('irregular');
    expect(infer(series(2, 24, NOW)).cadence).toBe('irregular');
    expect(infer([]).observations).toBe(0);
  });

  it('follows the evaluation rule: loads every 15 minutes are irregular (median gap outside the scale)', () => {
    const c = infer(series(40, 0.25, NOW - 10 * 60_000));
    expect(c.cadence).toBe('irregular');
    expect(c.medianGapHours).toBe(0.25);
  });

  it('tolerates occasional skipped loads', () => {
    const updates = series(40, 1, NOW - 20 * 60_000).filter((_, i) => i % 9 !== 4);
    expect(infer(updates).cadence).toBe('hourly');
  });

  it('is late when the last load is overdue by more than a grace period', () => {
    expect(infer(series(30, 24, NOW - 40 * H)).late).toBe(true);
    expect(infer(series(30, 24, NOW - 30 * H)).late).toBe(false);
    expect(infer(series(30, 1, NOW - 2.5 * H)).late).toBe(true);
  });

  it('ignores duplicates and order of the input', () => {
    const s = series(10, 24, NOW - 2 * H);
    expect(infer([...s, ...s].reverse()).cadence).toBe('daily');
  });

  it('circular median handles the wrap', () => {
    expect(circularMedian([1430, 1435, 5, 10, 15], 1440)).toBe(5);
    expect(circularMedian([58, 59, 1, 2, 3], 60)).toBe(1);
  });
});
