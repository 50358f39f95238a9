/**
 * The command line: `npm run nansen -- <command>`.
 *
 *   import <file> [--backend embedded|neo4j-es]          load a catalog-v1 file into the stores
 *   crawl <source> [--dry-run] [--force] [--full] [--backend ...]  crawl one source of sources.yml
 *   sources                                               list sources with their last crawl
 *   mcp [--http] [--host H] [--port N] [--backend ...]    serve the catalog over MCP (stdio, or streamable HTTP)
 *   openlineage [--host H] [--port N] [--backend ...]     take OpenLineage RunEvents at POST /api/v1/lineage
 *   migrate amundsen --neo4j <bolt> [--user U --password P] [--backend ...] [--dry-run]  take Amundsen's graph over
 *   migrate-state [--dry-run] [--force]                   move the local stores (crawls, alerts, state, events, misses, lineage) into Redis
 *   misses [--limit N] [--since ISO]                      the questions Nansen missed, newest first
 *
 * Exit codes: 0 ok, 1 a user error (the message is printed, no stack), 2 bad usage.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { crawlSource } from '../../ingest/crawl';
import { SourceError } from '../../ingest/errors';
import { redactSecrets } from '../log/redact';
import { findSource, loadSources } from '../../ingest/sources-file';
import type { CrawlProgress, SourceConfig } from '../../ingest/source';
import type { CrawlReport } from '../domain/crawl';
import { openCliSourceLocks, openCrawlStore } from './crawl-store';
import { migrateState } from './migrate-state';
import { openMissLog } from './shared-stores';
import type { CrawlStatus } from '../ports/crawl-status-store';
import { importCatalog, readCatalogFile } from '../catalog/import';
import { rebuildSearch } from '../catalog/publish';
import { loadConfig, type Config } from '../config/config';
import { UserError } from '../domain/errors';
import { createLogger, type Logger } from '../log/logger';
import { openStores, type Backend } from './stores';
import { embedNow } from './meaning';
import { createCrawlAlerter } from '../alerts/jobs/crawl-alerts';
import { createAlertQueue } from '../alerts/jobs/queues';
import { runMcp } from './mcp';
import { runLineageReceiver } from './openlineage';
import { migrationSummary, runAmundsenMigration } from './migrate';

const USAGE = `Usage: npm run nansen -- <command> [options]

Commands:
  import <file> [--backend embedded|neo4j-es]    Load a catalog-v1 file into the stores.
  crawl <source> [--dry-run] [--force] [--full] [--backend embedded|neo4j-es]
                                                 Crawl one source of the sources file (NANSEN_SOURCES).
                                                 --dry-run: show the diff, write nothing; --force: remove more
                                                 than 5% of the source's tables; --full: compare every table
                                                 with the graph instead of trusting the last crawl's fingerprints.
  sources                                        List sources with their last crawl, duration, counts, last error.
  reindex [--backend embedded|neo4j-es]          Rebuild the search index from the graph (after an upgrade that
                                                 changed the text analysis: the bot and worker log a warning).
                                                 Searches see the old index until the new one is complete.
  mcp [--http] [--host H] [--port N] [--backend embedded|neo4j-es]
                                                 Serve the catalog to MCP clients: over stdio (run it as
                                                 \`npm run -s nansen -- mcp\` so npm prints nothing on stdout), or
                                                 with --http over streamable HTTP at /mcp behind NANSEN_MCP_TOKEN.
                                                 Write tools only with NANSEN_MCP_WRITE=1 (as NANSEN_MCP_ACTOR).
  migrate amundsen --neo4j <bolt url> [--user U --password P] [--backend embedded|neo4j-es] [--dry-run]
                                                 Take an Amundsen Neo4j over: tables, columns, user-written
                                                 descriptions (as human ones), tags, badges, owners, reads,
                                                 lineage, last updated, users, dashboards. Idempotent; --dry-run
                                                 writes nothing. --batch N nodes per batch (default 500).
  openlineage [--host H] [--port N] [--backend embedded|neo4j-es]
                                                 Receive OpenLineage RunEvents (Airflow, dbt-ol, Spark) at
                                                 POST /api/v1/lineage behind NANSEN_OPENLINEAGE_API_KEYS: load
                                                 history, lineage, schema changes, failed runs.
  migrate-state [--dry-run] [--force]            Copy the local state in NANSEN_DATA_DIR into the shared store (Redis,
                                                 with neo4j-es and REDIS_URL): crawls, alerts, state, events,
                                                 misses and lineage .sqlite. What Redis knows already is kept;
                                                 an interrupted run is finished by running it again. A store moved
                                                 to the end is marked done and skipped later; --force runs it
                                                 again (and overwrites Redis's crawl memory). --dry-run counts.
  misses [--limit N] [--since <ISO time>]        The questions Nansen missed, newest first: answered unknown,
                                                 guessed, or marked "not what I meant"; with what it offered (and
                                                 who asked, when NANSEN_RECORD_ASKERS=1). Default limit 50.

Options:
  --sources <file>   The sources file (default: NANSEN_SOURCES, sources.yml).
  --json             Print the result as JSON.
  -h, --help         Show this help.
`;

class UsageError extends Error {}

/** Where the CLI writes: injectable for tests. */
export interface CliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

