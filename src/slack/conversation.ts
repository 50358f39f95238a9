import type { WebClient } from '@slack/web-api';
import type { Answer } from '../answering/types';
import { converse } from '../core/conversation';
import { recordIfMissed } from '../core/misses';
import type { Rendered } from '../render/blocks-common';
import type { SlackDeps } from './deps';
import { postLineagePicture } from './lineage-picture';
import { guard } from './support';
import { outgoingMessage } from '../text/mrkdwn';

/**
 * How a message reached Nansen:
 * - `mention`: `@Nansen …` in a channel (answered in the message's thread);
 * - `dm`: a direct message (answered in the DM itself, or in the DM thread it was posted in);
 * - `thread`: a reply without a mention in a channel thread Nansen already answered in. Only questions it can
 *   answer get a reply there: chatter between people ("thanks!", "let me check") is left alone.
 */
export type QuestionMode = 'mention' | 'dm' | 'thread';

/** A message that asks Nansen something. */
export interface IncomingQuestion {
  /** The Events API delivery's event id: retries carry the same one. */
  eventId: string;
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
  mode: QuestionMode;
}

/** The conversation key of a channel thread (what `converse` remembers it under). */
export function threadKey(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

/** Whether Nansen already answered in this thread: only then are replies without a mention for it. */
export async function nansenIsInThread(channel: string, threadTs: string, deps: Pick<SlackDeps, 'threads'>): Promise<boolean> {
  return (await deps.threads.get(threadKey(channel, threadTs))) !== undefined;
}

/** Answers that would be noise as a reply nobody addressed to Nansen. */
function isNoiseUnaddressed(a: Answer): boolean {
  return a.kind === 'greeting' || a.kind === 'help' || (a.kind === 'unknown' && (a.reason === 'no_match' || a.reason === 'empty' || a.reason === 'no_subject'));
}

const LISTENER: Record<QuestionMode, string> = { mention: 'event:app_mention', dm: 'event:message.im', thread: 'event:message.thread' };

/**
 * Answers a question once: a redelivery (same event id) is dropped, and so is the second delivery of one message
 * (a mention in a thread arrives both as `app_mention` and as `message`: same channel and ts). Keeps the
 * conversation's context for follow-ups. The event (and its message) is done once the answer, the apology or the
 * decision to stay silent is final; until then each holds only a short lease, so a redelivery after a crash between
 * receiving and answering is answered, and a redelivery while the answer is on its way is dropped.
 */
export async function answerQuestion(q: IncomingQuestion, client: WebClient, deps: SlackDeps): Promise<'answered' | 'duplicate' | 'silent'> {
  if (!(await deps.dedupe.claim(q.eventId))) {
    deps.log.info({ eventId: q.eventId, channel: q.channel }, 'duplicate event dropped');
    return 'duplicate';
  }
  const messageKey = `msg:${q.channel}:${q.ts}`;
  if (!(await deps.dedupe.claim(messageKey))) {
    // The same message under its other event (app_mention and message): that delivery answers it.
    await deps.dedupe.complete(q.eventId);
    deps.log.info({ eventId: q.eventId, channel: q.channel }, 'second delivery of a message dropped');
    return 'duplicate';
  }
  // A DM's top-level message is answered in the DM; everything else in the thread (a new one for a mention).
  const replyThread = q.mode === 'dm' ? q.threadTs : (q.threadTs ?? q.ts);
  const conversation = q.mode === 'dm' && !q.threadTs ? q.channel : threadKey(q.channel, replyThread ?? q.ts);
  const post = (r: Rendered) =>
    client.chat.postMessage({ channel: q.channel, ...(replyThread ? { thread_ts: replyThread } : {}), ...outgoingMessage({ text: r.text, blocks: r.blocks }), unfurl_links: false, unfurl_media: false });
  let outcome: 'answered' | 'silent' = 'answered';
  await guard(deps, { listener: LISTENER[q.mode], eventId: q.eventId, user: q.user }, post, async () => {
    const answer = await converse({ text: q.text, threadKey: conversation, ...(q.mode === 'dm' && q.threadTs ? { fallbackKey: q.channel } : {}) }, deps);
    deps.languages?.noteQuestion(q.user, answer.lang);
    if (q.mode === 'thread' && isNoiseUnaddressed(answer)) {
      outcome = 'silent';
      return;
    }
    await post(deps.renderAnswer(answer, { dm: q.mode === 'dm' }));
    // the picture after the words: when it cannot be posted, the text answer already stands
    if (answer.kind === 'lineage' && deps.lineagePictures !== false) await postLineagePicture(client, { channel: q.channel, ...(replyThread ? { threadTs: replyThread } : {}) }, answer.table, deps, answer.lang);
    await recordIfMissed({ text: q.text, asker: q.user, via: 'slack' }, answer, deps);
  });
  await deps.dedupe.complete(messageKey);
  await deps.dedupe.complete(q.eventId);
  return outcome;
}
