import { UserError } from '../domain/errors';
import { tableTitle } from '../domain/keys';
import type { GraphStore } from '../ports/graph-store';
import type { UserStateStore } from '../ports/user-state-store';
import type { PlanDeps } from './plan';
import { t, type Lang } from '../text/catalogue';

/**
 * Subscribes a person to a table's schema changes (alerts go to `channel`, their DM by default), or unsubscribes
 * them; says which.
 */
export async function toggleSubscription(
  slackUser: string,
  tableKey: string,
  channel: string,
  deps: { graph: GraphStore; userState: UserStateStore; now: () => Date },
  lang: Lang = 'en',
): Promise<{ subscribed: boolean; title: string }> {
  const table = await deps.graph.getTable(tableKey);
  if (!table) throw new UserError('unknown_table', t(lang, 'error.unknownTable', { key: tableKey }), { tableKey });
  return { subscribed: await deps.userState.toggleSubscription({ user: slackUser, tableKey, channel }, deps.now().toISOString()), title: tableTitle(table) };
}

/** People's own table subscriptions (the table card's subscribe button): the Slack app's `UserStateStore`. */
export interface PersonalSubscriptions {
  subscribersOf(tableKey: string): Promise<Array<{ channel: string; tableKey: string }>>;
}

/** `PlanDeps.extraSubscribers` from people's own table subscriptions: each is delivered live to its channel (their DM). */
export function personalSubscribers(subscriptions: PersonalSubscriptions): NonNullable<PlanDeps['extraSubscribers']> {
  return async (tableKeys) => {
    const found = await Promise.all([...new Set(tableKeys)].map((key) => subscriptions.subscribersOf(key)));
    return found.flat().map((s) => ({ channel: s.channel, tableKey: s.tableKey }));
  };
}
