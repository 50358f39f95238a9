import type { FailureNotice } from '../core/errors';
import type { ResultItem } from '../core/results';
import type { Block, Rendered } from './blocks-common';
import { context, plain, section } from './blocks-common';
import { resultBlock } from './blocks-search';
import { escapeMrkdwn } from '../text/mrkdwn';
import { messagesFor, type Lang } from '../text/catalogue';

/** A short notice ("Bookmarked game_log.sessions."). */
export function noticeBlocks(mrkdwn: string): Rendered {
  return { text: plain(mrkdwn), blocks: [section(mrkdwn)] };
}

/** What a person sees when something failed: their error as-is, or an apology quoting a reference id. */
export function failureBlocks(notice: FailureNotice): Rendered {
  const text = notice.ref ? `:warning: ${escapeMrkdwn(notice.text)}` : `:information_source: ${escapeMrkdwn(notice.text)}`;
  return { text: escapeMrkdwn(notice.text), blocks: [section(text)] };
}

export function helpBlocks(lang: Lang = 'en'): Rendered {
  const m = messagesFor(lang);
  const text = [m('help.intro'), m('help.search'), m('help.card'), m('help.history'), m('help.tag'), m('help.subscribe'), m('help.ask')].join('\n');
  return { text: plain(text), blocks: [section(text), context([m('help.private')])] };
}

export function notFoundBlocks(ref: string, suggestions: ResultItem[], now: Date, lang: Lang = 'en'): Rendered {
  const m = messagesFor(lang);
  const blocks: Block[] = [section(`${m('notFound.text', { ref: escapeMrkdwn(ref) })}${suggestions.length ? m('notFound.didYouMean') : m('notFound.trySearch')}`)];
  suggestions.slice(0, 5).forEach((s, i) => blocks.push(resultBlock(s, i, now, lang)));
  return { text: escapeMrkdwn(m('notFound.fallback', { ref })), blocks };
}

/** The reply to a DM with files attached: Nansen reads only the message's text. */
export function filesNotReadBlocks(lang: Lang = 'en'): Rendered {
  return noticeBlocks(messagesFor(lang)('files.notRead'));
}
