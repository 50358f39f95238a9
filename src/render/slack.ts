import type { Answer } from '../answering/types';
import type { ComposeOptions, Style } from './compose/types';
import { compose } from './compose';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { plain as plainText } from './blocks-common';

/** The Block Kit blocks this renderer produces (a subset of Slack's). */
export type SlackTextObject = { type: 'mrkdwn'; text: string } | { type: 'plain_text'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'section'; text: SlackTextObject }
  | { type: 'context'; elements: SlackTextObject[] }
  | { type: 'divider' };

/** A message ready for `chat.postMessage`: blocks plus the notification/fallback text. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's limits: 50 blocks a message, 3000 characters in a section's text, 10 elements in a context block. */
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION_TEXT = 3000;
export const SLACK_MAX_CONTEXT_TEXT = 2000;

export const slackStyle: Style = {
  bold: (x) => (x ? `*${x.replace(/\*/g, '∗')}*` : x),
  code: (x) => `\`${escapeMrkdwn(x).replace(/`/g, "'")}\``,
  italic: (x) => (x ? `_${x}_` : x),
  link: (url, label) => (/^https?:\/\//.test(url) ? `<${url.replace(/[<>|]/g, '')}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>` : escapeMrkdwn(label)),
  escape: escapeMrkdwn,
  user: (id, ref) => (ref?.slackId && /^[UW][A-Z0-9]+$/.test(ref.slackId) ? `<@${ref.slackId}>` : `*${escapeMrkdwn(ref?.name ?? id)}*`),
};

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_MAX_SECTION_TEXT) } };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_MAX_CONTEXT_TEXT) }] };
}

/** Plain text for notifications and clients without blocks: mrkdwn markers stripped, mentions kept. */
function fallbackText(title: string): string {
  const plain = title
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|[.,:;!?]|$)/g, '$1$2');
  return truncate(plainText(plain), 300);
}

/**
 * Renders an answer as a Slack message in the question's language: a headline section, one section per item
 * (with a context line for why it matched), notes, and small print. Owners and users are mentioned
 * (`<@U…>`) when their Slack id is known. Never more than 50 blocks or 3000 characters per section: long lists
 * end with a count of what was left out.
 */
export function renderSlack(answer: Answer, options: ComposeOptions = {}): SlackMessage {
  const c = compose(answer, slackStyle, options);
  const blocks: SlackBlock[] = [section(c.title)];
  if (c.intro.length) blocks.push(section(c.intro.join('\n')));
  const tail: SlackBlock[] = [];
  if (c.notes.length) tail.push(section(c.notes.join('\n')));
  if (c.footer.length) tail.push(context(c.footer.join('\n')));
  const room = SLACK_MAX_BLOCKS - blocks.length - tail.length - 1;
  const perItem = c.items.some((i) => i.note) ? 2 : 1;
  if (perItem === 1 && c.items.length > 0) {
    // short items (users, columns, tables) are packed into as few sections as fit 3000 characters each
    let chunk = '';
    const chunks: string[] = [];
    for (const item of c.items) {
      const line = `• ${item.text}`;
      if (chunk && chunk.length + line.length + 1 > SLACK_MAX_SECTION_TEXT) {
        chunks.push(chunk);
        chunk = '';
      }
      chunk = chunk ? `${chunk}\n${line}` : line;
    }
    if (chunk) chunks.push(chunk);
    for (const text of chunks.slice(0, room)) blocks.push(section(text));
    if (chunks.length > room) blocks.push(context(answer.lang === 'ko' ? '…목록이 길어 일부만 보여드립니다.' : '…the list is too long to show in full.'));
  } else {
    const fits = Math.floor(room / perItem);
    for (const item of c.items.slice(0, fits)) {
      blocks.push(section(item.text));
      if (item.note) blocks.push(context(item.note));
    }
    if (c.items.length > fits) blocks.push(context(answer.lang === 'ko' ? `…외 ${c.items.length - fits}개` : `…and ${c.items.length - fits} more`));
  }
  blocks.push(...tail);
  return { text: fallbackText(c.title), blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}
