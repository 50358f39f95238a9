import type { Answer } from '../../answering/types';
import { truncate } from '../../text/mrkdwn';
import { dashboardLabel, listed, t, tableLabel, updatedNote, why, type ComposeContext } from './parts';
import type { Composition } from './types';
import { josa } from '../../text/korean-particles';

/** A search's results, best first, with why each matched. */
export function composeFind(a: Extract<Answer, { kind: 'find' }>, c: ComposeContext): Composition {
  const { s, lang, max, maxDesc, refs, done } = c;
  const what = a.kinds.includes('dashboard') && !a.kinds.includes('table') ? { en: 'dashboards', ko: '대시보드' } : { en: 'tables', ko: '테이블' };
  if (a.corrections.length) {
    c.footer.push(t(lang, { en: `Searched with corrected words: ${a.corrections.map((c) => `${s.escape(c.from)} → ${s.escape(c.to)}`).join(', ')}`, ko: `고쳐서 검색한 단어: ${a.corrections.map((c) => `${s.escape(c.from)} → ${s.escape(c.to)}`).join(', ')}` }));
  }
  if (!a.results.length) return done(t(lang, { en: `I couldn't find any ${what.en} for that.`, ko: `맞는 ${josa(what.ko, '을/를')} 찾지 못했습니다.` }));
  const title = a.confident
    ? t(lang, { en: `These ${what.en} match best:`, ko: `가장 잘 맞는 ${what.ko}입니다:` })
    : t(lang, { en: `I'm not sure; my best guesses are these ${what.en}:`, ko: `확실하지 않습니다. 가장 그럴듯한 ${what.ko}입니다(추측):` });
  const { items, notes } = listed(a.results, max, lang, (r) => {
    const label = r.kind === 'dashboard' ? dashboardLabel(r.key, refs, s) : tableLabel(r.key, refs, s, lang);
    const description = r.kind === 'dashboard' ? refs.dashboards[r.key]?.description : refs.tables[r.key]?.description;
    const note = [why(r, s, lang), r.kind === 'table' ? updatedNote(r.key, a, lang) : undefined].filter(Boolean).join('  |  ');
    return { text: description ? `${label}\n${s.escape(truncate(description, maxDesc))}` : label, ...(note ? { note } : {}) };
  });
  return done(title, items, notes);
}
