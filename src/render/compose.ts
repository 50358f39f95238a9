import type { Answer, AnswerRefs, ColumnInfo, FoundItem, Lang, MatchField, UserRef } from '../answering/answer';
import { cadenceWord, describeCadence, formatAgo, formatTime, truncate } from './format';

/**
 * What an answer says, in the question's language, independent of where it is shown: a headline, a list of
 * items, notes and small print. Slack and the terminal lay it out with their own `Style` (mrkdwn or plain text).
 */

/** How a renderer marks text up. Every string from the catalog goes through `escape` (or a method that escapes). */
export interface Style {
  bold(text: string): string;
  code(text: string): string;
  italic(text: string): string;
  link(url: string, label: string): string;
  escape(text: string): string;
  /** A person: a Slack mention when the id is known, else their name. */
  user(id: string, ref: UserRef | undefined): string;
}

export interface Item {
  text: string;
  /** A secondary line (why it matched, when it was updated). */
  note?: string;
}

export interface Composition {
  title: string;
  /** Text between the title and the items (a table card's description and facts). */
  intro: string[];
  items: Item[];
  notes: string[];
  /** Small print: how the table was understood, corrections. */
  footer: string[];
}

export interface ComposeOptions {
  /** Most items listed (results, columns, tables); the rest are counted. Default 10. */
  maxItems?: number;
  /** Most characters of a description. Default 240. */
  maxDescription?: number;
}

type T = { en: string; ko: string };
const t = (lang: Lang, s: T): string => s[lang];

const FIELD: Record<MatchField, T> = {
  name: { en: 'name', ko: '이름' },
  columns: { en: 'columns', ko: '컬럼' },
  description: { en: 'description', ko: '설명' },
  tags: { en: 'tags', ko: '태그' },
  path: { en: 'schema', ko: '스키마' },
};

function tableName(key: string, refs: AnswerRefs): string {
  return refs.tables[key]?.name ?? key.slice(key.lastIndexOf('/') + 1);
}

function tableLabel(key: string, refs: AnswerRefs, s: Style, lang: Lang): string {
  const ref = refs.tables[key];
  if (!ref) return `${s.bold(s.escape(tableName(key, refs)))} ${s.code(key)}`;
  const badges: string[] = [];
  if (ref.badges.includes('certified')) badges.push(t(lang, { en: '✅ certified', ko: '✅ 인증' }));
  if (ref.deprecated) badges.push(t(lang, { en: '⚠️ deprecated', ko: '⚠️ 사용 중단' }));
  return `${s.bold(s.escape(ref.name))} ${s.code(`${ref.database} · ${ref.cluster}.${ref.schema}`)}${badges.length ? `  ${badges.join('  ')}` : ''}`;
}

function dashboardLabel(key: string, refs: AnswerRefs, s: Style): string {
  const d = refs.dashboards[key];
  if (!d) return s.code(key);
  return d.url ? s.link(d.url, d.name) : s.bold(s.escape(d.name));
}

function users(ids: string[], refs: AnswerRefs, s: Style): string {
  return ids.map((id) => s.user(id, refs.users[id])).join(', ');
}

function columnLine(c: ColumnInfo, s: Style, lang: Lang, maxDescription: number): string {
  const desc = c.description ? ` — ${s.escape(truncate(c.description, maxDescription))}` : t(lang, { en: ' — no description yet', ko: ' — 설명 없음' });
  return `${s.code(c.name)} ${s.italic(s.escape(c.type))}${desc}`;
}

function why(item: FoundItem, s: Style, lang: Lang): string {
  return item.why
    .map((w) => {
      const via = w.via && w.via !== w.word.toLowerCase() ? ` → ${s.escape(w.via)}` : '';
      return `${s.escape(w.word)}${via} (${t(lang, FIELD[w.field])})`;
    })
    .join(' · ');
}

function updatedNote(key: string, a: Answer, lang: Lang): string | undefined {
  const at = a.refs.tables[key]?.lastUpdatedAt;
  if (!at) return undefined;
  return t(lang, { en: `updated ${formatAgo(at, a.now, lang)}`, ko: `${formatAgo(at, a.now, lang)} 업데이트` });
}

function listed<X>(xs: X[], max: number, lang: Lang, render: (x: X) => Item): { items: Item[]; notes: string[] } {
  const items = xs.slice(0, max).map(render);
  const rest = xs.length - items.length;
  return { items, notes: rest > 0 ? [t(lang, { en: `…and ${rest} more.`, ko: `…외 ${rest}개 더 있습니다.` })] : [] };
}

