import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { answerInThread } from '../conversation';

/** A direct message to Nansen: answered in its thread. Edits, bot messages and other subtypes are ignored. */
export function register(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    if ('bot_id' in event && event.bot_id) return;
    if (!('user' in event) || !event.user || !('text' in event) || !event.text) return;
    await answerInThread(
      { eventId: body.event_id, channel: event.channel, ts: event.ts, ...('thread_ts' in event && event.thread_ts ? { threadTs: event.thread_ts } : {}), user: event.user, text: event.text, direct: true },
      client,
      deps,
    );
  });
}
