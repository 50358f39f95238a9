import type { CrawlReport } from '../../domain/crawl';
import { planAlerts, type AlertPlan, type CrawlChanges, type PlanDeps } from '../plan';
import type { SchemaChange } from '../../domain/model';
import type { Logger } from '../../log/logger';
import type { AlertStore } from '../../ports/alert-store';
import type { GraphStore } from '../../ports/graph-store';
import { enqueueAlert, type AlertQueue } from './queues';

/**
 * Where a crawl's schema changes go:
 * - `queue`: the alert queue (with Redis), planned and delivered by the alert workers;
 * - `in-process`: planned and delivered in this process (`InProcessAlertRunner`, without Redis);
 * - `log-only`: no Slack token, so planned and logged, never posted.
 */
export type CrawlAlertTarget =
  | { kind: 'queue'; queue: AlertQueue }
  | { kind: 'in-process'; runner: { dispatch(report: CrawlChanges): Promise<AlertPlan> } }
  | { kind: 'log-only'; plan: PlanDeps };

export interface CrawlAlerterDeps {
  /** Where a re-run crawl finds the changes an earlier run of it recorded. */
  graph: GraphStore;
  logger: Logger;
  /** How many of the newest schema changes a crawl looks through for unannounced ones (default 5000). */
  recoveryScan?: number;
  /**
   * The exactly-once change ledger (the alert store). With it, every crawl also announces the changes of its
   * source that an earlier run recorded and nobody announced (a crash at any point after recording); without
   * it, only a re-run with no changes of its own looks for its crawl's recorded changes.
   */
  ledger?: Pick<AlertStore, 'unannouncedChanges'>;
}

/** The crawl processor's `afterCrawl` hook. */
export type CrawlAlerter = (report: CrawlReport, context: { rerun: boolean; log?: Logger }) => Promise<void>;

/**
 * Announces what a crawl changed: nothing for a dry run, a refused crawl or a crawl without schema changes; else
 * one alert job per crawl (stable id, so a retried crawl queues it once), or an in-process dispatch.
 *
 * A re-run of a crawl job (a retry, or a stalled job handed out again) that finds no changes may follow a run that
 * recorded and published them and then stopped before queuing their alert; the re-run takes that crawl's changes
 * from the graph instead, so they are announced once rather than never.
 */
export function createCrawlAlerter(target: CrawlAlertTarget, deps: CrawlAlerterDeps): CrawlAlerter {
  const recoveryScan = deps.recoveryScan ?? 5000;

  async function recorded(report: CrawlReport): Promise<SchemaChange[]> {
    const recent = await deps.graph.recentSchemaChanges({ limit: recoveryScan });
    return recent.filter((c) => c.crawlId === report.crawlId && c.source === report.source);
  }

  /** This source's recorded changes (within the scan) that were never announced, oldest first. */
  async function unannounced(report: CrawlReport, ledger: NonNullable<CrawlAlerterDeps['ledger']>): Promise<SchemaChange[]> {
    const recent = (await deps.graph.recentSchemaChanges({ limit: recoveryScan })).filter((c) => c.source === report.source);
    if (!recent.length) return [];
    const open = new Set(await ledger.unannouncedChanges(recent.map((c) => c.id)));
    return recent.filter((c) => open.has(c.id)).reverse();
  }

  return async function alertCrawl(report, { rerun, log = deps.logger }) {
    if (report.dryRun || report.refused) return;
    let changes = report.changes;
    if (deps.ledger) {
      const mine = new Set(changes.map((c) => c.id));
      const earlier = (await unannounced(report, deps.ledger)).filter((c) => !mine.has(c.id));
      if (earlier.length) {
        log.warn({ crawlId: report.crawlId, changes: earlier.length }, 'recorded schema changes nobody announced found: announcing them');
        changes = [...earlier, ...changes];
      }
    } else if (!changes.length && rerun) {
      changes = await recorded(report);
      if (changes.length) log.warn({ crawlId: report.crawlId, changes: changes.length }, 'schema changes of an earlier run of this crawl found: announcing them');
    }
    if (!changes.length) return;
    const outcome: CrawlChanges = { source: report.source, crawlId: report.crawlId, finishedAt: report.finishedAt, changes };

    switch (target.kind) {
      case 'queue': {
        const { jobId } = await enqueueAlert(target.queue, {
          kind: 'schema_changes',
          source: report.source,
          crawlId: report.crawlId,
          changeIds: changes.map((c) => c.id),
          observedAt: report.finishedAt,
        });
        log.info({ crawlId: report.crawlId, changes: changes.length, alertJobId: jobId }, 'schema-change alert queued');
        return;
      }
      case 'in-process': {
        const plan = await target.runner.dispatch(outcome);
        log.info({ crawlId: report.crawlId, changes: changes.length, deliveries: plan.deliveries.length, digestChannels: plan.digests.length }, 'schema-change alerts planned');
        return;
      }
      case 'log-only': {
        const plan = await planAlerts(outcome, target.plan);
        log.info(
          {
            crawlId: report.crawlId,
            changes: changes.length,
            deliveries: plan.deliveries.map((d) => ({ to: d.target.kind === 'channel' ? d.target.channel : d.target.user, kind: d.variant.kind, tables: d.tableKeys })),
            digestChannels: plan.digests.map((d) => d.channel),
            unreachableOwners: plan.unreachableOwners,
          },
          'schema-change alerts planned, not posted: no Slack token',
        );
        return;
      }
      default: {
        const never: never = target;
        return never;
      }
    }
  };
}
