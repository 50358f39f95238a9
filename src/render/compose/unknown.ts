import type { Answer } from '../../answering/types';
import { t, tableName, type ComposeContext, type T } from './parts';
import type { Composition } from './types';

/** Why there is no answer, and what might help instead. */
export function composeUnknown(a: Extract<Answer, { kind: 'unknown' }>, c: ComposeContext): Composition {
  const { s, lang, refs, done } = c;
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
