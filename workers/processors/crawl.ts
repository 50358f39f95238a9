import { UnrecoverableError } from 'bullmq';
import { SourceError } from '../../ingest/errors';
import type { CrawlOptions, CrawlProgress, SourceConfig } from '../../ingest/source';
import { reportCounts, type CrawlReport } from '../../src/domain/crawl';
import type { Logger } from '../../src/log/logger';
import { AlertsNotQueuedError, classifyCrawlError, isShutdownAbort, safeErrorMessage, SourceBusyError, SourceLockLostError, type CrawlErrorKind } from '../errors';
import type { CrawlJobData, CrawlJobProgress, CrawlJobResult } from '../queues';
import type { SourceLocks } from '../../src/ports/source-locks';

/**
 * What the crawl processor needs of a job. A BullMQ `Job` is one; the in-process runner makes its own.
 */
export interface CrawlJob {
  id?: string;
  data: CrawlJobData;
  /** Tries already made before this one. */
  attemptsMade: number;
  /** Times the job was started, this one included (BullMQ counts stalled and postponed runs too). */
  attemptsStarted?: number;
  opts: { attempts?: number };
  updateProgress(progress: CrawlJobProgress): Promise<void>;
}

/** A failed try of a crawl, as the crawl status store records it (`nansen sources` shows the last one). */
export interface CrawlFailure {
  /** The source id. */
  source: string;
  /** The crawl id: the job id. */
  crawlId: string;
  at: string;
  /** The source error's code (`bad_credentials`, `unreachable`, ...), else `crawl_failed`, `lock_lost`, `aborted`, `unknown_source`. */
  code: string;
  /** The error message, with secrets masked. */
  error: string;
  kind: CrawlErrorKind;
  /** This try's number, from 1. */
  attempt: number;
  maxAttempts: number;
  /** Whether the job will be tried again. */
  willRetry: boolean;
  dryRun: boolean;
  /** How long the try took. */
  durationMs: number;
}

export interface CrawlProcessorDeps {
  /** The pipeline: `crawlSource` with its dependencies bound. */
  crawl(source: SourceConfig, options: CrawlOptions): Promise<CrawlReport>;
  /** The source as `sources.yml` declares it now, or undefined when it is gone. */
  getSource(id: string): SourceConfig | undefined | Promise<SourceConfig | undefined>;
  locks: SourceLocks;
  /** Records a failed try in the crawl status store. Its own failure is logged, never thrown. */
  recordFailure?(failure: CrawlFailure): Promise<void>;
  logger: Logger;
  /** Least time between two progress writes to the job (default 1 s). */
  progressIntervalMs?: number;
  /**
   * Hands a finished crawl to the schema-change alerts (it decides whether there is anything to announce), while
   * the source's lock is still held. `rerun` is true when an earlier run of the same job (same crawl id) may have
   * written the changes already. A failure retries the job.
   */
  afterCrawl?(report: CrawlReport, context: { rerun: boolean; log: Logger }): Promise<void>;
}

export type CrawlProcessor = (job: CrawlJob, token?: string, signal?: AbortSignal) => Promise<CrawlJobResult>;

/**
 * The crawl processor: a plain `(job) => Promise<result>` shared by the BullMQ worker and the in-process runner.
 * Takes the source's lock, runs the pipeline, reports progress on the job, and turns failures into what the
 * queue understands: `UnrecoverableError` for permanent ones (no retries), the error itself for transient ones
 * (retried with backoff), `SourceBusyError` when another crawl of the source is running (run later).
 *
 * It declares three parameters so BullMQ hands it an abort signal (`worker.cancelJob`, lost job lock).
 */
