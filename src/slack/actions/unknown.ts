import type { App, BlockAction } from '@slack/bolt';
import { isKnownAction } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import type { SlackDeps } from '../deps';
import { t } from '../../text/catalogue';
import { failureLang, guard, replierFor } from '../support';

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
    const user = args.body.user?.id;
    await guard(deps, { listener: 'action:unknown', actionId: id, user }, (r) => reply.ephemeral(r), async () => reply.ephemeral(noticeBlocks(t(await failureLang(deps, user, args.client), 'error.unknownButton'))), args.client);
  });
}
