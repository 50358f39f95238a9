import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { answerQuestion } from '../conversation';
import { filesNotReadBlocks } from '../../render/blocks-messages';
import { outgoingMessage } from '../../text/mrkdwn';

/**
 * A direct message to Nansen: answered in the DM (in its thread when it was posted in one). A message with files
 * gets a reply that files are not read (its text, if any, is answered too). Edits, bot messages and other
 * subtypes are ignored.
 */
export function register(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im') return;
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    if ('bot_id' in event && event.bot_id) return;
    if (!('user' in event) || !event.user) return;
    const threadTs = 'thread_ts' in event && event.thread_ts ? event.thread_ts : undefined;
    const text = 'text' in event && event.text ? event.text : '';
    if (event.subtype === 'file_share') {
      const key = `files:${event.channel}:${event.ts}`;
      if (await deps.dedupe.claim(key)) {
        const r = filesNotReadBlocks();
        await client.chat
          .postMessage({ channel: event.channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...outgoingMessage({ text: r.text, blocks: r.blocks }) })
          .catch((err: unknown) => deps.log.warn({ err, channel: event.channel }, 'could not say files are not read'));
        await deps.dedupe.complete(key);
      }
      if (!text.trim()) return;
    }
    if (!text) return;
    await answerQuestion({ eventId: body.event_id, channel: event.channel, ts: event.ts, ...(threadTs ? { threadTs } : {}), user: event.user, text, mode: 'dm' }, client, deps);
  });
}
