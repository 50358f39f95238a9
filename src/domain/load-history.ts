import type { IsoTime } from './model';

/** The median gap between consecutive loads, in hours; undefined with fewer than two loads. */
export function medianIntervalHours(updates: IsoTime[]): number | undefined {
  if (updates.length < 2) return undefined;
  const times = updates.map((u) => Date.parse(u)).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / 3_600_000);
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}
