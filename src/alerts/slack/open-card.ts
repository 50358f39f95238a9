import type { App } from '@slack/bolt';
import { ALERT_ACTIONS } from '../message';
import { tableCard } from '../../core/table-card';
import { tableCardBlocks } from '../../render/table-card';
import type { SlackDeps } from '../../slack/deps';
import { onButton } from '../../slack/actions/button';
import { replyLang } from '../../slack/deps';

/** An alert's "Open table card" button (value: the table key): the existing table card, for the person who clicked. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ALERT_ACTIONS.openTableCard, async ({ action, body, client }, reply) => {
    await reply.ephemeral(tableCardBlocks(await tableCard(action.value ?? '', deps), { now: deps.now(), timeZone: deps.timeZone, shareable: reply.isEphemeral, lang: await replyLang(deps, client, body.user.id) }));
  });
}
