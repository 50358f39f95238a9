import type { App } from '@slack/bolt';
import { explainFailure } from '../../core/errors';
import { homeData } from '../../core/home';
import { homeView } from '../../render/blocks-home';
import { replyLang, type SlackDeps } from '../deps';
import { stripNul } from '../../text/mrkdwn';

/** Publishes the person's Home tab each time they open it. */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      const data = await homeData(event.user, deps);
      await client.views.publish({ user_id: event.user, view: stripNul(homeView(data, { now: deps.now(), lang: await replyLang(deps, client, event.user) })) });
    } catch (err) {
      explainFailure(err, deps.log, { listener: 'event:app_home_opened', user: event.user });
    }
  });
}
