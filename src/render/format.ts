import type { CadenceInfo, Lang } from '../answering/types';

/** Short names of common time zones; anything else shows as its UTC offset. */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Seoul': 'KST',
  'Asia/Tokyo': 'JST',
  'Asia/Shanghai': 'CST',
  'Asia/Singapore': 'SGT',
  'Asia/Kolkata': 'IST',
  'Europe/London': 'UK time',
  'Europe/Berlin': 'CET',
  'Europe/Paris': 'CET',
  'America/New_York': 'ET',
  'America/Los_Angeles': 'PT',
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
};

const partsCache = new Map<string, Intl.DateTimeFormat>();

function dateParts(iso: string, timeZone: string): Record<string, string> {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'shortOffset' });
    partsCache.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** `KST`, `UTC`, or the zone's offset (`GMT+9`). */
export function zoneLabel(timeZone: string): string {
  return ZONE_ABBREVIATIONS[timeZone] ?? dateParts(new Date().toISOString(), timeZone).timeZoneName ?? timeZone;
}

/** `2026-11-24 17:04 KST`. */
export function formatTime(iso: string, timeZone: string): string {
  const p = dateParts(iso, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute} ${zoneLabel(timeZone)}`;
}

/** `13 hours ago` / `13시간 전`, from `now`. */
export function formatAgo(iso: string, now: string, lang: Lang): string {
  const minutes = Math.round((Date.parse(now) - Date.parse(iso)) / 60_000);
  if (minutes < 0) return lang === 'ko' ? '방금' : 'just now';
  const unit = (n: number, en: string, ko: string): string => (lang === 'ko' ? `${n}${ko} 전` : `${n} ${en}${n === 1 ? '' : 's'} ago`);
  if (minutes < 1) return lang === 'ko' ? '방금' : 'just now';
  if (minutes < 60) return unit(minutes, 'minute', '분');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return unit(hours, 'hour', '시간');
  const days = Math.round(hours / 24);
  if (days < 60) return unit(days, 'day', '일');
  const months = Math.round(days / 30);
  if (months < 24) return unit(months, 'month', '개월');
  return unit(Math.round(days / 365), 'year', '년');
}

const CADENCE_WORDS: Record<Lang, Record<CadenceInfo['cadence'], string>> = {
  en: { hourly: 'hourly', daily: 'daily', weekly: 'weekly', monthly: 'monthly', irregular: 'irregularly' },
  ko: { hourly: '매시간', daily: '매일', weekly: '매주', monthly: '매월', irregular: '불규칙하게' },
};

const WEEKDAYS: Record<Lang, string[]> = {
  en: ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'],
  ko: ['일요일', '월요일', '화요일', '수요일', '목요일', '금요일', '토요일'],
};

/** The cadence word alone: `hourly`, `매일`. */
export function cadenceWord(cadence: CadenceInfo['cadence'] | 'minutely', lang: Lang): string {
  if (cadence === 'minutely') return lang === 'ko' ? '매분' : 'every minute';
  return CADENCE_WORDS[lang][cadence];
}

/** `daily around 03:10 KST`, `hourly, about 5 minutes past the hour`, `매주 월요일 06:15 KST 무렵`. */
export function describeCadence(c: CadenceInfo, lang: Lang): string {
  const zone = zoneLabel(c.timeZone);
  const word = cadenceWord(c.cadence, lang);
  if (c.cadence === 'irregular') {
    if (c.observations < 3) return lang === 'ko' ? `적재 기록이 ${c.observations}건뿐이라 주기를 알 수 없습니다` : `too few loads (${c.observations}) to tell a cadence`;
    const gap = c.medianGapHours;
    const every = gap === undefined ? '' : gap < 1 ? `${Math.max(1, Math.round(gap * 60))}${lang === 'ko' ? '분' : ' min'}` : gap < 48 ? `${Math.round(gap)}${lang === 'ko' ? '시간' : ' h'}` : `${Math.round(gap / 24)}${lang === 'ko' ? '일' : ' days'}`;
    if (lang === 'ko') return every ? `불규칙 (적재 간격 중앙값 약 ${every})` : '불규칙';
    return every ? `irregularly (median gap about ${every})` : 'irregularly';
  }
  if (c.cadence === 'hourly') {
    if (c.typicalMinute === undefined) return word;
    return lang === 'ko' ? `매시간 (보통 매시 ${c.typicalMinute}분 무렵)` : `hourly, usually about ${c.typicalMinute} minutes past the hour`;
  }
  const at = c.typicalTime ? `${c.typicalTime} ${zone}` : undefined;
  if (c.cadence === 'weekly' && c.typicalWeekday !== undefined) {
    const day = WEEKDAYS[lang][c.typicalWeekday]!;
    if (lang === 'ko') return `매주 ${day}${at ? ` ${at} 무렵` : ''}`;
    return `weekly, on ${day}${at ? ` around ${at}` : ''}`;
  }
  if (c.cadence === 'monthly' && c.typicalDayOfMonth !== undefined) {
    if (lang === 'ko') return `매월 ${c.typicalDayOfMonth}일${at ? ` ${at} 무렵` : ''}`;
    return `monthly, on day ${c.typicalDayOfMonth}${at ? ` around ${at}` : ''}`;
  }
  if (lang === 'ko') return at ? `${word} ${at} 무렵` : word;
  return at ? `${word} around ${at}` : word;
}

