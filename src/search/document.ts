import { effectiveColumnDescription, effectiveDescription, effectiveTags, lastUpdate, totalReads } from '../domain/model';
import type { Dashboard, Table } from '../domain/model';
import type { SearchDocument } from '../ports/search-index';
import { analyzeToField } from '../text/analyze';
import { medianIntervalHours } from '../domain/load-history';

/** The search document of a table: analysed text of its name, columns, description, tags and path, plus priors. */
export function tableToSearchDocument(table: Table): SearchDocument {
  return {
    key: table.key,
    kind: 'table',
    fields: {
      name: analyzeToField(table.name),
      columns: analyzeToField(...table.columns.flatMap((c) => [c.name, effectiveColumnDescription(c)])),
      description: analyzeToField(effectiveDescription(table)),
      tags: analyzeToField(...effectiveTags(table)),
      path: analyzeToField(table.database, table.cluster, table.schema),
    },
    popularity: totalReads(table),
    badges: [...table.badges],
    deprecated: table.deprecated,
    lastUpdatedAt: lastUpdate(table),
    cadenceHours: medianIntervalHours(table.updates),
  };
}

/** The search document of a dashboard: its name and description, and the names of the tables it reads. */
export function dashboardToSearchDocument(dashboard: Dashboard): SearchDocument {
  return {
    key: dashboard.key,
    kind: 'dashboard',
    fields: {
      name: analyzeToField(dashboard.name),
      columns: '',
      description: analyzeToField(dashboard.description),
      tags: '',
      path: analyzeToField(...dashboard.key.split(/[:/]+/)),
    },
    popularity: 0,
    badges: [],
    deprecated: false,
  };
}