/** Composes an answer for display. Pure: everything it shows comes from the answer and its `refs`. */
export function compose(a: Answer, s: Style, options: ComposeOptions = {}): Composition {
  const lang = a.lang;
  const max = options.maxItems ?? 10;
  const maxDesc = options.maxDescription ?? 240;
  const refs = a.refs;
  const footer: string[] = [];
  if (a.resolution?.corrected && a.resolution.typed && 'table' in a) {
    footer.push(t(lang, { en: `I took “${s.escape(a.resolution.typed)}” to mean ${s.bold(s.escape(tableName(a.table, refs)))}.`, ko: `“${s.escape(a.resolution.typed)}”을(를) ${s.bold(s.escape(tableName(a.table, refs)))}(으)로 이해했습니다.` }));
  }
  if (a.resolution?.from === 'search' && 'table' in a) {
    footer.push(t(lang, { en: `No table was named, so I used the best match for your words: ${s.bold(s.escape(tableName(a.table, refs)))}.`, ko: `테이블 이름이 없어 질문에 가장 잘 맞는 ${s.bold(s.escape(tableName(a.table, refs)))} 기준으로 답했습니다.` }));
  }
  if (a.resolution?.alternatives?.length) {
    footer.push(t(lang, { en: `Other tables with the same name: ${a.resolution.alternatives.map((k) => s.code(k)).join(', ')}`, ko: `같은 이름의 다른 테이블: ${a.resolution.alternatives.map((k) => s.code(k)).join(', ')}` }));
  }
  const done = (title: string, items: Item[] = [], notes: string[] = [], intro: string[] = []): Composition => ({ title, intro, items, notes, footer });

  switch (a.kind) {
    case 'find': {
      const what = a.kinds.includes('dashboard') && !a.kinds.includes('table') ? { en: 'dashboards', ko: '대시보드' } : { en: 'tables', ko: '테이블' };
      if (a.corrections.length) {
        footer.push(t(lang, { en: `Searched with corrected words: ${a.corrections.map((c) => `${s.escape(c.from)} → ${s.escape(c.to)}`).join(', ')}`, ko: `고쳐서 검색한 단어: ${a.corrections.map((c) => `${s.escape(c.from)} → ${s.escape(c.to)}`).join(', ')}` }));
      }
      if (!a.results.length) return done(t(lang, { en: `I couldn't find any ${what.en} for that.`, ko: `맞는 ${what.ko}을(를) 찾지 못했습니다.` }));
      const title = a.confident
        ? t(lang, { en: `These ${what.en} match best:`, ko: `가장 잘 맞는 ${what.ko}입니다:` })
        : t(lang, { en: `I'm not sure; these ${what.en} are the closest:`, ko: `확실하지 않지만 가장 가까운 ${what.ko}입니다:` });
      const { items, notes } = listed(a.results, max, lang, (r) => {
        const label = r.kind === 'dashboard' ? dashboardLabel(r.key, refs, s) : tableLabel(r.key, refs, s, lang);
        const description = r.kind === 'dashboard' ? refs.dashboards[r.key]?.description : refs.tables[r.key]?.description;
        const note = [why(r, s, lang), r.kind === 'table' ? updatedNote(r.key, a, lang) : undefined].filter(Boolean).join('  |  ');
        return { text: description ? `${label}\n${s.escape(truncate(description, maxDesc))}` : label, ...(note ? { note } : {}) };
      });
      return done(title, items, notes);
    }
    case 'last_updated': {
      const name = s.bold(s.escape(tableName(a.table, refs)));
      if (!a.at) return done(t(lang, { en: `${name} has no recorded loads.`, ko: `${name}의 적재 기록이 없습니다.` }));
      const when = `${s.bold(formatTime(a.at, a.cadence.timeZone))} (${formatAgo(a.at, a.now, lang)})`;
      const notes = [t(lang, { en: `It loads ${describeCadence(a.cadence, lang)}.`, ko: `적재 주기: ${describeCadence(a.cadence, lang)}.` })];
      if (a.cadence.late && a.cadence.nextDueAt) {
        notes.push(t(lang, { en: `⚠️ It looks late: the next load was due by ${formatTime(a.cadence.nextDueAt, a.cadence.timeZone)}.`, ko: `⚠️ 적재가 늦어지고 있습니다: 다음 적재 예정 시각은 ${formatTime(a.cadence.nextDueAt, a.cadence.timeZone)}이었습니다.` }));
      }
      return done(t(lang, { en: `${name} was last updated ${when}.`, ko: `${name}은(는) ${when}에 마지막으로 업데이트되었습니다.` }), [], notes);
    }
    case 'cadence': {
      const name = s.bold(s.escape(tableName(a.table, refs)));
      const how = describeCadence(a.cadence, lang);
      let title: string;
      if (a.asked && a.asked !== 'minutely' && a.cadence.cadence !== 'irregular') {
        const yes = a.asked === a.cadence.cadence;
        title = yes
          ? t(lang, { en: `Yes — ${name} loads ${s.bold(how)}.`, ko: `네, ${name}은(는) ${s.bold(how)} 적재됩니다.` })
          : t(lang, { en: `No — ${name} loads ${s.bold(how)}, not ${cadenceWord(a.asked, lang)}.`, ko: `아니요, ${name}은(는) ${cadenceWord(a.asked, lang)}이 아니라 ${s.bold(how)} 적재됩니다.` });
      } else if (a.asked === 'minutely') {
        title = t(lang, { en: `No — ${name} loads ${s.bold(how)}, not every minute (its data may still be per minute).`, ko: `아니요, ${name}은(는) 매분이 아니라 ${s.bold(how)} 적재됩니다 (데이터 단위는 분일 수 있습니다).` });
      } else {
        title = t(lang, { en: `${name} loads ${s.bold(how)}.`, ko: `${name}의 적재 주기: ${s.bold(how)}.` });
      }
      const notes: string[] = [];
      if (a.cadence.lastAt) notes.push(t(lang, { en: `Last load: ${formatTime(a.cadence.lastAt, a.cadence.timeZone)} (${formatAgo(a.cadence.lastAt, a.now, lang)}).`, ko: `마지막 적재: ${formatTime(a.cadence.lastAt, a.cadence.timeZone)} (${formatAgo(a.cadence.lastAt, a.now, lang)}).` }));
      if (a.cadence.late) notes.push(t(lang, { en: '⚠️ The last load is overdue for this cadence.', ko: '⚠️ 이 주기로 보면 적재가 늦어지고 있습니다.' }));
      return done(title, [], notes);
    }
    case 'owners': {
      const name = s.bold(s.escape(tableName(a.table, refs)));
      if (a.users.length) return done(t(lang, { en: `${name} is owned by ${users(a.users, refs, s)}.`, ko: `${name}의 담당자는 ${users(a.users, refs, s)}입니다.` }));
      const fallback = (a.frequentUsers ?? []).map((r) => r.user);
      return done(
        t(lang, { en: `No owner is recorded for ${name}.`, ko: `${name}에는 등록된 담당자가 없습니다.` }),
        [],
        fallback.length ? [t(lang, { en: `People who use it most, who may know: ${users(fallback, refs, s)}.`, ko: `가장 많이 사용하는 분들께 물어보세요: ${users(fallback, refs, s)}.` })] : [],
      );
    }
    case 'frequent_users': {
      const name = s.bold(s.escape(tableName(a.table, refs)));
      if (!a.users.length) return done(t(lang, { en: `No reads of ${name} are recorded.`, ko: `${name}의 조회 기록이 없습니다.` }));
      const { items, notes } = listed(a.users, Math.min(max, 5), lang, (r) => ({
        text: `${s.user(r.user, refs.users[r.user])} — ${t(lang, { en: `${r.count} reads`, ko: `${r.count}회 조회` })}`,
      }));
      return done(t(lang, { en: `Who reads ${name} most:`, ko: `${name}을(를) 가장 많이 보는 사람:` }), items, notes);
    }
    case 'columns': {
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
    case 'lineage': {
      const name = s.bold(s.escape(tableName(a.table, refs)));
      const up = a.direction === 'upstream';
      if (!a.tables.length) {
        return done(up ? t(lang, { en: `No upstream tables are recorded for ${name}.`, ko: `${name}의 원천(업스트림) 테이블 기록이 없습니다.` }) : t(lang, { en: `No tables are recorded as built from ${name}.`, ko: `${name}으로 만들어지는 테이블 기록이 없습니다.` }));
      }
      const title = up ? t(lang, { en: `${name} is built from:`, ko: `${name}의 원천(업스트림) 테이블:` }) : t(lang, { en: `Built from ${name} (downstream):`, ko: `${name}으로 만들어지는 (다운스트림) 테이블:` });
      const { items, notes } = listed(a.tables, max, lang, (k) => ({ text: tableLabel(k, refs, s, lang) }));
      return done(title, items, notes);
    }
    case 'dashboards': {
      const name = s.bold(s.escape(tableName(a.table, refs)));
      if (!a.dashboards.length) return done(t(lang, { en: `No dashboards are recorded on ${name}.`, ko: `${name}을(를) 쓰는 대시보드 기록이 없습니다.` }));
      const { items, notes } = listed(a.dashboards, max, lang, (k) => ({ text: dashboardLabel(k, refs, s) }));
      return done(t(lang, { en: `Dashboards built on ${name}:`, ko: `${name}을(를) 쓰는 대시보드:` }), items, notes);
    }
    case 'describe': {
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
    case 'help':
      return done(
        t(lang, { en: 'Ask me about the data catalog, in English or Korean. For example:', ko: '데이터 카탈로그에 대해 한국어나 영어로 물어보세요. 예를 들면:' }),
        (lang === 'ko'
          ? ['국가별 매출 테이블 어디 있어요?', '`orders` 테이블 마지막 업데이트 언제예요?', '업데이트 주기는요?', '`orders` 담당자 누구예요?', '`orders` 제일 많이 쓰는 사람?', '`orders`에서 배송비 컬럼이 뭐예요?', '`orders`는 어떤 테이블로 만들어져요?', '`orders` 쓰는 대시보드 있어요?']
          : ['which table has revenue by country?', 'when was `orders` last updated?', 'is it hourly?', 'who owns `orders`?', 'who uses `orders` the most?', 'what does `ctry` mean in `orders`?', 'where does `orders` come from?', 'which dashboards use `orders`?']
        ).map((text) => ({ text })),
      );
    case 'unknown': {
      const suggestionNote = (intro: T): string[] => (a.suggestions.length ? [`${t(lang, intro)} ${a.suggestions.map((k) => s.bold(s.escape(tableName(k, refs)))).join(', ')}`] : []);
      switch (a.reason) {
        case 'empty':
          return done(t(lang, { en: "I didn't catch a question. Ask me which table holds something, when a table was updated, or who owns it — or say `help`.", ko: '질문을 알아듣지 못했습니다. 어떤 테이블에 무엇이 있는지, 언제 업데이트됐는지, 담당자가 누구인지 물어보세요. `도움말`이라고 해도 됩니다.' }));
        case 'unknown_table':
          return done(
            t(lang, { en: `I don't know a table named ${s.code(a.named ?? '?')}.`, ko: `${s.code(a.named ?? '?')}라는 테이블을 찾지 못했습니다.` }),
            [],
            suggestionNote({ en: 'Closest real names:', ko: '비슷한 이름의 테이블:' }),
          );
        case 'no_subject':
          return done(t(lang, { en: 'Which table do you mean? Name it (e.g. `schema.table`) and ask again.', ko: '어느 테이블을 말씀하시는지 알려주세요 (예: `schema.table`).' }), [], suggestionNote({ en: 'Maybe one of these:', ko: '혹시 이 중 하나인가요:' }));
        case 'no_data': {
          const name = a.subject ? s.bold(s.escape(tableName(a.subject, refs))) : t(lang, { en: 'tables', ko: '테이블' });
          const what = a.asked === 'size' ? { en: 'sizes', ko: '용량' } : { en: 'row counts', ko: '행 수' };
          return done(t(lang, { en: `I don't know that: the catalog doesn't keep ${what.en} of ${name}.`, ko: `알 수 없습니다: 카탈로그에는 ${name}의 ${what.ko} 정보가 없습니다.` }));
        }
        case 'out_of_scope':
          if (a.asked === 'credentials') return done(t(lang, { en: "I can't help with passwords or credentials. Please ask the data platform team through the usual access request.", ko: '비밀번호나 접속 정보는 알려드릴 수 없습니다. 데이터 플랫폼 팀에 정식으로 권한을 요청해 주세요.' }));
          if (a.asked === 'why') return done(t(lang, { en: "I don't know why — I only know the catalog, not the causes behind the numbers.", ko: '원인은 알 수 없습니다. 저는 카탈로그 정보만 알고 있어요.' }), [], suggestionNote({ en: 'These tables may help you dig in:', ko: '살펴볼 만한 테이블:' }));
          return done(t(lang, { en: "I don't know the numbers themselves — I only know where data lives.", ko: '수치 자체는 알 수 없습니다. 어디에 어떤 데이터가 있는지만 알고 있어요.' }), [], suggestionNote({ en: 'You can look it up in:', ko: '이 테이블에서 확인해 보세요:' }));
        case 'no_match':
          return done(t(lang, { en: "I don't know a table for that.", ko: '그에 맞는 테이블을 알지 못합니다.' }), [], suggestionNote({ en: 'Closest matches, in case they help:', ko: '혹시 도움이 될 만한 테이블:' }));
      }
    }
  }
}
