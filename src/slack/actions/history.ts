import type { App } from '@slack/bolt';
import { tableHistory } from '../../core/edits';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { historyBlocks } from '../../render/blocks-history';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';

/** "History" on a table card: the edits, each with a Revert button. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.history, async ({ action, body, client }, reply) => {
    const v = decodeValue('table', action.value);
    await reply.ephemeral(historyBlocks(await tableHistory(v.key, deps), { now: deps.now(), timeZone: deps.timeZone, lang: await replyLang(deps, client, body.user.id) }));
  });
}
