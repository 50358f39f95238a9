import type { App } from '@slack/bolt';
import { tableCard } from '../../core/table-card';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { tableCardBlocks } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { replyLang } from '../deps';

/** "Open" beside a result: the table's card, for the person who clicked. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.openCard, async ({ action, body, client }, reply) => {
    const v = decodeValue('table', action.value);
    await reply.ephemeral(tableCardBlocks(await tableCard(v.key, deps), { now: deps.now(), timeZone: deps.timeZone, shareable: reply.isEphemeral, lang: await replyLang(deps, client, body.user.id) }));
  });
}