interface Parsed {
  command: string | undefined;
  args: string[];
  values: { limit?: string; since?: string; backend?: string; neo4j?: string; user?: string; password?: string; batch?: string; http?: boolean; host?: string; port?: string; 'dry-run'?: boolean; full?: boolean; force?: boolean; sources?: string; json?: boolean; help?: boolean };
}

function parse(argv: string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        backend: { type: 'string' },
        http: { type: 'boolean' },
        neo4j: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        batch: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'dry-run': { type: 'boolean' },
        full: { type: 'boolean' },
        force: { type: 'boolean' },
        sources: { type: 'string' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
        since: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    return { command: positionals[0], args: positionals.slice(1), values };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function backendOf(value: string | undefined, config: Config): Backend {
  if (value === undefined) return config.NANSEN_BACKEND;
  if (value !== 'embedded' && value !== 'neo4j-es') throw new UsageError(`--backend must be embedded or neo4j-es, not "${value}"`);
  return value;
}

/** A progress display: a bar on a terminal, a plain line now and then otherwise. */
function progressDisplay(io: CliIo, label: string): { update(done: number, total: number | undefined, phase?: string): void; stop(): void } {
  if (io.err.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: io.err, format: `${label} {phase} [{bar}] {value}/{total} ({percentage}%) {duration_formatted}`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let lastPhase = '';
    return {
      update(done, total, phase = '') {
        if (!started) {
          bar.start(total ?? 0, done, { phase });
          started = true;
        }
        if (phase !== lastPhase) {
          lastPhase = phase;
          bar.setTotal(total ?? 0);
        } else if (total !== undefined) bar.setTotal(total);
        bar.update(done, { phase });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastAt = 0;
  let lastPhase = '';
  return {
    update(done, total, phase = '') {
      const now = Date.now();
      if (phase === lastPhase && now - lastAt < 2000 && done !== total) return;
      lastAt = now;
      lastPhase = phase;
      io.err.write(`${label}${phase ? ` ${phase}` : ''}: ${done}${total !== undefined ? `/${total}` : ''}\n`);
    },
    stop() {},
  };
}

async function runImport(p: Parsed, io: CliIo, config: Config, logger: Logger): Promise<number> {
  const file = p.args[0];
  if (!file || p.args.length > 1) throw new UsageError('import needs exactly one file');
  const backend = backendOf(p.values.backend, config);
  const catalog = await readCatalogFile(file);
  const stores = await openStores(config, logger, backend);
  const progress = progressDisplay(io, 'import');
  try {
    const result = await importCatalog(catalog, stores, { onProgress: (done, total) => progress.update(done, total) });
    const embeddings = await embedPendingNow(stores, progress);
    progress.stop();
    if (p.values.json) io.out.write(`${JSON.stringify({ backend, ...result, ...(embeddings ? { embeddings } : {}) })}\n`);
    else {
      io.out.write(`Imported ${result.users} users, ${result.tables} tables and ${result.dashboards} dashboards from ${file} into ${backend}.\n`);
      if (embeddings) io.out.write(embeddingsLine(embeddings));
    }
    return 0;
  } finally {
    progress.stop();
    await stores.close();
  }
}

async function runReindex(p: Parsed, io: CliIo, config: Config, logger: Logger): Promise<number> {
  if (p.args.length) throw new UsageError('reindex takes no arguments');
  const backend = backendOf(p.values.backend, config);
  const stores = await openStores(config, logger, backend);
  try {
    const started = Date.now();
    await rebuildSearch(stores);
    const documents = await stores.search.count();
    if (p.values.json) io.out.write(`${JSON.stringify({ backend, documents, ms: Date.now() - started })}\n`);
    else io.out.write(`Rebuilt the ${backend} search index from the graph: ${documents} documents.\n`);
    return 0;
  } finally {
    await stores.close();
  }
}

interface EmbeddingsOutcome {
  embedded: number;
  unchanged: number;
  pending: number;
  failed?: string;
}

/** Embeds what an import or a crawl left pending (with an embeddings server), on the same progress display. */
async function embedPendingNow(stores: Parameters<typeof embedNow>[0], progress: ReturnType<typeof progressDisplay>): Promise<EmbeddingsOutcome | undefined> {
  const embedded = await embedNow(stores, ({ done, total }) => progress.update(done, total, 'embeddings'));
  return embedded && { embedded: embedded.report?.embedded ?? 0, unchanged: embedded.report?.unchanged ?? 0, pending: embedded.pending, ...(embedded.failed ? { failed: redactSecrets(embedded.failed) } : {}) };
}

function embeddingsLine(e: EmbeddingsOutcome): string {
  if (e.failed) return `Embeddings: the server failed (${e.failed}); ${e.pending === 1 ? '1 subject stays' : `${e.pending} subjects stay`} pending and are answered by their words until the bot or the worker catches them up.\n`;
  return `Embeddings: ${e.embedded} embedded, ${e.unchanged} unchanged text skipped.\n`;
}

function sourcesFile(p: Parsed, config: Config): string {
  return p.values.sources ?? config.NANSEN_SOURCES;
}

function summary(report: CrawlReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would' : report.refused ? 'would have' : '';
  const w = (s: string): string => (verb ? `${verb} ${s}` : s);
  lines.push(`${report.source}: ${report.tables} tables seen; ${w(`add ${report.added.length}`)}, ${w(`change ${report.changed.length}`)}, ${w(`remove ${report.removed.length}`)}, ${report.unchanged} unchanged, ${report.loaded.length} with new loads.`);
  const d = report.dashboards;
  if (d.added.length + d.changed.length + d.removed.length + d.unchanged) lines.push(`dashboards: ${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed, ${d.unchanged} unchanged.`);
  const show = (label: string, keys: string[]): void => {
    if (!keys.length) return;
    lines.push(`${label}:`);
    for (const k of keys.slice(0, 50)) lines.push(`  ${k}`);
    if (keys.length > 50) lines.push(`  ... and ${keys.length - 50} more`);
  };
  if (report.dryRun || report.refused) {
    show('added', report.added);
    show('changed', report.changed);
    show('removed', report.removed);
  }
  if (report.changes.length) {
    lines.push(`schema changes (${report.changes.length}):`);
    for (const c of report.changes.slice(0, 50)) {
      lines.push(`  ${c.kind} ${c.tableKey}${c.column ? ` .${c.column}` : ''}${c.oldValue !== undefined || c.newValue !== undefined ? ` (${c.oldValue ?? '∅'} → ${c.newValue ?? '∅'})` : ''}`);
    }
    if (report.changes.length > 50) lines.push(`  ... and ${report.changes.length - 50} more`);
  }
  const counts = Object.entries(report.counts).filter(([, n]) => n);
  if (counts.length) lines.push(`notes: ${counts.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  if (report.refused) {
    lines.push(
      `REFUSED: this crawl would remove ${report.refused.removals} of ${report.refused.total} entities (more than ${report.refused.threshold * 100}%). Nothing was written. Check the source, then rerun with --force if that is right.`,
    );
  } else if (report.dryRun) lines.push('Dry run: nothing was written.');
  else if (!report.wrote) lines.push('Nothing changed: nothing was written.');
  return `${lines.join('\n')}\n`;
}

async function runCrawl(p: Parsed, io: CliIo, config: Config, logger: Logger): Promise<number> {
  const id = p.args[0];
  if (!id || p.args.length > 1) throw new UsageError('crawl needs exactly one source id');
  const backend = backendOf(p.values.backend, config);
  const source: SourceConfig = findSource(await loadSources(sourcesFile(p, config)), id);
  // The workers' lock on the source (Redis): a manual crawl never runs beside a scheduled one. A dry run writes
  // nothing and takes none.
  const locking = p.values['dry-run'] ? { close: () => undefined } : openCliSourceLocks(config);
  const holder = `cli:${hostname()}:${process.pid}`;
  const acquired = locking.locks ? await locking.locks.acquire(source.id, holder).catch((e: unknown) => (locking.close(), Promise.reject(e))) : undefined;
  if (acquired && 'heldBy' in acquired) {
    locking.close();
    throw new UserError('source_busy', `${source.id} is being crawled now (by ${acquired.heldBy}); nothing was done. Try again when that crawl has finished.`);
  }
  const lease = acquired?.lease;
  const release = async (): Promise<void> => {
    await lease?.release().catch(() => undefined);
    locking.close();
  };
  const opened = await openCrawlStore(config, backend).catch(async (e: unknown) => {
    await release();
    throw e;
  });
  const crawlStore = opened.store;
  const stores = await openStores(config, logger, backend).catch(async (e: unknown) => {
    await opened.close();
    await release();
    throw e;
  });
  const progress = progressDisplay(io, `crawl ${id}`);
  try {
    const report = await crawlSource(
      source,
      { stores, logger, state: crawlStore, status: crawlStore, env: io.env, stateScope: backend },
      {
        ...(lease ? { signal: lease.lost } : {}),
        ...(p.values['dry-run'] ? { dryRun: true } : {}),
        ...(p.values.full ? { full: true } : {}),
        ...(p.values.force ? { force: true } : {}),
        onProgress: (x: CrawlProgress) => progress.update(x.done, x.total, x.phase),
      },
    );
    const embeddings = report.dryRun || report.refused ? undefined : await embedPendingNow(stores, progress);
    progress.stop();
    io.out.write(p.values.json ? `${JSON.stringify(report)}\n` : summary(report));
    if (embeddings) io.err.write(embeddingsLine(embeddings));
    await announceChanges(report, config, stores.graph, logger, io);
    return report.refused ? 1 : 0;
  } finally {
    progress.stop();
    await stores.close();
    await opened.close();
    await release();
  }
}

/**
 * Hands a CLI crawl's schema changes to the alert workers, as a worker's crawl would: the changes are in the graph
 * now, so no later crawl would see them as new. Without Redis there is no worker to hand them to; say so.
 */
async function announceChanges(report: CrawlReport, config: Config, graph: Parameters<typeof createCrawlAlerter>[1]['graph'], logger: Logger, io: CliIo): Promise<void> {
  if (report.dryRun || report.refused || !report.changes.length) return;
  if (!config.REDIS_URL) {
    io.err.write(`${report.changes.length} schema change(s) recorded but not announced: alerts are delivered by the worker, which needs REDIS_URL for a CLI crawl to reach it\n`);
    return;
  }
  const queue = createAlertQueue({ connection: { url: config.REDIS_URL }, prefix: config.NANSEN_REDIS_PREFIX });
  try {
    await createCrawlAlerter({ kind: 'queue', queue }, { graph, logger })(report, { rerun: false });
    io.err.write(`${report.changes.length} schema change(s) queued for alerts\n`);
  } finally {
    await queue.close();
  }
}

function ago(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  if (s < 129600) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n') + '\n';
}

async function runMisses(p: Parsed, io: CliIo, config: Config): Promise<number> {
  if (p.args.length) throw new UsageError('misses takes no arguments');
  const limit = p.values.limit === undefined ? 50 : Number(p.values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not "${p.values.limit}"`);
  if (p.values.since !== undefined && Number.isNaN(Date.parse(p.values.since))) throw new UsageError(`--since must be a time (2026-11-24 or 2026-11-24T09:00:00Z), not "${p.values.since}"`);
  const since = p.values.since === undefined ? undefined : new Date(p.values.since).toISOString();
  const log = await openMissLog(config);
  try {
    const misses = await log.recent({ limit, ...(since ? { since } : {}) });
    if (p.values.json) {
      io.out.write(`${JSON.stringify(misses)}\n`);
      return 0;
    }
    if (!misses.length) {
      io.out.write('No missed questions recorded.\n');
      return 0;
    }
    const rows = [['when', 'kind', 'lang', 'asker', 'offered', 'question']];
    for (const m of misses) rows.push([m.at.replace(/\.\d+Z$/, 'Z'), m.kind + (m.reason ? `:${m.reason}` : ''), m.lang, m.asker ?? '-', m.offered.slice(0, 3).join(',') || '-', m.text.replace(/\s+/g, ' ')]);
    io.out.write(table(rows));
    return 0;
  } finally {
    await log.close();
  }
}

async function runSources(p: Parsed, io: CliIo, config: Config): Promise<number> {
  if (p.args.length) throw new UsageError('sources takes no arguments');
  const sources = await loadSources(sourcesFile(p, config));
  const opened = await openCrawlStore(config);
  let statuses: Map<string, CrawlStatus>;
  try {
    statuses = new Map((await opened.store.listStatus()).map((s) => [s.source, s]));
  } finally {
    await opened.close();
  }
  if (p.values.json) {
    io.out.write(`${JSON.stringify(sources.map((s) => ({ id: s.id, type: s.type, schedule: s.schedule, status: statuses.get(s.id) ?? null })))}\n`);
    return 0;
  }
  if (!sources.length) {
    io.out.write('No sources in the sources file.\n');
    return 0;
  }
  const now = Date.now();
  const rows = [['SOURCE', 'TYPE', 'SCHEDULE', 'LAST CRAWL', 'OUTCOME', 'DURATION', 'TABLES', '+/~/-', 'LAST ERROR']];
  for (const s of sources) {
    const st = statuses.get(s.id);
    const c = st?.counts;
    rows.push([
      s.id,
      s.type,
      s.schedule === undefined ? '-' : String(s.schedule),
      st ? ago(st.lastFinishedAt ?? st.lastStartedAt, now) : 'never',
      st?.outcome ?? '-',
      st?.durationMs !== undefined ? `${(st.durationMs / 1000).toFixed(1)}s` : '-',
      c ? String(c.tables) : '-',
      c ? `${c.added}/${c.changed}/${c.removed}` : '-',
      st?.lastError ? `${ago(st.lastError.at, now)}: ${st.lastError.message.replace(/\s+/g, ' ').slice(0, 160)}` : '-',
    ]);
  }
  io.out.write(table(rows));
  return 0;
}

function portOf(p: Parsed): number | undefined {
  const port = p.values.port === undefined ? undefined : Number(p.values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a port number, not "${p.values.port}"`);
  return port;
}

/** Runs until SIGINT or SIGTERM (or `done`), then stops. */
async function untilSignal(running: { done?: Promise<void>; stop(): Promise<void> }): Promise<void> {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = () => void running.stop().then(resolve, resolve)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await Promise.race([stopped, ...(running.done ? [running.done] : [])]);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function runMigrateCommand(p: Parsed, io: CliIo, config: Config, logger: Logger): Promise<number> {
  if (p.args[0] !== 'amundsen' || p.args.length > 1) throw new UsageError('migrate takes one source: amundsen');
  const neo4j = p.values.neo4j;
  if (!neo4j || !/^(bolt|neo4j)(\+s|\+ssc)?:\/\//.test(neo4j)) throw new UsageError('migrate amundsen needs --neo4j <bolt:// or neo4j:// URL of Amundsen\'s graph>');
  const batch = p.values.batch === undefined ? undefined : Number(p.values.batch);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 10_000)) throw new UsageError('--batch must be a whole number from 1 to 10000');
  const backend = backendOf(p.values.backend, config);
  const progress = progressDisplay(io, 'migrate');
  try {
    const report = await runAmundsenMigration(config, logger, {
      neo4j,
      ...(p.values.user ? { user: p.values.user } : {}),
      ...(p.values.password ? { password: p.values.password } : {}),
      backend,
      ...(p.values['dry-run'] ? { dryRun: true } : {}),
      ...(batch ? { batchSize: batch } : {}),
      onProgress: (x) => progress.update(x.done, x.total, x.phase),
    });
    progress.stop();
    io.out.write(p.values.json ? `${JSON.stringify(report)}\n` : migrationSummary(report));
    return 0;
  } finally {
    progress.stop();
  }
}

async function runOpenLineageCommand(p: Parsed, io: CliIo, config: Config, logger: Logger): Promise<number> {
  if (p.args.length) throw new UsageError('openlineage takes no arguments');
  const backend = backendOf(p.values.backend, config);
  const port = portOf(p);
  const running = await runLineageReceiver(config, logger, { ...(p.values.host ? { host: p.values.host } : {}), ...(port !== undefined ? { port } : {}) }, backend);
  io.err.write(`Nansen OpenLineage receiver on ${running.url}/api/v1/lineage (${backend}). Ctrl-C stops it.\n`);
  await untilSignal(running);
  return 0;
}

async function runMcpCommand(p: Parsed, io: CliIo, config: Config, logger: Logger): Promise<number> {
  if (p.args.length) throw new UsageError('mcp takes no arguments');
  const backend = backendOf(p.values.backend, config);
  const port = portOf(p);
  if (!p.values.http && (port !== undefined || p.values.host !== undefined)) throw new UsageError('--host and --port go with --http');
  const running = await runMcp(config, logger, p.values.http ? { kind: 'http', ...(p.values.host ? { host: p.values.host } : {}), ...(port !== undefined ? { port } : {}) } : { kind: 'stdio' }, backend);
  if (running.url) io.err.write(`Nansen MCP server on ${running.url} (${backend}${config.NANSEN_MCP_WRITE === '1' ? ', write tools on' : ''}). Ctrl-C stops it.\n`);
  await untilSignal(running);
  return 0;
}

/** Runs the CLI with these arguments; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  let p: Parsed;
  try {
    p = parse(argv);
  } catch (e) {
    io.err.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (p.values.help || !p.command || p.command === 'help') {
    (p.command || p.values.help ? io.out : io.err).write(USAGE);
    return p.command || p.values.help ? 0 : 2;
  }
  let logger: Logger | undefined;
  try {
    const config = loadConfig(io.env);
    logger = createLogger({ level: io.env.LOG_LEVEL ? config.LOG_LEVEL : 'silent', name: 'nansen-cli' });
    switch (p.command) {
      case 'import':
        return await runImport(p, io, config, logger);
      case 'crawl':
        return await runCrawl(p, io, config, logger);
      case 'sources':
        return await runSources(p, io, config);
      case 'reindex':
        return await runReindex(p, io, config, logger);
      case 'mcp':
        return await runMcpCommand(p, io, config, logger);
      case 'openlineage':
        return await runOpenLineageCommand(p, io, config, logger);
      case 'migrate':
        return await runMigrateCommand(p, io, config, logger);
      case 'migrate-state': {
        if (p.args.length) throw new UsageError('migrate-state takes no arguments');
        const r = await migrateState(config, { force: Boolean(p.values.force), dryRun: Boolean(p.values['dry-run']) });
        io.out.write(p.values.json ? `${JSON.stringify(r)}\n` : `${r.summary}\n`);
        return 0;
      }
      case 'misses':
        return await runMisses(p, io, config);
      default:
        throw new UsageError(`unknown command "${p.command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof UserError || e instanceof SourceError) {
      io.err.write(`${e.message}\n`);
      return 1;
    }
    const message = redactSecrets(e instanceof Error ? e.message : String(e), []);
    io.err.write(`nansen: ${message}\n`);
    logger?.debug({ err: e }, 'cli command failed');
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`nansen: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
