import type { App, BlockAction } from '@slack/bolt';
import { isKnownAction } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import { replyLangNow, type SlackDeps } from '../deps';
import { t } from '../../text/catalogue';
import { guard, replierFor } from '../support';

/**
 * Any action id Nansen did not render (an old message, a forged payload): acknowledged, logged, and the person is
 * told politely; nothing else happens.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(/.*/, async (args) => {
    const id = 'action_id' in args.action ? String(args.action.action_id) : '';
    if (isKnownAction(id)) return;
    await args.ack();
    deps.log.warn({ actionId: id, user: args.body.user?.id }, 'unknown action');
    const reply = replierFor(args);
    await guard(deps, { listener: 'action:unknown', actionId: id }, (r) => reply.ephemeral(r), () => reply.ephemeral(noticeBlocks(t(replyLangNow(deps, args.client, args.body.user?.id), 'error.unknownButton'))));
  });
}
