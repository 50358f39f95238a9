import { t as translate } from '../text/catalogue';
import { LocalizedUserError } from '../text/localized-error';
import type { CoreDeps } from './deps';
import type { ResultItem } from './results';
import { tableTitle } from '../domain/keys';
import { toResultItems } from './results';

async function requireTitle(tableKey: string, deps: Pick<CoreDeps, 'graph'>): Promise<string> {
  const t = await deps.graph.getTable(tableKey);
  if (!t) throw new LocalizedUserError('unknown_table', (lang) => translate(lang, 'error.unknownTable', { key: tableKey }), { tableKey });
  return tableTitle(t);
}

/** Bookmarks or un-bookmarks a table for a person; says which. */
export async function toggleBookmark(slackUser: string, tableKey: string, deps: Pick<CoreDeps, 'graph' | 'userState'>): Promise<{ bookmarked: boolean; title: string }> {
  const title = await requireTitle(tableKey, deps);
  return { bookmarked: await deps.userState.toggleBookmark(slackUser, tableKey), title };
}

/** A person's bookmarks as result items, newest first. */
export async function bookmarkItems(slackUser: string, deps: Pick<CoreDeps, 'graph' | 'userState'>, limit = 10): Promise<ResultItem[]> {
  const keys = (await deps.userState.bookmarks(slackUser)).slice(0, limit);
  return toResultItems(keys.map((key) => ({ key, kind: 'table' as const })), deps.graph);
}
