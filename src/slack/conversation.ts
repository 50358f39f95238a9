import type { WebClient } from '@slack/web-api';
import { converse } from '../core/conversation';
import type { Rendered } from '../render/blocks-common';
import type { SlackDeps } from './deps';
import { guard } from './support';
import { outgoingMessage } from '../text/mrkdwn';

/** A message that asks Nansen something: a mention in a channel or a direct message. */
export interface IncomingQuestion {
  /** The Events API delivery's event id: retries carry the same one. */
  eventId: string;
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
  /** A direct message: the DM itself is a conversation too, for follow-ups outside a thread. */
  direct: boolean;
}

/**
 * Answers a question in its thread, once per event id, keeping the thread's context for follow-ups. The event is
 * done once the answer (or the apology) is posted; until then it holds only a short lease, so a redelivery after a
 * crash between receiving and answering is answered, and a redelivery while the answer is on its way is dropped.
 */
export async function answerInThread(q: IncomingQuestion, client: WebClient, deps: SlackDeps): Promise<'answered' | 'duplicate'> {
  if (!(await deps.dedupe.claim(q.eventId))) {
    deps.log.info({ eventId: q.eventId, channel: q.channel }, 'duplicate event dropped');
    return 'duplicate';
  }
  const threadTs = q.threadTs ?? q.ts;
  const post = (r: Rendered) => client.chat.postMessage({ channel: q.channel, thread_ts: threadTs, ...outgoingMessage({ text: r.text, blocks: r.blocks }), unfurl_links: false, unfurl_media: false });
  await guard(deps, { listener: q.direct ? 'event:message.im' : 'event:app_mention', eventId: q.eventId, user: q.user }, post, async () => {
    const answer = await converse({ text: q.text, threadKey: `${q.channel}:${threadTs}`, ...(q.direct ? { fallbackKey: q.channel } : {}) }, deps);
    await post(deps.renderAnswer(answer));
  });
  await deps.dedupe.complete(q.eventId);
  return 'answered';
}
