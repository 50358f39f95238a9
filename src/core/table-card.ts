import { t as translate } from '../text/catalogue';
import { LocalizedUserError } from '../text/localized-error';
import { effectiveColumnDescription, effectiveDescription, effectiveOwners, effectiveTags, lastUpdate } from '../domain/model';
import type { IsoTime, Table, TableKind } from '../domain/model';
import type { CadenceSummary } from './cadence';
import { summarizeCadence } from './cadence';
import type { CoreDeps } from './deps';
import type { PersonRef } from './people';
import { resolvePeople } from './people';
import { tableTitle } from '../domain/keys';
import { recentSchemaChanges } from '../alerts/recent';
import type { ChangeDetail } from '../alerts/classify';

export type TextSource = 'human' | 'source' | 'none';

export interface CardColumn {
  name: string;
  type: string;
  description?: string;
  descriptionFrom: TextSource;
  nullable?: boolean;
}

/** Everything a table card shows, read from the graph in one go. */
export interface TableCard {
  key: string;
  title: string;
  kind: TableKind;
  database: string;
  cluster: string;
  schema: string;
  name: string;
  description?: string;
  descriptionFrom: TextSource;
  columns: CardColumn[];
  lastUpdated?: IsoTime;
  cadence?: CadenceSummary;
  owners: PersonRef[];
  frequentUsers: Array<PersonRef & { count: number }>;
  tags: string[];
  badges: string[];
  deprecated: boolean;
  removedAt?: IsoTime;
  upstream: Array<{ key: string; title: string }>;
  downstream: Array<{ key: string; title: string }>;
  dashboards: Array<{ key: string; name: string; url?: string }>;
  /** The table's latest schema changes, newest first, classified (breaking, additive, informational). */
  /** `text` is English mrkdwn; `detail` lets a renderer say it in another language. */
  recentChanges: Array<{ at: IsoTime; severity: 'breaking' | 'additive' | 'informational'; text: string; detail: ChangeDetail }>;
  /** The version the card shows: edits started from it carry it, so a concurrent edit is a conflict. */
  version: number;
}

/** Builds the card of a table by key. Throws `UserError('unknown_table')` when there is no such table. */
export async function tableCard(key: string, deps: Pick<CoreDeps, 'graph' | 'now' | 'timeZone'>): Promise<TableCard> {
  const t = await deps.graph.getTable(key);
  if (!t) throw new LocalizedUserError('unknown_table', (lang) => translate(lang, 'error.unknownTable', { key }), { tableKey: key });
  return tableCardOf(t, deps);
}

/** Builds the card of a table already loaded. */
export async function tableCardOf(t: Table, deps: Pick<CoreDeps, 'graph' | 'now' | 'timeZone'>): Promise<TableCard> {
  const { graph } = deps;
  const readers = t.readers.slice(0, 5);
  const [owners, readerRefs, lineageTables, dashboards, changes] = await Promise.all([
    resolvePeople(effectiveOwners(t), graph),
    resolvePeople(readers.map((r) => r.user), graph),
    graph.getTables([...t.upstream, ...t.downstream]),
    graph.getDashboards(t.dashboards),
    recentSchemaChanges({ graph }, { tableKey: t.key, limit: 5 }),
  ]);
  const titles = new Map(lineageTables.map((x) => [x.key, tableTitle(x)]));
  const desc = effectiveDescription(t);
  const cadence = summarizeCadence(t.updates, deps.now(), deps.timeZone);
  const last = lastUpdate(t);
  return {
    key: t.key,
    title: tableTitle(t),
    kind: t.kind,
    database: t.database,
    cluster: t.cluster,
    schema: t.schema,
    name: t.name,
    ...(desc ? { description: desc } : {}),
    descriptionFrom: t.humanDescription !== undefined ? 'human' : t.sourceDescription ? 'source' : 'none',
    columns: [...t.columns]
      .sort((a, b) => a.position - b.position)
      .map((c) => {
        const d = effectiveColumnDescription(c);
        return {
          name: c.name,
          type: c.type,
          ...(d ? { description: d } : {}),
          descriptionFrom: c.humanDescription !== undefined ? 'human' : c.sourceDescription ? 'source' : 'none',
          ...(c.nullable !== undefined ? { nullable: c.nullable } : {}),
        };
      }),
    ...(last ? { lastUpdated: last } : {}),
    ...(cadence ? { cadence } : {}),
    owners,
    frequentUsers: readerRefs.map((p, i) => ({ ...p, count: readers[i]!.count })),
    tags: [...effectiveTags(t)],
    badges: [...t.badges],
    deprecated: t.deprecated,
    ...(t.removedAt ? { removedAt: t.removedAt } : {}),
    upstream: t.upstream.map((k) => ({ key: k, title: titles.get(k) ?? k })),
    downstream: t.downstream.map((k) => ({ key: k, title: titles.get(k) ?? k })),
    recentChanges: changes.map((c) => ({ at: c.at, severity: c.severity, text: c.text, detail: c.detail })),
    dashboards: dashboards.map((d) => ({ key: d.key, name: d.name, ...(d.url ? { url: d.url } : {}) })),
    version: t.version,
  };
}
