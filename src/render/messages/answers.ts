/**
 * User-visible text of actionable answers (the buttons under a find answer and what their clicks say), the table
 * card opened in a modal, and the Messages tab's welcome, per language: a view of the shared message catalogue
 * (src/text/catalogue-slack.ts), where the English and Korean text lives.
 */
import { LANGS, messagesFor, type Lang } from '../../text/catalogue';

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

function messages(lang: Lang): AnswerMessages {
  const m = messagesFor(lang);
  return {
    openCard: m('answer.openCard'),
    share: m('answer.share'),
    notWhatIMeant: m('answer.notWhatIMeant'),
    moreResults: (n) => m('answer.moreResults', { n }),
    searchHint: (query) => m('answer.searchHint', { query }),
    missNoted: m('answer.missNoted'),
    missAlreadyNoted: m('answer.missAlreadyNoted'),
    sharedBy: (who) => m('answer.sharedBy', { who }),
    tableGone: (key) => m('answer.tableGone', { key: `\`${key}\`` }),
    moreHeader: (query) => m('answer.moreHeader', { query }),
    moreGone: m('answer.moreGone'),
    cardModalTitle: m('answer.cardModalTitle'),
    welcome: m('answer.welcome'),
  };
}

export const answerMessages = Object.fromEntries(LANGS.map((l) => [l, messages(l)])) as Record<Lang, AnswerMessages>;
