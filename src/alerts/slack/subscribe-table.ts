import type { App } from '@slack/bolt';
import { toggleSubscription } from '../personal';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import { replyLang, type SlackDeps } from '../../slack/deps';
import { onButton } from '../../slack/actions/button';
import { escapeMrkdwn } from '../../text/mrkdwn';
import { t } from '../../text/catalogue';

/** Subscribe / unsubscribe to a table's schema changes; alerts come as DMs (human edits are not announced). */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.subscribe, async ({ action, body, client }, reply) => {
    const v = decodeValue('table', action.value);
    const lang = await replyLang(deps, client, body.user.id);
    const r = await toggleSubscription(body.user.id, v.key, body.user.id, deps, lang);
    await reply.ephemeral(noticeBlocks(t(lang, r.subscribed ? 'subs.personal.on' : 'subs.personal.off', { title: escapeMrkdwn(r.title) })));
  });
}
