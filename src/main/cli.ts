/**
 * The command line: `npm run nansen -- <command>`.
 *
 *   import <file> [--backend embedded|neo4j-es]          load a catalog-v1 file into the stores
 *   crawl <source> [--dry-run] [--force] [--full] [--backend ...]  crawl one source of sources.yml
 *   sources                                               list sources with their last crawl
 *   misses [--limit N] [--since ISO]                      the questions Nansen missed, newest first
 *
 * Exit codes: 0 ok, 1 a user error (the message is printed, no stack), 2 bad usage.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { crawlSource } from '../../ingest/crawl';
import { SourceError } from '../../ingest/errors';
import { redactSecrets } from '../log/redact';
import { findSource, loadSources } from '../../ingest/sources-file';
import type { CrawlProgress, SourceConfig } from '../../ingest/source';
import type { CrawlReport } from '../domain/crawl';
import { SqliteCrawlStore } from '../adapters/embedded/sqlite-crawl-store';
import { SqliteMissLog } from '../adapters/embedded/sqlite-miss-log';
import { missesPath } from './settings';
import type { CrawlStatus } from '../ports/crawl-status-store';
import { importCatalog, readCatalogFile } from '../catalog/import';
import { loadConfig, type Config } from '../config/config';
import { UserError } from '../domain/errors';
import { createLogger, type Logger } from '../log/logger';
import { openStores, type Backend } from './stores';
import { embedNow } from './meaning';
import { createCrawlAlerter } from '../alerts/jobs/crawl-alerts';
import { createAlertQueue } from '../alerts/jobs/queues';
import { withSourceLock } from './cli-lock';

const USAGE = `Usage: npm run nansen -- <command> [options]

Commands:
  import <file> [--backend embedded|neo4j-es]    Load a catalog-v1 file into the stores.
  crawl <source> [--dry-run] [--force] [--full] [--backend embedded|neo4j-es]
                                                 Crawl one source of the sources file (NANSEN_SOURCES).
                                                 --dry-run: show the diff, write nothing; --force: remove more
                                                 than 5% of the source's tables; --full: compare every table
                                                 with the graph instead of trusting the last crawl's fingerprints.
  sources                                        List sources with their last crawl, duration, counts, last error.
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
  values: { limit?: string; since?: string; backend?: string; 'dry-run'?: boolean; full?: boolean; force?: boolean; sources?: string; json?: boolean; help?: boolean };
}

function parse(argv: string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        backend: { type: 'string' },
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
  if (e.failed) return `Embeddings: the server failed (${e.failed}); ${e.pending} subjects stay pending and are answered by their words until the bot or the worker catches them up.\n`;
  return `Embeddings: ${e.embedded} embedded, ${e.unchanged} unchanged text skipped.\n`;
}

function sourcesFile(p: Parsed, config: Config): string {
  return p.values.sources ?? config.NANSEN_SOURCES;
}

function openCrawlStore(config: Config): SqliteCrawlStore {
  return new SqliteCrawlStore({ path: join(config.NANSEN_DATA_DIR, 'crawls.sqlite') });
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
  const crawlStore = openCrawlStore(config);
  await crawlStore.init();
  const stores = await openStores(config, logger, backend).catch(async (e: unknown) => {
    await crawlStore.close();
    throw e;
  });
  const progress = progressDisplay(io, `crawl ${id}`);
  try {
    // A dry run writes nothing, so it needs no lock; a real one takes the worker's lock on the source.
    const report = await withSourceLock(p.values['dry-run'] ? undefined : config.REDIS_URL, source.id, (signal) =>
      crawlSource(
        source,
        { stores, logger, state: crawlStore, status: crawlStore, env: io.env, stateScope: backend },
        {
          ...(p.values['dry-run'] ? { dryRun: true } : {}),
          ...(p.values.full ? { full: true } : {}),
          ...(p.values.force ? { force: true } : {}),
          ...(signal ? { signal } : {}),
          onProgress: (x: CrawlProgress) => progress.update(x.done, x.total, x.phase),
        },
      ),
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
    await crawlStore.close();
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
  const queue = createAlertQueue({ connection: { url: config.REDIS_URL } });
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
  const log = new SqliteMissLog(missesPath(config));
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
  const store = openCrawlStore(config);
  await store.init();
  let statuses: Map<string, CrawlStatus>;
  try {
    statuses = new Map((await store.listStatus()).map((s) => [s.source, s]));
  } finally {
    await store.close();
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
