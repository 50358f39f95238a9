import type { Answer } from '../../answering/types';
import { cadenceWord, describeCadence, formatAgo, formatTime } from '../format';
import { listed, t, tableName, users, type ComposeContext } from './parts';
import type { Composition } from './types';
import { josa } from '../../text/korean-particles';

/** "The last run failed at …": a run reported by a lineage producer after the last load. */
function failedRunNote(run: NonNullable<Extract<Answer, { kind: 'last_updated' }>['lastRun']>, a: Extract<Answer, { kind: 'last_updated' }>, c: ComposeContext): string {
  const { s, lang } = c;
  const when = `${formatTime(run.at, a.cadence.timeZone)} (${formatAgo(run.at, a.now, lang)})`;
  const job = s.code(run.job);
  const why = run.message ? `: ${s.escape(run.message.length > 200 ? `${run.message.slice(0, 199)}…` : run.message)}` : '';
  return run.state === 'FAIL'
    ? t(lang, { en: `❌ Its last run failed at ${when}, job ${job}${why}`, ko: `❌ 마지막 실행이 ${when}에 실패했습니다 (작업 ${job})${why}` })
    : t(lang, { en: `⚠️ Its last run was aborted at ${when}, job ${job}${why}`, ko: `⚠️ 마지막 실행이 ${when}에 중단되었습니다 (작업 ${job})${why}` });
}

/** When a table was last loaded, whether it is late, and whether its last run failed. */
export function composeLastUpdated(a: Extract<Answer, { kind: 'last_updated' }>, c: ComposeContext): Composition {
  const { s, lang, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  const failed = a.lastRun ? [failedRunNote(a.lastRun, a, c)] : [];
  if (!a.at) return done(t(lang, { en: `${name} has no recorded loads.`, ko: `${name}의 적재 기록이 없습니다.` }), [], failed);
  const when = `${s.bold(formatTime(a.at, a.cadence.timeZone))} (${formatAgo(a.at, a.now, lang)})`;
  const notes = [...failed, t(lang, { en: `It loads ${describeCadence(a.cadence, lang)}.`, ko: `적재 주기: ${describeCadence(a.cadence, lang)}.` })];
  if (refs.tables[a.table]?.deprecated) {
    notes.push(t(lang, { en: '⚠️ It is deprecated: no longer loaded on purpose, not late.', ko: '⚠️ 사용 중단된 테이블이라 더 이상 적재되지 않습니다 (지연이 아닙니다).' }));
  } else if (a.cadence.late && a.cadence.nextDueAt) {
    notes.push(t(lang, { en: `⚠️ It looks late: the next load was due by ${formatTime(a.cadence.nextDueAt, a.cadence.timeZone)}.`, ko: `⚠️ 적재가 늦어지고 있습니다: 다음 적재 예정 시각은 ${josa(formatTime(a.cadence.nextDueAt, a.cadence.timeZone), '이었/였')}습니다.` }));
  }
  return done(t(lang, { en: `${name} was last updated ${when}.`, ko: `${josa(name, '은/는')} ${when}에 마지막으로 업데이트되었습니다.` }), [], notes);
}

/** How often a table loads, answering "is it hourly?" with yes or no. */
export function composeCadence(a: Extract<Answer, { kind: 'cadence' }>, c: ComposeContext): Composition {
  const { s, lang, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  const how = describeCadence(a.cadence, lang);
  let title: string;
  if (a.asked && a.asked !== 'minutely' && a.cadence.cadence !== 'irregular') {
    const yes = a.asked === a.cadence.cadence;
    title = yes
      ? t(lang, { en: `Yes — ${name} loads ${s.bold(how)}.`, ko: `네, ${josa(name, '은/는')} ${s.bold(how)} 적재됩니다.` })
      : t(lang, { en: `No — ${name} loads ${s.bold(how)}, not ${cadenceWord(a.asked, lang)}.`, ko: `아니요, ${josa(name, '은/는')} ${josa(cadenceWord(a.asked, lang), '이/가')} 아니라 ${s.bold(how)} 적재됩니다.` });
  } else if (a.asked === 'minutely') {
    title = t(lang, { en: `No — ${name} loads ${s.bold(how)}, not every minute (its data may still be per minute).`, ko: `아니요, ${josa(name, '은/는')} 매분이 아니라 ${s.bold(how)} 적재됩니다 (데이터 단위는 분일 수 있습니다).` });
  } else {
    title = t(lang, { en: `${name} loads ${s.bold(how)}.`, ko: `${name}의 적재 주기: ${s.bold(how)}.` });
  }
  const notes: string[] = [];
  if (a.cadence.lastAt) notes.push(t(lang, { en: `Last load: ${formatTime(a.cadence.lastAt, a.cadence.timeZone)} (${formatAgo(a.cadence.lastAt, a.now, lang)}).`, ko: `마지막 적재: ${formatTime(a.cadence.lastAt, a.cadence.timeZone)} (${formatAgo(a.cadence.lastAt, a.now, lang)}).` }));
  if (a.cadence.late) notes.push(t(lang, { en: '⚠️ The last load is overdue for this cadence.', ko: '⚠️ 이 주기로 보면 적재가 늦어지고 있습니다.' }));
  return done(title, [], notes);
}

/** Who owns a table, or who to ask when nobody does. */
export function composeOwners(a: Extract<Answer, { kind: 'owners' }>, c: ComposeContext): Composition {
  const { s, lang, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  if (a.users.length) return done(t(lang, { en: `${name} is owned by ${users(a.users, refs, s)}.`, ko: `${name}의 담당자는 ${users(a.users, refs, s)}입니다.` }));
  const fallback = (a.frequentUsers ?? []).map((r) => r.user);
  return done(
    t(lang, { en: `No owner is recorded for ${name}.`, ko: `${name}에는 등록된 담당자가 없습니다.` }),
    [],
    fallback.length ? [t(lang, { en: `People who use it most, who may know: ${users(fallback, refs, s)}.`, ko: `가장 많이 사용하는 분들께 물어보세요: ${users(fallback, refs, s)}.` })] : [],
  );
}

/** Who reads a table most. */
export function composeFrequentUsers(a: Extract<Answer, { kind: 'frequent_users' }>, c: ComposeContext): Composition {
  const { s, lang, max, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  if (!a.users.length) return done(t(lang, { en: `No reads of ${name} are recorded.`, ko: `${name}의 조회 기록이 없습니다.` }));
  const { items, notes } = listed(a.users, Math.min(max, 5), lang, (r) => ({
    text: `${s.user(r.user, refs.users[r.user])} — ${t(lang, { en: `${r.count} reads`, ko: `${r.count}회 조회` })}`,
  }));
  return done(t(lang, { en: `Who reads ${name} most:`, ko: `${josa(name, '을/를')} 가장 많이 보는 사람:` }), items, notes);
}
