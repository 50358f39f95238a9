import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { answerQuestion, nansenIsInThread } from '../conversation';

/**
 * A reply in a channel thread (`message.channels`, `message.groups`) without a mention: answered only when Nansen
 * already answered in that thread ("is it hourly?" after its answer), never other channel traffic. A reply that
 * mentions Nansen is the `app_mention` listener's; edits, bot messages and other subtypes are ignored.
 */
export function register(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, body, client, context }) => {
    if (event.channel_type !== 'channel' && event.channel_type !== 'group') return;
    if (event.subtype !== undefined) return;
    if ('bot_id' in event && event.bot_id) return;
    if (!event.user || !event.text || !event.thread_ts || event.thread_ts === event.ts) return;
    if (context.botUserId && event.text.includes(`<@${context.botUserId}`)) return;
    if (!(await nansenIsInThread(event.channel, event.thread_ts, deps))) return;
    await answerQuestion({ eventId: body.event_id, channel: event.channel, ts: event.ts, threadTs: event.thread_ts, user: event.user, text: event.text, mode: 'thread' }, client, deps);
  });
}
