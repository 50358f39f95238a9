import { UserError } from '../../src/domain/errors';
import { nextRun, scheduleOf } from '../../workers/schedules';
import { source } from './support/fakes';

describe('scheduleOf', () => {
  it.each<[string | number | undefined, unknown]>([
    [undefined, undefined],
    ['0 * * * *', { pattern: '0 * * * *' }],
    ['  10 3 * * 1-5 ', { pattern: '10 3 * * 1-5' }],
    ['*/5 * * * * *', { pattern: '*/5 * * * * *' }],
    [3_600_000, { every: 3_600_000 }],
    ['60000', { every: 60_000 }],
  ])('%p', (schedule, expected) => {
    expect(scheduleOf(source('w', { schedule }))).toEqual(expected);
  });

  it('reads cron in the given time zone', () => {
    expect(scheduleOf(source('w', { schedule: '0 3 * * *' }), 'Asia/Seoul')).toEqual({ pattern: '0 3 * * *', tz: 'Asia/Seoul' });
  });

  it.each([['every hour'], ['61 * * * *'], [10]])('rejects %p naming the source', (schedule) => {
    expect(() => scheduleOf(source('warehouse', { schedule }))).toThrow(UserError);
    expect(() => scheduleOf(source('warehouse', { schedule }))).toThrow(/warehouse/);
  });
});

describe('nextRun', () => {
  const at = Date.parse('2026-03-01T10:17:30Z');
  it('fires cron at the next matching minute, in the time zone', () => {
    expect(new Date(nextRun({ pattern: '0 * * * *' }, at)).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    // 03:00 in Seoul is 18:00 UTC the day before
    expect(new Date(nextRun({ pattern: '0 3 * * *', tz: 'Asia/Seoul' }, at)).toISOString()).toBe('2026-03-01T18:00:00.000Z');
  });
  it('fires intervals after the interval', () => {
    expect(nextRun({ every: 60_000 }, at) - at).toBeLessThanOrEqual(60_000);
    expect(nextRun({ every: 60_000 }, at)).toBeGreaterThan(at);
  });
});
