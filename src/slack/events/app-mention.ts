import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { answerQuestion } from '../conversation';

/** `@Nansen <question>` in a channel: answered in the question's thread (Bolt has already acknowledged the event). */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, body, client }) => {
    if (!event.user || !event.text) return;
    await answerQuestion(
      { eventId: body.event_id, channel: event.channel, ts: event.ts, ...(event.thread_ts ? { threadTs: event.thread_ts } : {}), user: event.user, text: event.text, mode: 'mention' },
      client,
      deps,
    );
  });
}
