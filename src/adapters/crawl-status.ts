import { reportCounts, type CrawlReport } from '../domain/crawl';
import type { IsoTime } from '../domain/model';
import type { CrawlStatus } from '../ports/crawl-status-store';

/**
 * How a source's status changes with each crawl event, the same for every crawl status store (SQLite, Redis):
 * pure functions of the previous status.
 */
export function statusOnStart(prev: CrawlStatus | undefined, source: string, crawlId: string, at: IsoTime): CrawlStatus {
  return { ...(prev ?? {}), source, outcome: 'running', crawlId, lastStartedAt: at };
}

export function statusOnFinish(prev: CrawlStatus | undefined, source: string, report: CrawlReport, durationMs: number): CrawlStatus {
  return {
    ...(prev ?? {}),
    source,
    crawlId: report.crawlId,
    lastStartedAt: prev?.crawlId === report.crawlId ? prev.lastStartedAt : report.startedAt,
    lastFinishedAt: report.finishedAt,
    durationMs: Math.round(durationMs),
    counts: reportCounts(report),
    ...(report.refused
      ? {
          outcome: 'refused' as const,
          lastError: {
            at: report.finishedAt,
            code: report.refused.reason,
            message: `refused: would remove ${report.refused.removals} of ${report.refused.total} tables (more than ${report.refused.threshold * 100}%); rerun with --force if that is right`,
            retryable: false,
          },
        }
      : { outcome: 'ok' as const, lastSuccessAt: report.finishedAt }),
  };
}

export function statusOnFailure(prev: CrawlStatus | undefined, source: string, crawlId: string, at: IsoTime, error: { code: string; message: string; retryable: boolean }, durationMs: number): CrawlStatus {
  return {
    ...(prev ?? {}),
    source,
    outcome: 'failed',
    crawlId,
    lastStartedAt: prev?.crawlId === crawlId ? prev.lastStartedAt : new Date(Date.parse(at) - durationMs).toISOString(),
    lastFinishedAt: at,
    durationMs: Math.round(durationMs),
    lastError: { at, ...error },
  };
}
