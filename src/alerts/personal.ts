import { UserError } from '../domain/errors';
import { tableTitle } from '../domain/keys';
import type { GraphStore } from '../ports/graph-store';
import type { UserStateStore } from '../ports/user-state-store';
import type { PlanDeps } from './plan';
import { t, type Lang } from '../text/catalogue';
import type { SubscriptionLanguage } from '../ports/alert-store';

/**
 * Subscribes a person to a table's schema changes (alerts go to `channel`, their DM by default, written in `lang`,
 * the person's language), or unsubscribes them; says which.
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
  return { subscribed: await deps.userState.toggleSubscription({ user: slackUser, tableKey, channel, language: lang }, deps.now().toISOString()), title: tableTitle(table) };
}

/** People's own table subscriptions (the table card's subscribe button): the Slack app's `UserStateStore`. */
export interface PersonalSubscriptions {
  subscribersOf(tableKey: string): Promise<Array<{ channel: string; tableKey: string; language?: SubscriptionLanguage }>>;
}

/**
 * `PlanDeps.extraSubscribers` from people's own table subscriptions: each is delivered live to its channel (their
 * DM), in the language it was made in (none for subscriptions older than languages).
 */
export function personalSubscribers(subscriptions: PersonalSubscriptions): NonNullable<PlanDeps['extraSubscribers']> {
  return async (tableKeys) => {
    const found = await Promise.all([...new Set(tableKeys)].map((key) => subscriptions.subscribersOf(key)));
    return found.flat().map((s) => ({ channel: s.channel, tableKey: s.tableKey, ...(s.language ? { language: s.language } : {}) }));
  };
}
