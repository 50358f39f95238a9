import type { Answer, AnswerRefs, HelpExamples, Lang } from '../../answering/types';
import { t, tableName, type ComposeContext } from './parts';
import type { Composition, Item } from './types';

/** Example questions about the loaded catalog's own tables, or generic ones when it is empty. */
function examples(lang: Lang, refs: AnswerRefs, ex: HelpExamples | undefined): Item[] {
  const name = ex ? tableName(ex.table, refs) : undefined;
  const topic = ex?.topic;
  const column = ex?.column;
  const lines =
    lang === 'ko'
      ? [
          topic ? `${topic} 테이블 어디 있어요?` : '국가별 매출 테이블 어디 있어요?',
          ...(name
            ? [`\`${name}\` 마지막 업데이트 언제예요?`, '업데이트 주기는요?', `\`${name}\` 담당자 누구예요?`, `\`${name}\` 제일 많이 쓰는 사람?`, ...(column ? [`\`${name}\`에서 \`${column}\` 컬럼이 뭐예요?`] : []), `\`${name}\`는 어떤 테이블로 만들어져요?`]
            : []),
        ]
      : [
          topic ? `which table has ${topic}?` : 'which table has revenue by country?',
          ...(name
            ? [`when was \`${name}\` last updated?`, 'is it hourly?', `who owns \`${name}\`?`, `who uses \`${name}\` the most?`, ...(column ? [`what does \`${column}\` mean in \`${name}\`?`] : []), `where does \`${name}\` come from?`]
            : []),
        ];
  return lines.map((text) => ({ text }));
}

/** What one can ask, with examples from the catalog. */
export function composeHelp(a: Extract<Answer, { kind: 'help' }>, c: ComposeContext): Composition {
  const { lang, refs, done } = c;
  return done(t(lang, { en: 'Ask me about the data catalog, in English or Korean. For example:', ko: '데이터 카탈로그에 대해 한국어나 영어로 물어보세요. 예를 들면:' }), examples(lang, refs, a.examples));
}

/** A greeting or thanks, answered in kind, then what one can ask. */
export function composeGreeting(a: Extract<Answer, { kind: 'greeting' }>, c: ComposeContext): Composition {
  const { lang, refs, done } = c;
  return done(t(lang, { en: "Hi! I answer questions about the data catalog: which table holds what, whether it is fresh, who owns it. Try:", ko: '안녕하세요! 데이터 카탈로그에 대해 답해 드려요: 어떤 테이블에 무엇이 있는지, 최신인지, 담당자가 누구인지. 이렇게 물어보세요:' }), examples(lang, refs, a.examples).slice(0, 3));
}
