import type { Answer, AnswerRefs, ColumnInfo, FoundItem, Lang, MatchField } from '../../answering/types';
import { formatAgo } from '../format';
import { truncate } from '../../text/mrkdwn';
import type { Composition, Item, Style } from './types';

/** What every part of a composition is written with: the style, the language, the limits, what the answer names. */
export interface ComposeContext {
  s: Style;
  lang: Lang;
  /** Most items listed. */
  max: number;
  /** Most characters of a description. */
  maxDesc: number;
  refs: AnswerRefs;
  /** Small print, shared by all parts (a find adds its corrections). */
  footer: string[];
  done(title: string, items?: Item[], notes?: string[], intro?: string[]): Composition;
}

export type T = { en: string; ko: string };
export const t = (lang: Lang, s: T): string => s[lang];

const FIELD: Record<MatchField, T> = {
  name: { en: 'name', ko: '이름' },
  columns: { en: 'columns', ko: '컬럼' },
  description: { en: 'description', ko: '설명' },
  tags: { en: 'tags', ko: '태그' },
  path: { en: 'schema', ko: '스키마' },
};

export function tableName(key: string, refs: AnswerRefs): string {
  return refs.tables[key]?.name ?? key.slice(key.lastIndexOf('/') + 1);
}

export function tableLabel(key: string, refs: AnswerRefs, s: Style, lang: Lang): string {
  const ref = refs.tables[key];
  if (!ref) return `${s.bold(s.escape(tableName(key, refs)))} ${s.code(key)}`;
  const badges: string[] = [];
  if (ref.badges.includes('certified')) badges.push(t(lang, { en: '✅ certified', ko: '✅ 인증' }));
  if (ref.deprecated) badges.push(t(lang, { en: '⚠️ deprecated', ko: '⚠️ 사용 중단' }));
  return `${s.bold(s.escape(ref.name))} ${s.code(`${ref.database} · ${ref.cluster}.${ref.schema}`)}${badges.length ? `  ${badges.join('  ')}` : ''}`;
}

export function dashboardLabel(key: string, refs: AnswerRefs, s: Style): string {
  const d = refs.dashboards[key];
  if (!d) return s.code(key);
  return d.url ? s.link(d.url, d.name) : s.bold(s.escape(d.name));
}

export function users(ids: string[], refs: AnswerRefs, s: Style): string {
  return ids.map((id) => s.user(id, refs.users[id])).join(', ');
}

export function columnLine(c: ColumnInfo, s: Style, lang: Lang, maxDescription: number): string {
  const desc = c.description ? ` — ${s.escape(truncate(c.description, maxDescription))}` : t(lang, { en: ' — no description yet', ko: ' — 설명 없음' });
  return `${s.code(c.name)} ${s.italic(s.escape(c.type))}${desc}`;
}

export function why(item: FoundItem, s: Style, lang: Lang): string {
  const words = item.why.map((w) => {
    const via = w.via && w.via !== w.word.toLowerCase() ? ` → ${s.escape(w.via)}` : '';
    return `${s.escape(w.word)}${via} (${t(lang, FIELD[w.field])})`;
  });
  // which path ranked it: the words alone say nothing when it was found by meaning
  if (item.retrieval === 'meaning' || (item.retrieval === 'both' && !words.length)) words.push(t(lang, { en: 'similar in meaning', ko: '의미가 비슷함' }));
  else if (item.retrieval === 'both') words.push(t(lang, { en: 'and in meaning', ko: '의미도 비슷함' }));
  return words.join(' · ');
}

export function updatedNote(key: string, a: Answer, lang: Lang): string | undefined {
  const at = a.refs.tables[key]?.lastUpdatedAt;
  if (!at) return undefined;
  return t(lang, { en: `updated ${formatAgo(at, a.now, lang)}`, ko: `${formatAgo(at, a.now, lang)} 업데이트` });
}

export function listed<X>(xs: X[], max: number, lang: Lang, render: (x: X) => Item): { items: Item[]; notes: string[] } {
  const items = xs.slice(0, max).map(render);
  const rest = xs.length - items.length;
  return { items, notes: rest > 0 ? [t(lang, { en: `…and ${rest} more.`, ko: `…외 ${rest}개 더 있습니다.` })] : [] };
}

