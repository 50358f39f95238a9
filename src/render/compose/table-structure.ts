import type { Answer, ColumnInfo } from '../../answering/types';
import { describeCadence, formatAgo, formatTime } from '../format';
import { truncate } from '../../text/mrkdwn';
import { columnLine, dashboardLabel, listed, t, tableLabel, tableName, users, type ComposeContext } from './parts';
import type { Composition } from './types';
import { josa } from '../../text/korean-particles';

/** A column's meaning, the column that holds something, or the column list. */
export function composeColumns(a: Extract<Answer, { kind: 'columns' }>, c: ComposeContext): Composition {
  const { s, lang, max, maxDesc, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  if (a.column) {
    const col: ColumnInfo = { name: a.column, type: a.type ?? '', ...(a.description ? { description: a.description } : {}) };
    const title =
      a.mode === 'meaning'
        ? t(lang, { en: `${s.code(a.column)} in ${name}:`, ko: `${name}의 ${s.code(a.column)} 컬럼:` })
        : t(lang, { en: `In ${name}, that is most likely ${s.code(a.column)}:`, ko: `${name}에서는 ${s.code(a.column)} 컬럼일 가능성이 가장 높습니다:` });
    const notes = a.candidates?.length
      ? [t(lang, { en: `Other candidates: ${a.candidates.map((c) => s.code(c.name)).join(', ')}`, ko: `다른 후보: ${a.candidates.map((c) => s.code(c.name)).join(', ')}` })]
      : [];
    return done(title, [{ text: columnLine(col, s, lang, maxDesc) }], notes);
  }
  const cols = a.columns ?? [];
  const { items, notes } = listed(cols, Math.max(max, 30), lang, (c) => ({ text: columnLine(c, s, lang, 120) }));
  return done(t(lang, { en: `Columns of ${name} (${cols.length}):`, ko: `${name}의 컬럼 (${cols.length}개):` }), items, notes);
}

/** The tables a table is built from, or built from it. */
export function composeLineage(a: Extract<Answer, { kind: 'lineage' }>, c: ComposeContext): Composition {
  const { s, lang, max, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  const up = a.direction === 'upstream';
  if (!a.tables.length) {
    return done(up ? t(lang, { en: `No upstream tables are recorded for ${name}.`, ko: `${name}의 원천(업스트림) 테이블 기록이 없습니다.` }) : t(lang, { en: `No tables are recorded as built from ${name}.`, ko: `${josa(name, '으로/로')} 만들어지는 테이블 기록이 없습니다.` }));
  }
  const title = up ? t(lang, { en: `${name} is built from:`, ko: `${name}의 원천(업스트림) 테이블:` }) : t(lang, { en: `Built from ${name} (downstream):`, ko: `${josa(name, '으로/로')} 만들어지는 (다운스트림) 테이블:` });
  const { items, notes } = listed(a.tables, max, lang, (k) => ({ text: tableLabel(k, refs, s, lang) }));
  return done(title, items, notes);
}

/** The dashboards built on a table. */
export function composeDashboards(a: Extract<Answer, { kind: 'dashboards' }>, c: ComposeContext): Composition {
  const { s, lang, max, refs, done } = c;
  const name = s.bold(s.escape(tableName(a.table, refs)));
  if (!a.dashboards.length) return done(t(lang, { en: `No dashboards are recorded on ${name}.`, ko: `${josa(name, '을/를')} 쓰는 대시보드 기록이 없습니다.` }));
  const { items, notes } = listed(a.dashboards, max, lang, (k) => ({ text: dashboardLabel(k, refs, s) }));
  return done(t(lang, { en: `Dashboards built on ${name}:`, ko: `${josa(name, '을/를')} 쓰는 대시보드:` }), items, notes);
}

/** A table's card in words: description, owners, freshness, users, dashboards, columns. */
export function composeDescribe(a: Extract<Answer, { kind: 'describe' }>, c: ComposeContext): Composition {
  const { s, lang, max, maxDesc, refs, done } = c;
  const ref = refs.tables[a.table];
  const title = tableLabel(a.table, refs, s, lang);
  const notes: string[] = [];
  notes.push(ref?.description ? s.escape(truncate(ref.description, maxDesc * 2)) : t(lang, { en: 'No description yet.', ko: '설명이 아직 없습니다.' }));
  notes.push(t(lang, { en: `Owners: ${a.owners.length ? users(a.owners, refs, s) : 'none recorded'}`, ko: `담당자: ${a.owners.length ? users(a.owners, refs, s) : '없음'}` }));
  if (a.cadence.lastAt) notes.push(t(lang, { en: `Last updated ${formatTime(a.cadence.lastAt, a.cadence.timeZone)} (${formatAgo(a.cadence.lastAt, a.now, lang)}); loads ${describeCadence(a.cadence, lang)}.`, ko: `마지막 업데이트 ${formatTime(a.cadence.lastAt, a.cadence.timeZone)} (${formatAgo(a.cadence.lastAt, a.now, lang)}), 적재 주기: ${describeCadence(a.cadence, lang)}.` }));
  if (a.frequentUsers.length) notes.push(t(lang, { en: `Frequent users: ${users(a.frequentUsers.map((r) => r.user), refs, s)}`, ko: `자주 쓰는 사람: ${users(a.frequentUsers.map((r) => r.user), refs, s)}` }));
  if (a.dashboards.length) notes.push(t(lang, { en: `Dashboards: ${a.dashboards.map((d) => dashboardLabel(d, refs, s)).join(', ')}`, ko: `대시보드: ${a.dashboards.map((d) => dashboardLabel(d, refs, s)).join(', ')}` }));
  if (a.columns.length) notes.push(t(lang, { en: `Columns (${a.columns.length}):`, ko: `컬럼 (${a.columns.length}개):` }));
  const { items, notes: more } = listed(a.columns, Math.max(max, 20), lang, (c) => ({ text: columnLine(c, s, lang, 120) }));
  return done(title, items, more, notes);
}
