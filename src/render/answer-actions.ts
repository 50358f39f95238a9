/**
 * Answers people can act on: a find answer shows its top results compactly, each with "Open card" and (outside a
 * DM) "Share to channel", then "N more results" and "Not what I meant". Every other answer renders as before
 * (`renderSlack`). Always within a message's 50 blocks; every button value within Slack's 2000 characters and
 * within what the listeners' schemas accept.
 */
import type { Answer } from '../answering/types';
import { compose } from './compose';
import { ACTION, actionId, encodeValue, type ValueOf } from './blocks-actions';
import type { Block, Button, Rendered } from './blocks-common';
import { actions, BLOCK_LIMITS, button, context, fitBlocks, plain, section } from './blocks-common';
import { answerMessages } from './messages/answers';
import { renderSlack, slackStyle } from './slack';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';

/** Where an answer is posted: in a DM there is no channel to share to. */
export interface AnswerPlace {
  dm?: boolean;
}

/** Results shown in the answer itself; the rest are behind "N more results". */
export const ANSWER_TOP = 3;
/** Results an answer's "more" button can carry (Slack's value limit and the schema's). */
const MORE_MAX = 10;
/** Results a "Not what I meant" records as offered. */
const OFFERED_MAX = 5;
/** The longest key a button value carries (the value schema's). */
const KEY_MAX = 600;
const QUERY_MAX = 500;
const DESCRIPTION_CHARS = 150;

/** Renders any answer for Slack; find answers with results get their buttons. */
export function renderSlackAnswer(answer: Answer, place: AnswerPlace = {}): Rendered {
  if (answer.kind !== 'find' || !answer.results.length) return renderSlack(answer);
  return findAnswerBlocks(answer, place);
}

/** A value that fits a button: the list is shortened first, then the question. */
function fitted<K extends 'miss' | 'more'>(kind: K, build: (q: string, n: number) => ValueOf<K>, query: string, count: number): { value: string; n: number } | undefined {
  let q = Array.from(query).slice(0, QUERY_MAX).join('');
  let n = count;
  for (;;) {
    const value = encodeValue(kind, build(q, n));
    if (value.length <= BLOCK_LIMITS.buttonValue) return { value, n };
    if (n > 1) n -= 1;
    else if (q.length) q = Array.from(q).slice(0, Math.floor(Array.from(q).length / 2)).join('');
    else return undefined;
  }
}

function findAnswerBlocks(a: Extract<Answer, { kind: 'find' }>, place: AnswerPlace): Rendered {
  const m = answerMessages[a.lang];
  const c = compose(a, slackStyle, { maxItems: ANSWER_TOP, maxDescription: DESCRIPTION_CHARS });
  const blocks: Block[] = [section(c.title)];
  const shown = a.results.slice(0, c.items.length);
  c.items.forEach((item, i) => {
    const r = shown[i]!;
    const canOpen = r.kind === 'table' && r.key.length <= KEY_MAX;
    const open = canOpen ? button(m.openCard, actionId(ACTION.openCard, i), encodeValue('table', { key: r.key })) : undefined;
    blocks.push(section(item.text, place.dm ? open : undefined));
    if (item.note) blocks.push(context([item.note]));
    if (!place.dm && open) blocks.push(...actions([open, button(m.share, actionId(ACTION.shareResult, i), encodeValue('table', { key: r.key }))]));
  });
  const small = [...c.footer, m.searchHint(escapeMrkdwn(truncate(a.query.replace(/[`\n]/g, ' '), 80)))];
  blocks.push(context(small));
  const buttons: Button[] = [];
  const rest = a.results.slice(shown.length, shown.length + MORE_MAX).filter((r) => r.key.length <= KEY_MAX);
  if (rest.length) {
    const more = fitted('more', (q, n) => ({ q, l: a.lang, r: rest.slice(0, n).map((r) => ({ key: r.key, ...(r.kind === 'dashboard' ? { d: 1 as const } : {}) })) }), a.query, rest.length);
    if (more) buttons.push(button(m.moreResults(more.n), ACTION.moreResults, more.value));
  }
  const offered = a.results.slice(0, OFFERED_MAX).map((r) => r.key).filter((k) => k.length <= KEY_MAX);
  const miss = fitted('miss', (q, n) => ({ q, l: a.lang, o: offered.slice(0, n) }), a.query, Math.max(1, offered.length));
  if (miss) buttons.push(button(m.notWhatIMeant, ACTION.notWhatIMeant, miss.value));
  if (buttons.length) blocks.push(...actions(buttons));
  const names = shown.map((r) => (r.kind === 'dashboard' ? a.refs.dashboards[r.key]?.name : a.refs.tables[r.key]?.name) ?? r.key);
  return { text: truncate(plain(`${c.title.replace(/[*_`]/g, '')} ${names.join(', ')}`), 300), blocks: fitBlocks(blocks, BLOCK_LIMITS.messageBlocks) };
}
