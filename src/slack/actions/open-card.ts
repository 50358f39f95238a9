import type { App } from '@slack/bolt';
import { tableCard, type TableCard } from '../../core/table-card';
import { UserError } from '../../domain/errors';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { answerMessages } from '../../render/messages/answers';
import { tableCardBlocks } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { onButton } from './button';

/** The card of a table a button named; a table that left the catalog since is a `UserError` that says so. */
export async function cardOrGone(key: string, deps: SlackDeps): Promise<TableCard> {
  try {
    return await tableCard(key, deps);
  } catch (err) {
    if (err instanceof UserError && err.code === 'unknown_table') throw new UserError('table_gone', answerMessages.en.tableGone(key), { tableKey: key });
    throw err;
  }
}

/** "Open" beside a result: the table's card, for the person who clicked. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.openCard, async ({ action }, reply) => {
    const v = decodeValue('table', action.value);
    await reply.ephemeral(tableCardBlocks(await cardOrGone(v.key, deps), { now: deps.now(), timeZone: deps.timeZone, shareable: reply.isEphemeral }));
  });
}
