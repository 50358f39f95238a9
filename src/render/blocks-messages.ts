import type { FailureNotice } from '../core/errors';
import type { ResultItem } from '../core/results';
import type { Block, Rendered } from './blocks-common';
import { context, plain, section } from './blocks-common';
import { resultBlock } from './blocks-search';
import { escapeMrkdwn } from '../text/mrkdwn';

/** A short notice ("Bookmarked game_log.sessions."). */
export function noticeBlocks(mrkdwn: string): Rendered {
  return { text: plain(mrkdwn), blocks: [section(mrkdwn)] };
}

/** What a person sees when something failed: their error as-is, or an apology quoting a reference id. */
export function failureBlocks(notice: FailureNotice): Rendered {
  const text = notice.ref ? `:warning: ${escapeMrkdwn(notice.text)}` : `:information_source: ${escapeMrkdwn(notice.text)}`;
  return { text: escapeMrkdwn(notice.text), blocks: [section(text)] };
}

export function helpBlocks(): Rendered {
  const text = [
    '*Nansen* finds and explains data in the catalog.',
    '• `/data <words>`: search tables and dashboards (`/data latency by country`)',
    '• `/data <table>`: open a table card (`/data game_log.sessions`)',
    '• `/data history <table>`: edits of a table, with revert',
    '• `/data tag <tag>`: tables with a tag',
    '• `/data subscribe <pattern> [--digest daily]`: tell this channel about schema changes (`/data subscribe game_log.*`); `/data subscriptions`, `/data unsubscribe`, `/data mute <table>`',
    '• Mention me (`@Nansen when was game_log.sessions last updated?`) or DM me; ask follow-ups in the thread (`is it hourly?`).',
  ].join('\n');
  return { text: plain(text), blocks: [section(text), context(['Replies to `/data` are visible only to you until you press *Share in channel*.'])] };
}

export function notFoundBlocks(ref: string, suggestions: ResultItem[], now: Date): Rendered {
  const blocks: Block[] = [section(`I couldn't find a table called *${escapeMrkdwn(ref)}*.${suggestions.length ? ' Did you mean one of these?' : ' Try `/data <words>` to search.'}`)];
  suggestions.slice(0, 5).forEach((s, i) => blocks.push(resultBlock(s, i, now)));
  return { text: escapeMrkdwn(`No table called ${ref}.`), blocks };
}

/** The reply to a DM with files attached: Nansen reads only the message's text. */
export function filesNotReadBlocks(): Rendered {
  return noticeBlocks(":page_facing_up: I don't read attached files (or images), only the text of a message. Ask in words, e.g. `when was game_log.sessions last updated?`, or paste a table's name.");
}
