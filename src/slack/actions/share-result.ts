import type { App } from '@slack/bolt';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { BLOCK_LIMITS, context, fitBlocks } from '../../render/blocks-common';
import { answerMessages } from '../../render/messages/answers';
import { tableCardBlocks } from '../../render/table-card';
import { replyLang, type SlackDeps } from '../deps';
import { onButton } from './button';
import { cardOrGone } from './open-card';
import { outgoingMessage } from '../../text/mrkdwn';

/**
 * "Share to channel" beside a result of an answer: the result's card is posted for everyone, attributed to the
 * person who shared it. An answer in a thread shares into that thread and to the channel (`reply_broadcast`), so
 * the card stays with the question it answers; the answer itself stays as it was.
 */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.shareResult, async ({ action, body, client }) => {
    const v = decodeValue('table', action.value);
    // shared for everyone, in the language of the person who shares it
    const lang = await replyLang(deps, client, body.user.id);
    const card = await cardOrGone(v.key, deps, lang);
    const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
    if (!channel) return;
    const threadTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
    const r = tableCardBlocks(card, { now: deps.now(), timeZone: deps.timeZone, shareable: false, lang });
    const blocks = [...fitBlocks(r.blocks, BLOCK_LIMITS.messageBlocks - 1), context([answerMessages[lang].sharedBy(`<@${body.user.id}>`)])];
    const message = { channel, ...outgoingMessage({ text: r.text, blocks }), unfurl_links: false, unfurl_media: false };
    await client.chat.postMessage(threadTs ? { ...message, thread_ts: threadTs, reply_broadcast: true } : message);
    deps.log.info({ user: body.user.id, channel, table: v.key }, 'result shared');
  });
}
