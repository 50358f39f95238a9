import type { App } from '@slack/bolt';
import { toggleSubscription } from '../../core/bookmarks';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { esc } from '../../render/blocks-common';
import { noticeBlocks } from '../../render/blocks-messages';
import type { SlackDeps } from '../deps';
import { onButton } from './button';

/** Subscribe / unsubscribe to a table's changes; alerts come as DMs. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.subscribe, async ({ action, body }, reply) => {
    const v = decodeValue('table', action.value);
    const r = await toggleSubscription(body.user.id, v.key, body.user.id, deps);
    await reply.ephemeral(noticeBlocks(r.subscribed ? `:bell: I'll DM you when the schema of *${esc(r.title)}* changes or someone edits it.` : `You won't get alerts for *${esc(r.title)}* any more.`));
  });
}
