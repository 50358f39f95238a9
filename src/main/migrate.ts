/**
 * `npm run nansen -- migrate amundsen --neo4j <bolt url> ...`: takes an Amundsen deployment's Neo4j graph over
 * into the configured stores (`ingest/amundsen/migrate.ts`), read through the Amundsen connector.
 */
import { migrateAmundsen, type MigrationProgress, type MigrationReport } from '../../ingest/amundsen/migrate';
import { AmundsenNeo4jSource } from '../../ingest/connectors/amundsen';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import { openStores, type Backend } from './stores';

export interface AmundsenMigrationRequest {
  neo4j: string;
  user?: string;
  password?: string;
  database?: string;
  backend?: Backend;
  dryRun?: boolean;
  batchSize?: number;
  onProgress?: (p: MigrationProgress) => void;
}

/** Runs the migration and closes what it opened. */
export async function runAmundsenMigration(config: Config, log: Logger, req: AmundsenMigrationRequest): Promise<MigrationReport & { backend: Backend }> {
  const backend = req.backend ?? config.NANSEN_BACKEND;
  const source = new AmundsenNeo4jSource({ url: req.neo4j, ...(req.user ? { username: req.user } : {}), ...(req.password ? { password: req.password } : {}), ...(req.database ? { database: req.database } : {}) });
  try {
    const stores = await openStores(config, log, backend);
    try {
      const report = await migrateAmundsen(source, stores, { ...(req.dryRun ? { dryRun: true } : {}), ...(req.batchSize ? { batchSize: req.batchSize } : {}), ...(req.onProgress ? { onProgress: req.onProgress } : {}) });
      log.info({ backend, dryRun: report.dryRun, tables: report.counts.tables.written, edits: report.edits, durationMs: report.durationMs }, 'amundsen migration finished');
      return { ...report, backend };
    } finally {
      await stores.close();
    }
  } finally {
    await source.close();
  }
}

/** The report as the CLI prints it. */
export function migrationSummary(r: MigrationReport & { backend: Backend }): string {
  const lines = [`${r.dryRun ? 'Dry run: would take over' : 'Took over'} from Amundsen into ${r.backend} (${(r.durationMs / 1000).toFixed(1)}s):`];
  const rows = Object.entries(r.counts).filter(([, c]) => c.read || c.written);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [kind, c] of rows) lines.push(`  ${kind.replace(/_/g, ' ').padEnd(width)}  ${c.written}${c.written !== c.read ? ` of ${c.read}` : ''}`);
  lines.push(`  human edits ${r.dryRun ? 'planned' : 'written'}: ${r.edits}${r.dryRun ? ' (counted above)' : ''}`);
  if (r.skipped.length) {
    lines.push('skipped:');
    for (const s of r.skipped) lines.push(`  ${s.kind}: ${s.count} (${s.reason})`);
  }
  lines.push(`source graph: ${Object.entries(r.source).sort(([a], [b]) => a.localeCompare(b)).map(([l, n]) => `${l} ${n}`).join(', ')}`);
  if (r.dryRun) lines.push('Dry run: nothing was written.');
  return `${lines.join('\n')}\n`;
}
