import type { App } from '@slack/bolt';
import { ALERT_ACTIONS } from '../message';
import { handleOwnerDmOptOutAction } from '../subscriptions';
import type { Rendered } from '../../render/blocks-common';
import { replyLang, type SlackDeps } from '../../slack/deps';
import { onButton } from '../../slack/actions/button';

/** An owner DM's "Stop these messages": no more direct messages about breaking changes to tables the person owns. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ALERT_ACTIONS.ownerDmOptOut, async ({ body, client }, reply) => {
    const lang = await replyLang(deps, client, body.user.id);
    const r = await handleOwnerDmOptOutAction({ user: body.user.id }, { store: deps.alerts, graph: deps.graph, now: deps.now, lang });
    await reply.ephemeral({ text: r.text, blocks: r.blocks as Rendered['blocks'] });
  });
}
