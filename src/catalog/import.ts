import { readFile } from 'node:fs/promises';
import { UserError } from '../domain/errors';
import type { Catalog } from './catalog-file';
import { parseCatalog } from './catalog-file';
import type { Stores } from './publish';
import { publishRecords, refreshSearch } from './publish';

export interface ImportProgress {
  /** Called after each batch with the tables and dashboards written so far and the totals. */
  (done: number, total: number): void;
}

export interface ImportResult {
  users: number;
  tables: number;
  dashboards: number;
  now?: string;
}

/** Reads and validates a catalog file; nothing is written when it is invalid. */
export async function readCatalogFile(path: string): Promise<Catalog> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError('bad_catalog', `${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseCatalog(json, path);
}

/**
 * Writes a validated catalog into the stores, in batches: users, then tables, then dashboards. Idempotent:
 * importing the same catalog twice leaves the stores as they were after the first time.
 */
export async function importCatalog(catalog: Catalog, stores: Stores, options: { batchSize?: number; onProgress?: ImportProgress } = {}): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 500;
  const total = catalog.tables.length + catalog.dashboards.length;
  let done = 0;
  await stores.graph.upsertUsers(catalog.users);
  // The search documents of one batch are written while the graph takes the next batch.
  let indexing: Promise<void> = Promise.resolve();
  for (let i = 0; i < catalog.tables.length; i += batchSize) {
    const batch = catalog.tables.slice(i, i + batchSize);
    await stores.graph.upsertTables(batch);
    await indexing;
    indexing = refreshSearch({ tables: batch.map((t) => t.key) }, stores).then(() => {
      done += batch.length;
      options.onProgress?.(done, total);
    });
    indexing.catch(() => undefined); // awaited on the next turn; this only keeps it from counting as unhandled meanwhile
  }
  await indexing;
  for (let i = 0; i < catalog.dashboards.length; i += batchSize) {
    const batch = catalog.dashboards.slice(i, i + batchSize);
    await publishRecords({ dashboards: batch }, stores);
    done += batch.length;
    options.onProgress?.(done, total);
  }
  return { users: catalog.users.length, tables: catalog.tables.length, dashboards: catalog.dashboards.length, ...(catalog.now ? { now: catalog.now } : {}) };
}
