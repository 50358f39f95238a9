import type { SchemaChange } from '../domain/model';
import { bookmarkItems } from './bookmarks';
import type { CoreDeps } from './deps';
import type { HistoryEntry } from './edits';
import { catalogOverview } from './overview';
import { resolveActors } from './people';
import type { ResultItem } from './results';
import { tableTitle } from '../domain/keys';
import { toResultItems } from './results';
import type { Miss } from '../ports/miss-log';

/** What a person's Home tab shows. */
export interface HomeData {
  popular: ResultItem[];
  bookmarks: ResultItem[];
  schemaChanges: Array<SchemaChange & { title: string }>;
  edits: Array<HistoryEntry & { title: string }>;
  tags: Array<{ tag: string; count: number }>;
  subscriptions: number;
  /** The newest missed questions: only for admins (`NANSEN_ADMINS`), and only with a miss log. */
  misses?: Miss[];
}

/** Gathers the Home tab of one person: popular tables, their bookmarks, recent schema changes and edits, tags. */
export async function homeData(slackUser: string, deps: Pick<CoreDeps, 'graph' | 'userState' | 'misses' | 'admins'>, limits = { popular: 6, bookmarks: 8, changes: 6, edits: 6, tags: 24, misses: 10 }): Promise<HomeData> {
  const { graph } = deps;
  const isAdmin = deps.admins?.has(slackUser) === true && deps.misses !== undefined;
  const [overview, bookmarks, changes, edits, subs, misses] = await Promise.all([
    catalogOverview(graph),
    bookmarkItems(slackUser, deps, limits.bookmarks),
    graph.recentSchemaChanges({ limit: limits.changes }),
    graph.recentEdits(limits.edits),
    deps.userState.subscriptionsOf(slackUser),
    isAdmin ? deps.misses!.recent({ limit: limits.misses }) : Promise.resolve(undefined),
  ]);
  const popular = await toResultItems(overview.popular.slice(0, limits.popular).map((key) => ({ key, kind: 'table' as const })), graph);
  const titled = new Map((await graph.getTables([...changes.map((c) => c.tableKey), ...edits.map((e) => e.tableKey)])).map((t) => [t.key, tableTitle(t)]));
  const actors = await resolveActors(edits.map((e) => e.actor), graph);
  return {
    popular,
    bookmarks,
    schemaChanges: changes.map((c) => ({ ...c, title: titled.get(c.tableKey) ?? c.tableKey })),
    edits: edits.map((e) => ({ ...e, actorRef: actors.get(e.actor) ?? { id: e.actor }, title: titled.get(e.tableKey) ?? e.tableKey })),
    tags: overview.tags.slice(0, limits.tags),
    subscriptions: subs.length,
    ...(misses ? { misses } : {}),
  };
}
