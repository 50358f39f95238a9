import { UnrecoverableError } from 'bullmq';
import type { SourceConfig } from '../ingest/source';
import type { Logger } from '../src/log/logger';
import { classifyCrawlError, safeErrorMessage, SHUTDOWN_REASON, SourceBusyError } from './errors';
import type { CrawlJob, CrawlProcessor } from './processors/crawl';
import type { CrawlJobData, CrawlJobResult, CrawlJobProgress, CrawlRetryOptions } from './queues';
import { nextRun, scheduleOf, type CrawlSchedule, type SyncResult } from './schedules';

export interface InProcessRunnerOptions {
  processor: CrawlProcessor;
  logger: Logger;
  /** Same meaning and defaults as the queue's: 5 tries, 30 s first backoff, doubling. */
  retry?: CrawlRetryOptions;
  /** Time zone of cron schedules. */
  tz?: string;
  /** How long a manual crawl waits when its source is being crawled (default 30 s). */
  busyRetryMs?: number;
}

/** One run of a crawl job in this process: its retries included. */
interface Run {
  job: CrawlJob;
  promise: Promise<CrawlJobResult | undefined>;
  progress?: CrawlJobProgress;
}

interface Scheduled {
  schedule: CrawlSchedule;
  timer?: NodeJS.Timeout;
}

/** setTimeout's longest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs the crawl processor in this process when there is no Redis: each scheduled source on its schedule (the
 * same cron and interval rules as BullMQ's job schedulers, so moving to Redis changes nothing), manual crawls on
 * request, retries with exponential backoff for transient failures, none for permanent ones, and never two
 * crawls of one source at once. Nothing survives a restart: that is what Redis is for.
 */
export class InProcessCrawlRunner {
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly runs = new Set<Run>();
  /** Pending manual crawl per source, so asking twice while one is queued returns the same one. */
  private readonly manual = new Map<string, Run>();
  private readonly closing = new AbortController();
  /** Aborts crawls still running when `close` stops waiting for them. */
  private readonly hardStop = new AbortController();
  private seq = 0;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly busyRetryMs: number;

  constructor(private readonly options: InProcessRunnerOptions) {
    this.attempts = options.retry?.attempts ?? 5;
    this.backoffMs = options.retry?.backoffMs ?? 30_000;
    this.busyRetryMs = options.busyRetryMs ?? 30_000;
  }

  /**
   * Makes the timers match the sources: starts a scheduled source's timer (an interval schedule fires at once,
   * as BullMQ's does), restarts it when the schedule changed, stops it when the source is gone or unscheduled.
   */
  setSources(sources: SourceConfig[]): SyncResult {
    const result: SyncResult = { upserted: [], unchanged: [], removed: [], invalid: [] };
    if (this.closing.signal.aborted) return result;
    const wanted = new Map<string, CrawlSchedule>();
    for (const source of sources) {
      try {
        const schedule = scheduleOf(source, this.options.tz);
        if (schedule) wanted.set(source.id, schedule);
      } catch (err) {
        result.invalid.push({ source: source.id, error: err instanceof Error ? err.message : String(err) });
        this.options.logger.error({ source: source.id, err: err instanceof Error ? err.message : String(err) }, 'source schedule invalid');
      }
    }
    for (const [sourceId, s] of this.scheduled) {
      if (wanted.has(sourceId) || result.invalid.some((i) => i.source === sourceId)) continue;
      clearTimeout(s.timer);
      this.scheduled.delete(sourceId);
      result.removed.push(sourceId);
      this.options.logger.info({ source: sourceId }, 'crawl schedule removed');
    }
    for (const [sourceId, schedule] of wanted) {
      const current = this.scheduled.get(sourceId);
      if (current && JSON.stringify(current.schedule) === JSON.stringify(schedule)) {
        result.unchanged.push(sourceId);
        continue;
      }
      if (current) clearTimeout(current.timer);
      const entry: Scheduled = { schedule };
      this.scheduled.set(sourceId, entry);
      result.upserted.push(sourceId);
      this.options.logger.info({ source: sourceId, ...schedule }, 'crawl schedule set');
      this.arm(sourceId, entry, 'every' in schedule ? Date.now() : nextRun(schedule, Date.now()));
    }
    return result;
  }

