import type { Answer } from '../../answering/types';
import { listed, t, tableLabel, users, type ComposeContext } from './parts';
import type { Composition } from './types';

/** The tables a person owns, or uses most. */
export function composePerson(a: Extract<Answer, { kind: 'person' }>, c: ComposeContext): Composition {
  const { s, lang, max, refs, done } = c;
  const who = users([a.user], refs, s);
  if (a.relation === 'owns') {
    if (!a.owned.length) {
      const note = a.used.length ? [t(lang, { en: `They read ${a.used.length} tables; ask me "what does ${refs.users[a.user]?.name ?? a.user} use most?"`, ko: `읽는 테이블은 ${a.used.length}개 있습니다.` })] : [];
      return done(t(lang, { en: `${who} owns no table in the catalog.`, ko: `${who} 님이 담당하는 테이블은 카탈로그에 없습니다.` }), [], note);
    }
    const { items, notes } = listed(a.owned, max, lang, (k) => ({ text: tableLabel(k, refs, s, lang) }));
    return done(t(lang, { en: `${who} owns ${a.owned.length} ${a.owned.length === 1 ? 'table' : 'tables'}:`, ko: `${who} 님이 담당하는 테이블 (${a.owned.length}개):` }), items, notes);
  }
  if (!a.used.length) return done(t(lang, { en: `No reads by ${who} are recorded.`, ko: `${who} 님의 조회 기록이 없습니다.` }));
  const { items, notes } = listed(a.used, max, lang, (u) => ({ text: `${tableLabel(u.table, refs, s, lang)} — ${t(lang, { en: `${u.count} reads`, ko: `${u.count}회 조회` })}` }));
  return done(t(lang, { en: `What ${who} reads most:`, ko: `${who} 님이 가장 많이 보는 테이블:` }), items, notes);
}
