import type { App } from '@slack/bolt';
import { ALERT_ACTIONS } from '../message';
import { handleUnmuteAction } from '../subscriptions';
import type { Rendered } from '../../render/blocks-common';
import { replyLang, type SlackDeps } from '../../slack/deps';
import { onButton } from '../../slack/actions/button';

/** "Unmute" / "Undo" (value: the table key): announces the table's schema changes in this channel again. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ALERT_ACTIONS.unmuteTable, async ({ action, body, client }, reply) => {
    const channel = body.channel?.id ?? body.user.id;
    const lang = await replyLang(deps, client, body.user.id);
    const r = await handleUnmuteAction({ channel, user: body.user.id, tableKey: action.value ?? '' }, { store: deps.alerts, graph: deps.graph, now: deps.now, lang });
    await reply.ephemeral({ text: r.text, blocks: r.blocks as Rendered['blocks'] });
  });
}
