import { readFile } from 'node:fs/promises';
import { parseCatalog } from '../../src/catalog/catalog-file';
import { UserError } from '../../src/domain/errors';
import { PermanentSourceError } from '../errors';
import type { TableFilterFn } from '../patterns';
import type { Connector, ExtractContext, ExtractedItem } from '../source';

export interface CatalogConnectorOptions {
  sourceId: string;
  sourceName: string;
  path: string;
  filter: TableFilterFn;
}

/** Reads a `catalog-v1` file (users, tables, dashboards) with the same validation as `nansen import`. */
export class CatalogConnector implements Connector {
  constructor(private readonly options: CatalogConnectorOptions) {}

  async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    const { sourceId, path } = this.options;
    let json: string;
    try {
      json = await readFile(path, 'utf8');
    } catch (e) {
      throw new PermanentSourceError(sourceId, 'bad_config', `source ${sourceId}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let catalog;
    try {
      catalog = parseCatalog(json, path, this.options.sourceName);
    } catch (e) {
      if (e instanceof UserError) throw new PermanentSourceError(sourceId, 'bad_artifact', `source ${sourceId}: ${e.message}`);
      throw e;
    }
    const tables = catalog.tables.filter((t) => this.options.filter(t.schema, t.name));
    yield { kind: 'total', tables: tables.length };
    for (const user of catalog.users) yield { kind: 'user', user };
    for (const record of tables) {
      if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
      yield { kind: 'table', record };
    }
    for (const record of catalog.dashboards) yield { kind: 'dashboard', record };
  }

  async close(): Promise<void> {}
}
