import type { IsoTime } from './model';

const HOUR_MS = 3_600_000;

/** The median gap between consecutive loads, in hours; undefined with fewer than two loads. */
export function medianIntervalHours(updates: IsoTime[]): number | undefined {
  if (updates.length < 2) return undefined;
  const times = updates.map((u) => Date.parse(u)).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / HOUR_MS);
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

/** How often a table loads. */
export type Cadence = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'irregular';

/** How often a table loads and when, read from its load history. */
export interface CadenceInfo {
  cadence: Cadence;
  /** The period in hours (1, 24, 168, ~730); absent when irregular. */
  periodHours?: number;
  /** The median gap between loads, in hours (three loads or more): "irregular, about every 15 minutes". */
  medianGapHours?: number;
  /** Typical minute past the hour (hourly). */
  typicalMinute?: number;
  /** Typical load time of day, `HH:MM` in `timeZone` (daily and slower). */
  typicalTime?: string;
  /** Typical weekday of a weekly load, 0 = Sunday, in `timeZone`. */
  typicalWeekday?: number;
  /** Typical day of the month of a monthly load, in `timeZone`. */
  typicalDayOfMonth?: number;
  /** The IANA time zone of the typical times (`Asia/Seoul`). */
  timeZone: string;
  /** Whether the last load is overdue for the cadence at the present moment. */
  late: boolean;
  lastAt?: IsoTime;
  /** When the next load is due (last load + one period). */
  nextDueAt?: IsoTime;
  /** How many loads the inference saw. */
  observations: number;
}

interface Period {
  cadence: Exclude<Cadence, 'irregular'>;
  hours: number;
  /** The median gaps (hours) this cadence covers. */
  range: [number, number];
  /** How long after the due time a load counts as late. */
  grace: number;
}

const PERIODS: Period[] = [
  { cadence: 'hourly', hours: 1, range: [0.75, 1.5], grace: 1 },
  { cadence: 'daily', hours: 24, range: [20, 28], grace: 12 },
  { cadence: 'weekly', hours: 168, range: [6 * 24, 8 * 24], grace: 48 },
  { cadence: 'monthly', hours: 730.5, range: [27 * 24, 32 * 24], grace: 24 * 7 },
];

interface LocalTime {
  minuteOfDay: number;
  minute: number;
  weekday: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localTime(ms: number, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  return { minuteOfDay: hour * 60 + minute, minute, weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'), day: Number(parts.day) };
}

/** The circular median of values on a cycle (minutes of a day, of an hour): robust to wrapping past midnight. */
export function circularMedian(values: number[], cycle: number): number {
  if (!values.length) return 0;
  const angle = (v: number): number => (2 * Math.PI * v) / cycle;
  const mean = Math.atan2(values.reduce((s, v) => s + Math.sin(angle(v)), 0), values.reduce((s, v) => s + Math.cos(angle(v)), 0));
  const center = (((mean * cycle) / (2 * Math.PI)) % cycle + cycle) % cycle;
  const offsets = values.map((v) => ((((v - center) % cycle) + cycle * 1.5) % cycle) - cycle / 2).sort((a, b) => a - b);
  const mid = Math.floor(offsets.length / 2);
  const median = offsets.length % 2 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
  return ((Math.round(center + median) % cycle) + cycle) % cycle;
}

function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

const hhmm = (minuteOfDay: number): string => `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;

/**
 * Infers a table's cadence from its load times, by the rule of the shared evaluation format: with m the median gap
 * between consecutive loads, a history is `irregular` when fewer than 75% of the gaps lie within [0.8 m, 1.25 m];
 * otherwise m decides (0.75–1.5 h hourly, 20–28 h daily, 6–8 days weekly, 27–32 days monthly, anything else
 * irregular). Fewer than three loads are `irregular`. Adds the typical load time in `timeZone`, and `late` when
 * the last load is overdue at `now` (one period plus a grace: 1 h, 12 h, 2 days, 7 days).
 */
export function inferCadence(updates: IsoTime[], options: { now: Date; timeZone: string }): CadenceInfo {
  const { now, timeZone } = options;
  const times = [...new Set(updates.map((u) => Date.parse(u)).filter((t) => !Number.isNaN(t)))].sort((a, b) => a - b);
  const last = times[times.length - 1];
  const base: CadenceInfo = {
    cadence: 'irregular',
    timeZone,
    late: false,
    observations: times.length,
    ...(last !== undefined ? { lastAt: new Date(last).toISOString() } : {}),
  };
  if (times.length < 3 || last === undefined) return base;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / HOUR_MS);
  const sorted = [...gaps].sort((a, b) => a - b);
  const n = sorted.length;
  const m = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  base.medianGapHours = Math.round(m * 100) / 100;
  const within = gaps.filter((g) => g >= 0.8 * m && g <= 1.25 * m).length / gaps.length;
  if (within < 0.75) return base;
  const period = PERIODS.find((p) => m >= p.range[0] && m <= p.range[1]);
  if (!period) return base;

  const recent = times.slice(-14).map((t) => localTime(t, timeZone));
  const info: CadenceInfo = {
    ...base,
    cadence: period.cadence,
    periodHours: period.hours,
    nextDueAt: new Date(last + period.hours * HOUR_MS).toISOString(),
    late: now.getTime() - last > (period.hours + period.grace) * HOUR_MS,
  };
  if (period.cadence === 'hourly') info.typicalMinute = circularMedian(recent.map((r) => r.minute), 60);
  else {
    info.typicalTime = hhmm(circularMedian(recent.map((r) => r.minuteOfDay), 1440));
    if (period.cadence === 'weekly') info.typicalWeekday = mode(recent.map((r) => r.weekday));
    if (period.cadence === 'monthly') info.typicalDayOfMonth = mode(recent.map((r) => r.day));
  }
  return info;
}
