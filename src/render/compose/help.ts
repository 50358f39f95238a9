import type { Answer } from '../../answering/types';
import { t, type ComposeContext } from './parts';
import type { Composition } from './types';

/** What one can ask, with examples. */
export function composeHelp(_a: Extract<Answer, { kind: 'help' }>, c: ComposeContext): Composition {
  const { lang, done } = c;
  return done(
    t(lang, { en: 'Ask me about the data catalog, in English or Korean. For example:', ko: '데이터 카탈로그에 대해 한국어나 영어로 물어보세요. 예를 들면:' }),
    (lang === 'ko'
      ? ['국가별 매출 테이블 어디 있어요?', '`orders` 테이블 마지막 업데이트 언제예요?', '업데이트 주기는요?', '`orders` 담당자 누구예요?', '`orders` 제일 많이 쓰는 사람?', '`orders`에서 배송비 컬럼이 뭐예요?', '`orders`는 어떤 테이블로 만들어져요?', '`orders` 쓰는 대시보드 있어요?']
      : ['which table has revenue by country?', 'when was `orders` last updated?', 'is it hourly?', 'who owns `orders`?', 'who uses `orders` the most?', 'what does `ctry` mean in `orders`?', 'where does `orders` come from?', 'which dashboards use `orders`?']
    ).map((text) => ({ text })),
  );
}
