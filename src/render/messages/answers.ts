/**
 * User-visible text of actionable answers (the buttons under a find answer and what their clicks say), the table
 * card opened in a modal, and the Messages tab's welcome, in English and Korean (to be folded into the shared
 * message catalogue).
 */
export interface AnswerMessages {
  openCard: string;
  share: string;
  notWhatIMeant: string;
  moreResults: (n: number) => string;
  /** The small print under the results: how to search the whole catalog. */
  searchHint: (query: string) => string;
  /** The quiet acknowledgement of "Not what I meant". */
  missNoted: string;
  /** A "Not what I meant" clicked again on the same answer. */
  missAlreadyNoted: string;
  /** Shown above a shared card. */
  sharedBy: (userMention: string) => string;
  /** A result whose table left the catalog since the answer was posted. */
  tableGone: (key: string) => string;
  /** The header of the rest of an answer's results. */
  moreHeader: (query: string) => string;
  /** "More results" when the rest is no longer in the catalog. */
  moreGone: string;
  /** A modal's title (at most 24 characters). */
  cardModalTitle: string;
  /** The Messages tab's one-time welcome. */
  welcome: string;
}

export const answerMessages: { en: AnswerMessages; ko: AnswerMessages } = {
  en: {
    openCard: 'Open card',
    share: 'Share to channel',
    notWhatIMeant: 'Not what I meant',
    moreResults: (n) => `${n} more result${n === 1 ? '' : 's'}`,
    searchHint: (query) => `Search the whole catalog with \`/data ${query}\``,
    missNoted: ":memo: Thanks, noted that this wasn't what you meant. The data team reviews these to fill gaps in the catalog. Try other words, or `/data <words>` to search.",
    missAlreadyNoted: ':memo: Already noted, thanks.',
    sharedBy: (who) => `Shared by ${who}`,
    tableGone: (key) => `That table is gone: \`${key}\` is no longer in the catalog (it was removed or renamed since this answer). Ask again, or search with \`/data <words>\`.`,
    moreHeader: (query) => `More results for *${query}*`,
    moreGone: 'Those results are no longer in the catalog. Ask again, or search with `/data <words>`.',
    cardModalTitle: 'Table card',
    welcome:
      ":wave: Hi, I'm *Nansen*. Ask me about data here in plain words, e.g. `which table has latency by country?` or `when was game_log.sessions last updated?`. In channels, mention me (`@Nansen …`); `/data <words>` searches the catalog, `/data help` shows the rest.",
  },
  ko: {
    openCard: '카드 열기',
    share: '채널에 공유',
    notWhatIMeant: '원한 답이 아니에요',
    moreResults: (n) => `결과 ${n}개 더 보기`,
    searchHint: (query) => `전체 카탈로그 검색: \`/data ${query}\``,
    missNoted: ':memo: 알려 주셔서 감사합니다. 데이터 팀이 카탈로그의 빈 곳을 채우는 데 참고합니다. 다른 말로 다시 물어보시거나 `/data <검색어>`로 찾아보세요.',
    missAlreadyNoted: ':memo: 이미 기록했습니다. 감사합니다.',
    sharedBy: (who) => `${who} 님이 공유함`,
    tableGone: (key) => `그 테이블은 없어졌습니다: \`${key}\`이(가) 더 이상 카탈로그에 없습니다(이 답 이후 삭제되었거나 이름이 바뀌었습니다). 다시 물어보시거나 \`/data <검색어>\`로 찾아보세요.`,
    moreHeader: (query) => `*${query}* 결과 더 보기`,
    moreGone: '그 결과들은 더 이상 카탈로그에 없습니다. 다시 물어보시거나 `/data <검색어>`로 찾아보세요.',
    cardModalTitle: '테이블 카드',
    welcome:
      ':wave: 안녕하세요, *Nansen*입니다. 여기서 데이터에 대해 편하게 물어보세요. 예: `국가별 레이턴시 테이블 있어요?`, `game_log.sessions 언제 업데이트됐어?`. 채널에서는 저를 멘션하시고(`@Nansen …`), `/data <검색어>`로 카탈로그를 검색하며, `/data help`에서 나머지를 볼 수 있습니다.',
  },
};
