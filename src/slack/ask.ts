/**
 * "Ask Nansen" on a message: the message's text is answered by the same core as a mention (`converse`, the Slack
 * renderer), in the message's thread for everyone, or only to the person who asked.
 */
import type { WebClient } from '@slack/web-api';
import { converse } from '../core/conversation';
import { recordIfMissed } from '../core/misses';
import type { AskMetadata } from '../render/blocks-actions';
import type { Rendered } from '../render/blocks-common';
import { BLOCK_LIMITS, context } from '../render/blocks-common';
import type { AskWhere } from '../render/blocks-modals';
import { outgoingMessage } from '../text/mrkdwn';
import { threadKey } from './conversation';
import type { SlackDeps } from './deps';
import { dm, guard } from './support';

/** Slack's answers to a post in a conversation Nansen cannot post in: the answer then goes to the person only. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action', 'restricted_action_thread_only', 'restricted_action_read_only_channel', 'cant_reply_to_message']);

function slackCode(err: unknown): string | undefined {
  const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

function withNote(r: Rendered, note: string): Rendered {
  return r.blocks.length < BLOCK_LIMITS.messageBlocks ? { text: r.text, blocks: [context([note]), ...r.blocks] } : r;
}

/**
 * Tells only the person: an ephemeral message where the message is (in its thread when it is a reply), else, when
 * Slack refuses that (Nansen is not in the conversation, a DM between people), a DM from Nansen.
 */
async function tellPrivately(meta: AskMetadata, user: string, r: Rendered, client: WebClient, deps: SlackDeps): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel: meta.ch, user, ...(meta.th ? { thread_ts: meta.th } : {}), ...outgoingMessage({ text: r.text, blocks: r.blocks }) });
  } catch (err) {
    deps.log.info({ err, channel: meta.ch, user }, 'could not answer Ask Nansen ephemerally; sending a DM');
    await dm(client, user, r);
  }
}

/**
 * Answers the asked message. In its thread, the answer says who asked, and the thread becomes a conversation Nansen
 * is part of (follow-ups without a mention work); when Nansen may not post there, the person gets the answer
 * privately with a word on why. Privately, the conversation is the person's own, so nobody's later thread replies
 * are answered in public because of it.
 */
export async function answerAsked(meta: AskMetadata, where: AskWhere, user: string, client: WebClient, deps: SlackDeps): Promise<void> {
  const thread = meta.th ?? meta.ts;
  const conversation = where === 'thread' ? threadKey(meta.ch, thread) : `ask:${user}:${meta.ch}:${thread}`;
  const privately = (r: Rendered) => tellPrivately(meta, user, r, client, deps);
  await guard(deps, { listener: 'shortcut:ask_nansen', user, channel: meta.ch, where }, privately, async () => {
    const answer = await converse({ text: meta.q, threadKey: conversation }, deps);
    const rendered = deps.renderAnswer(answer);
    if (where === 'private') await privately(rendered);
    else {
      try {
        const r = withNote(rendered, `<@${user}> asked me about this message.`);
        await client.chat.postMessage({ channel: meta.ch, thread_ts: thread, ...outgoingMessage({ text: r.text, blocks: r.blocks }), unfurl_links: false, unfurl_media: false });
      } catch (err) {
        const code = slackCode(err);
        if (!code || !CANNOT_POST.has(code)) throw err;
        deps.log.info({ code, channel: meta.ch, user }, 'could not answer Ask Nansen in the thread; answering privately');
        await privately(withNote(rendered, `I can't post in that conversation (Slack said ${code}; invite me with \`/invite @Nansen\`), so only you see this answer.`));
      }
    }
    await recordIfMissed({ text: meta.q, asker: user, via: 'slack' }, answer, deps);
  });
}
