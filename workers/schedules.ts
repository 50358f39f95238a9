import { getNextMillis, type JobSchedulerJson, type RepeatOptions } from 'bullmq';
import type { SourceConfig } from '../ingest/source';
import { UserError } from '../src/domain/errors';
import type { Logger } from '../src/log/logger';
import { CRAWL_JOB, crawlSchedulerId, sourceOfSchedulerId, type CrawlJobData, type CrawlQueue } from './queues';

/** A source's schedule as BullMQ repeat options. */
export type CrawlSchedule = { pattern: string; tz?: string } | { every: number };

/**
 * Reads a source's `schedule`: a cron expression (`0 * * * *`, read in `tz`), or a number of milliseconds between
 * crawls (a string of digits counts as one). No schedule means the source is only crawled on request. A schedule
 * that is neither is a `UserError` naming the source.
 */
export function scheduleOf(source: SourceConfig, tz?: string): CrawlSchedule | undefined {
  const s = source.schedule;
  if (s === undefined || s === null || s === '') return undefined;
  if (typeof s === 'number' || /^\d+$/.test(s.trim())) {
    const every = Number(s);
    if (!Number.isSafeInteger(every) || every < 1000) throw new UserError('bad_config', `Source ${source.id}: schedule ${s} ms is too short (at least 1000 ms).`);
    return { every };
  }
  const pattern = s.trim();
  try {
    getNextMillis(Date.now(), tz ? { pattern, tz } : { pattern });
  } catch (err) {
    throw new UserError('bad_config', `Source ${source.id}: schedule "${pattern}" is not a cron expression (${err instanceof Error ? err.message : String(err)}).`);
  }
  return tz ? { pattern, tz } : { pattern };
}

/** When a schedule next fires after `after` (ms since epoch), by BullMQ's own rule, so both runners agree. */
export function nextRun(schedule: CrawlSchedule, after: number): number {
  const next = getNextMillis(after, schedule as RepeatOptions);
  if (next === undefined) throw new Error('schedule never fires again');
  return next;
}

export interface SyncResult {
  /** Sources whose scheduler was created or changed. */
  upserted: string[];
  /** Sources whose scheduler already matched. */
  unchanged: string[];
  /** Sources no longer in the file (or no longer scheduled) whose scheduler was removed. */
  removed: string[];
  /** Sources left unscheduled because their schedule is invalid, with the reason. */
  invalid: Array<{ source: string; error: string }>;
}

/**
 * Makes the queue's job schedulers match the sources file: one scheduler per scheduled source (created, or
 * updated when its schedule changed), and none for a source that is gone or has no schedule. Schedulers that
 * are not crawl schedulers are left alone. A source with a bad schedule is reported and left out; the others
 * are still scheduled.
 */
export async function syncCrawlSchedulers(queue: CrawlQueue, sources: SourceConfig[], options: { tz?: string; logger?: Logger } = {}): Promise<SyncResult> {
  const result: SyncResult = { upserted: [], unchanged: [], removed: [], invalid: [] };
  const wanted = new Map<string, CrawlSchedule>();
  for (const source of sources) {
    try {
      const schedule = scheduleOf(source, options.tz);
      if (schedule) wanted.set(source.id, schedule);
    } catch (err) {
      result.invalid.push({ source: source.id, error: err instanceof Error ? err.message : String(err) });
      options.logger?.error({ source: source.id, err: err instanceof Error ? err.message : String(err) }, 'source schedule invalid');
    }
  }

  const existing = await queue.getJobSchedulers(0, -1);
  const existingBySource = new Map<string, (typeof existing)[number]>();
  for (const scheduler of existing) {
    const sourceId = sourceOfSchedulerId(scheduler.key);
    if (sourceId !== undefined) existingBySource.set(sourceId, scheduler);
  }

  for (const [sourceId, scheduler] of existingBySource) {
    if (wanted.has(sourceId) || result.invalid.some((i) => i.source === sourceId)) continue;
    await queue.removeJobScheduler(scheduler.key);
    result.removed.push(sourceId);
    options.logger?.info({ source: sourceId }, 'crawl schedule removed');
  }

  // Upserting an unchanged scheduler is a no-op in BullMQ (same next job), and re-creates a lost next job.
  for (const [sourceId, schedule] of wanted) {
    const current = existingBySource.get(sourceId);
    const data: CrawlJobData = { sourceId, trigger: 'schedule' };
    await queue.upsertJobScheduler(crawlSchedulerId(sourceId), schedule, { name: CRAWL_JOB, data });
    if (current && sameSchedule(current, schedule)) {
      result.unchanged.push(sourceId);
    } else {
      result.upserted.push(sourceId);
      options.logger?.info({ source: sourceId, ...schedule }, 'crawl schedule set');
    }
  }
  return result;
}

function sameSchedule(current: JobSchedulerJson, wanted: CrawlSchedule): boolean {
  const data = current.template?.data as Partial<CrawlJobData> | undefined;
  if (data?.trigger !== 'schedule') return false;
  if ('every' in wanted) return Number(current.every) === wanted.every && !current.pattern;
  return current.pattern === wanted.pattern && (current.tz ?? undefined) === wanted.tz && !current.every;
}
