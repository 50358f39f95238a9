import type { IsoTime } from '../domain/model';

export type CadenceLabel = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'irregular';

/** How often a table loads, as a table card shows it. */
export interface CadenceSummary {
  label: CadenceLabel;
  /** Typical load time of day, `HH:MM` in the display time zone (daily and slower). */
  typicalTime?: string;
  /** Typical minute past the hour (hourly). */
  typicalMinute?: number;
  /** Whether the last load is overdue for the cadence. */
  late: boolean;
}

const HOUR = 3_600_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const BANDS: Array<{ label: Exclude<CadenceLabel, 'irregular'>; min: number; max: number }> = [
  { label: 'hourly', min: 0.75, max: 1.5 },
  { label: 'daily', min: 20, max: 28 },
  { label: 'weekly', min: 6 * 24, max: 8 * 24 },
  { label: 'monthly', min: 27 * 24, max: 32 * 24 },
];

/** Minutes since midnight of an instant in a time zone. */
function minuteOfDay(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

/**
 * Reads a cadence from load times: the median gap picks the band, and most gaps must agree with it (else
 * irregular). Needs three loads at least.
 */
export function summarizeCadence(updates: IsoTime[], now: Date, timeZone: string): CadenceSummary | undefined {
  const times = updates.map((u) => Date.parse(u)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b).slice(-60);
  if (times.length < 3) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / HOUR);
  const m = median(gaps);
  const band = BANDS.find((b) => m >= b.min && m <= b.max);
  const agreeing = gaps.filter((g) => Math.abs(g - m) <= m * 0.5).length / gaps.length;
  const last = times[times.length - 1]!;
  const late = (now.getTime() - last) / HOUR > m * 1.5 + 0.5;
  if (!band || agreeing < 0.6) return { label: 'irregular', late: false };
  if (band.label === 'hourly') {
    const minutes = times.map((t) => new Date(t).getUTCMinutes());
    return { label: 'hourly', typicalMinute: Math.round(median(minutes)), late };
  }
  const mins = Math.round(median(times.map((t) => minuteOfDay(t, timeZone))));
  const typicalTime = `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
  return { label: band.label, typicalTime, late };
}
