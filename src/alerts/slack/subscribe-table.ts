import type { App } from '@slack/bolt';
import { toggleSubscription } from '../personal';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import type { SlackDeps } from '../../slack/deps';
import { onButton } from '../../slack/actions/button';
import { escapeMrkdwn } from '../../text/mrkdwn';

/** Subscribe / unsubscribe to a table's schema changes; alerts come as DMs (human edits are not announced). */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.subscribe, async ({ action, body }, reply) => {
    const v = decodeValue('table', action.value);
    const r = await toggleSubscription(body.user.id, v.key, body.user.id, deps);
    await reply.ephemeral(noticeBlocks(r.subscribed ? `:bell: I'll DM you when the schema of *${escapeMrkdwn(r.title)}* changes.` : `You won't get schema-change alerts for *${escapeMrkdwn(r.title)}* any more.`));
  });
}
