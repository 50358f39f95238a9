import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { explainFailure } from '../../core/errors';
import { homeData } from '../../core/home';
import { homeView } from '../../render/blocks-home';
import { noticeBlocks } from '../../render/blocks-messages';
import { answerMessages } from '../../render/messages/answers';
import { replyLang, type SlackDeps } from '../deps';
import { outgoingMessage, stripNul } from '../../text/mrkdwn';

/**
 * The first time a person opens the Messages tab, a short welcome there: who was welcomed is kept in the user
 * state store (atomically, so two replicas or a redelivered event welcome once).
 */
async function welcomeOnce(user: string, channel: string | undefined, client: WebClient, deps: SlackDeps): Promise<void> {
  if (!(await deps.userState.markWelcomed(user, deps.now().toISOString()))) return;
  const r = noticeBlocks(answerMessages[await replyLang(deps, client, user)].welcome);
  await client.chat.postMessage({ channel: channel && /^D[A-Z0-9]+$/.test(channel) ? channel : user, ...outgoingMessage({ text: r.text, blocks: r.blocks }), unfurl_links: false, unfurl_media: false });
  deps.log.info({ user }, 'welcomed to the messages tab');
}

/** Publishes the person's Home tab each time they open it; welcomes them the first time they open Messages. */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab === 'messages') {
      try {
        await welcomeOnce(event.user, event.channel, client, deps);
      } catch (err) {
        explainFailure(err, deps.log, { listener: 'event:app_home_opened', tab: 'messages', user: event.user });
      }
      return;
    }
    if (event.tab !== 'home') return;
    try {
      const data = await homeData(event.user, deps);
      await client.views.publish({ user_id: event.user, view: stripNul(homeView(data, { now: deps.now(), lang: await replyLang(deps, client, event.user) })) });
    } catch (err) {
      explainFailure(err, deps.log, { listener: 'event:app_home_opened', user: event.user });
    }
  });
}