export function createCrawlProcessor(deps: CrawlProcessorDeps): CrawlProcessor {
  const progressIntervalMs = deps.progressIntervalMs ?? 1000;
  return async function processCrawl(job: CrawlJob, _token: string | undefined, signal: AbortSignal | undefined): Promise<CrawlJobResult> {
    const { sourceId, trigger } = job.data;
    const log = deps.logger.child({ source: sourceId, jobId: job.id, trigger, attempt: job.attemptsMade + 1 });
    const source = await deps.getSource(sourceId);
    if (!source && trigger === 'schedule') {
      log.info('crawl skipped: source no longer in the sources file');
      return { status: 'skipped', source: sourceId, reason: 'source_removed' };
    }
    if (!source) {
      const error = new UnrecoverableError(`source ${sourceId} is not in the sources file`);
      await recordFailure(job, sourceId, error, 'permanent', log, Date.now());
      throw error;
    }

    const holder = job.id ?? `anonymous-${process.pid}`;
    const acquired = await deps.locks.acquire(sourceId, holder);
    if ('heldBy' in acquired) {
      if (trigger === 'schedule' && acquired.heldBy !== holder) {
        log.info({ heldBy: acquired.heldBy }, 'crawl skipped: source already being crawled');
        return { status: 'skipped', source: sourceId, reason: 'already_running' };
      }
      throw new SourceBusyError(sourceId, acquired.heldBy);
    }
    const { lease } = acquired;

    const started = Date.now();
    const cancel = AbortSignal.any([lease.lost, ...(signal ? [signal] : [])]);
    let lastProgress = 0;
    let lastPhase: CrawlProgress['phase'] | undefined;
    let progressWrite: Promise<void> = Promise.resolve();
    const onProgress = ({ phase, done, total }: CrawlProgress): void => {
      const now = Date.now();
      if (now - lastProgress < progressIntervalMs && done !== total && phase === lastPhase) return;
      lastProgress = now;
      lastPhase = phase;
      const progress: CrawlJobProgress = total === undefined ? { phase, done } : { phase, done, total };
      progressWrite = progressWrite.then(() => job.updateProgress(progress)).catch((err: unknown) => log.warn({ err: safeErrorMessage(err) }, 'crawl progress not saved'));
    };

    try {
      log.info({ dryRun: !!job.data.dryRun, force: !!job.data.force }, 'crawl job started');
      const report = await deps.crawl(source, { dryRun: job.data.dryRun, force: job.data.force, onProgress, signal: cancel, crawlId: job.id, reportFailure: false });
      // Finished despite losing the lock: what it wrote is written; running it again would not undo an overlap.
      if (lease.lost.aborted) log.warn({ crawlId: report.crawlId }, 'crawl lock was lost during the crawl');
      await progressWrite;
      const durationMs = Date.now() - started;
      if (report.refused) {
        log.warn({ crawlId: report.crawlId, ...report.refused }, 'crawl refused: too many removals');
        const { removals, total, threshold } = report.refused;
        return { status: 'refused', source: sourceId, crawlId: report.crawlId, removals, total, threshold };
      }
      if (deps.afterCrawl) {
        const rerun = job.attemptsMade > 0 || (job.attemptsStarted ?? 1) > 1;
        try {
          await deps.afterCrawl(report, { rerun, log });
        } catch (err) {
          throw new AlertsNotQueuedError(sourceId, report.crawlId, err);
        }
      }
      const result: CrawlJobResult = {
        status: 'crawled',
        source: sourceId,
        crawlId: report.crawlId,
        dryRun: report.dryRun,
        ...reportCounts(report),
        durationMs,
      };
      log.debug({ crawlId: result.crawlId, durationMs }, 'crawl job done');
      return result;
    } catch (err) {
      if (err instanceof AlertsNotQueuedError) {
        // The crawl itself succeeded and is recorded as such; only its alert is missing.
        const willRetry = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
        log.error({ crawlId: err.crawlId, err: safeErrorMessage(err.cause), willRetry }, 'schema-change alert not queued');
        throw err;
      }
      if (isShutdownAbort(signal)) {
        log.info('crawl interrupted: worker shutting down');
        await recordFailure(job, sourceId, err, 'aborted', log, started, { quiet: true });
        throw err;
      }
      const lockLost = lease.lost.aborted && !(signal?.aborted ?? false);
      const error = lockLost && !(err instanceof SourceLockLostError) ? new SourceLockLostError(sourceId) : err;
      const kind = classifyCrawlError(error);
      await recordFailure(job, sourceId, error, kind, log, started);
      if (kind === 'permanent' && !(error instanceof UnrecoverableError)) throw new UnrecoverableError(safeErrorMessage(error));
      throw error instanceof Error ? error : new Error(safeErrorMessage(error));
    } finally {
      await progressWrite;
      await lease.release().catch((err: unknown) => log.warn({ err: safeErrorMessage(err) }, 'crawl lock not released'));
    }
  };

  async function recordFailure(job: CrawlJob, sourceId: string, err: unknown, kind: CrawlErrorKind, log: Logger, started: number, options: { quiet?: boolean } = {}): Promise<void> {
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const willRetry = kind !== 'permanent' && attempt < maxAttempts;
    const failure: CrawlFailure = {
      source: sourceId,
      crawlId: job.id ?? 'unknown',
      at: new Date().toISOString(),
      code: errorCode(err, kind),
      error: safeErrorMessage(err),
      kind,
      attempt,
      maxAttempts,
      willRetry,
      dryRun: !!job.data.dryRun,
      durationMs: Date.now() - started,
    };
    const fields = { code: failure.code, error: failure.error, kind, maxAttempts, willRetry };
    if (options.quiet) log.debug(fields, 'crawl job interrupted');
    else if (willRetry) log.warn(fields, 'crawl job failed, will retry');
    else log.error(fields, 'crawl job failed, no more tries');
    try {
      await deps.recordFailure?.(failure);
    } catch (e) {
      log.error({ err: safeErrorMessage(e) }, 'crawl failure not recorded');
    }
  }
}

function errorCode(err: unknown, kind: CrawlErrorKind): string {
  if (err instanceof SourceLockLostError) return 'lock_lost';
  const code = (err as { code?: unknown } | undefined)?.code;
  if (err instanceof SourceError || (typeof code === 'string' && /^[a-z_]+$/.test(code))) return String(code);
  if (err instanceof UnrecoverableError && /not in the sources file/.test(err.message)) return 'unknown_source';
  return kind === 'aborted' ? 'aborted' : 'crawl_failed';
}