  /** Sources with a schedule, and when each fires next. */
  schedules(): Array<{ source: string; schedule: CrawlSchedule }> {
    return [...this.scheduled].map(([source, s]) => ({ source, schedule: s.schedule }));
  }

  /**
   * Crawls a source now (retries included) and resolves with the last try's result; a permanent failure, or the
   * last transient one, rejects. Asking again while a manual crawl of the source is pending returns that one.
   */
  crawlNow(data: Omit<CrawlJobData, 'trigger'>): Promise<CrawlJobResult | undefined> {
    const pending = this.manual.get(data.sourceId);
    if (pending) return pending.promise;
    // The job id is the crawl id, which the crawl status and the alert ledger key on: unique across restarts.
    const run = this.start({ ...data, trigger: 'manual' }, `manual-${data.sourceId}-${Date.now().toString(36)}-${++this.seq}`, true);
    this.manual.set(data.sourceId, run);
    void run.promise.finally(() => this.manual.get(data.sourceId) === run && this.manual.delete(data.sourceId)).catch(() => undefined);
    return run.promise;
  }

  /** Runs in progress or waiting to retry, with their last reported progress. */
  active(): Array<{ jobId: string; source: string; progress?: CrawlJobProgress }> {
    return [...this.runs].map((r) => ({ jobId: r.job.id!, source: r.job.data.sourceId, progress: r.progress }));
  }

  /**
   * Stops the timers and waits for the crawls in progress to finish; crawls waiting for a retry are dropped. With
   * `abortAfterMs`, crawls still running then are aborted.
   */
  async close(options: { abortAfterMs?: number } = {}): Promise<void> {
    for (const s of this.scheduled.values()) clearTimeout(s.timer);
    this.scheduled.clear();
    this.closing.abort();
    const all = Promise.allSettled([...this.runs].map((r) => r.promise));
    if (options.abortAfterMs === undefined) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.abortAfterMs)));
    const first = await Promise.race([all.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') {
      this.hardStop.abort(SHUTDOWN_REASON);
      await all;
    }
  }

  private arm(sourceId: string, entry: Scheduled, at: number): void {
    const delay = Math.max(0, at - Date.now());
    entry.timer = setTimeout(
      () => {
        if (this.scheduled.get(sourceId) !== entry) return;
        if (delay > MAX_TIMER_MS) return this.arm(sourceId, entry, at);
        this.start({ sourceId, trigger: 'schedule' }, `schedule-${sourceId}-${at}`, false);
        const next = 'every' in entry.schedule ? Math.max(at + entry.schedule.every, Date.now()) : nextRun(entry.schedule, Math.max(at, Date.now()));
        this.arm(sourceId, entry, next);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
  }

  private start(data: CrawlJobData, id: string, rethrow: boolean): Run {
    const log = this.options.logger;
    const run: Run = {
      job: {
        id,
        data,
        attemptsMade: 0,
        opts: { attempts: this.attempts },
        updateProgress: async (progress) => {
          run.progress = progress;
        },
      },
      promise: Promise.resolve(undefined),
    };
    run.promise = this.execute(run)
      .catch((err: unknown) => {
        if (rethrow) throw err;
        log.debug({ jobId: id, err: safeErrorMessage(err) }, 'scheduled crawl gave up');
        return undefined;
      })
      .finally(() => this.runs.delete(run));
    this.runs.add(run);
    return run;
  }

  private async execute(run: Run): Promise<CrawlJobResult> {
    const { job } = run;
    while (true) {
      try {
        return await this.options.processor(job, undefined, this.hardStop.signal);
      } catch (err) {
        if (this.closing.signal.aborted && !(err instanceof SourceBusyError)) throw err;
        if (err instanceof SourceBusyError) {
          await this.sleep(this.busyRetryMs);
          continue;
        }
        job.attemptsMade += 1;
        if (err instanceof UnrecoverableError || classifyCrawlError(err) === 'permanent' || job.attemptsMade >= this.attempts) throw err;
        await this.sleep(this.backoffMs * 2 ** (job.attemptsMade - 1));
      }
    }
  }

  /** Waits, unless the runner is closing: then it throws, dropping the retry. */
  private sleep(ms: number): Promise<void> {
    const signal = this.closing.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Error('worker shutting down'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new Error('worker shutting down'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
