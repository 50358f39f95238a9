import { DelayedError, UnrecoverableError } from 'bullmq';
import { deliverAlert, PermanentDeliveryError, type DeliverDeps, type DeliveryOutcome } from '../deliver';
import { runDailyDigest } from '../digest';
import { dispatchAlerts, loadChangesByIds, type DeliverySink, type PlanDeps } from '../plan';
import type { AlertStore } from '../../ports/alert-store';
import type { Logger } from '../../log/logger';
import type { GraphStore } from '../../ports/graph-store';
import type { AlertJobData } from './queues';
import type { AlertDeliveryJobData } from './queues';

/** What the plan processor returns (kept small: BullMQ stores it with the job). */
export interface AlertPlanResult {
  crawlId: string;
  changes: number;
  deliveries: number;
  digestChannels: number;
  unreachableOwners: number;
}

/** A change set's changes are recorded by the crawl before its alert job is queued; not finding them is retried. */
export class ChangesNotFoundError extends Error {
  readonly transient = true;
  constructor(crawlId: string, missing: number) {
    super(`${missing} schema changes of crawl ${crawlId} are not in the graph yet`);
    this.name = 'ChangesNotFoundError';
  }
}

/**
 * The processor of the alert queue (`ALERT_QUEUE`, one job per crawl): reads the crawl's changes from the graph,
 * plans who hears about them and hands one delivery per recipient to the sink (the delivery queue). A re-run
 * (retry, stalled job) plans the same deliveries under the same ids, which the sink adds once.
 */
export function createAlertPlanProcessor(deps: { store: AlertStore; graph: GraphStore; sink: DeliverySink; logger: Logger; ownerDms?: boolean; extraSubscribers?: PlanDeps['extraSubscribers'] }) {
  return async function processAlertPlan(job: { id?: string; data: AlertJobData }): Promise<AlertPlanResult> {
    const { crawlId, changeIds, observedAt } = job.data;
    const changes = await loadChangesByIds(deps.graph, changeIds);
    if (changes.length < changeIds.length) {
      if (!changes.length) throw new ChangesNotFoundError(crawlId, changeIds.length);
      deps.logger.warn({ crawlId, wanted: changeIds.length, found: changes.length }, 'some schema changes of a crawl were not found');
    }
    const source = changes[0]?.source ?? job.data.source;
    const plan = await dispatchAlerts({ source, crawlId, finishedAt: observedAt, changes }, { store: deps.store, graph: deps.graph, sink: deps.sink, ownerDms: deps.ownerDms, extraSubscribers: deps.extraSubscribers });
    const result: AlertPlanResult = { crawlId, changes: changes.length, deliveries: plan.deliveries.length, digestChannels: plan.digests.length, unreachableOwners: plan.unreachableOwners.length };
    deps.logger.info({ ...result, source }, 'alerts planned');
    return result;
  };
}

/** What a delivery-queue job returns. */
export type DeliveryJobResult = { status: 'sent' | 'already_sent' | 'skipped'; ts?: string; latencyMs?: number; reason?: string } | { status: 'digest'; deliveries: number };

export interface DeliveryProcessorDeps extends DeliverDeps {
  sink: DeliverySink;
  /** Time zone of the digest's date (`NANSEN_TIMEZONE`). */
  timeZone: string;
}

/** A job as the delivery processor sees it: a BullMQ `Job` is one. */
export interface DeliveryJob {
  id?: string;
  data: AlertDeliveryJobData;
  attemptsMade: number;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}

/**
 * The processor of the delivery queue. A message is sent through `deliverAlert` (idempotent per delivery key);
 * when the channel's slot is taken or Slack answers 429, the job is moved to delayed until the slot is free or
 * `Retry-After` has passed (`DelayedError`: not a failed try). Permanent Slack failures fail the job at once
 * (`UnrecoverableError`); transient ones are thrown and retried with backoff. The daily digest tick seals every
 * digest channel's buffer and adds its deliveries.
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  return async function processDelivery(job: DeliveryJob, token?: string): Promise<DeliveryJobResult> {
    if (job.data.kind === 'digest') {
      const deliveries = await runDailyDigest({ store: deps.store, sink: deps.sink, timeZone: deps.timeZone });
      deps.logger.info({ deliveries: deliveries.length }, 'daily digests queued');
      return { status: 'digest', deliveries: deliveries.length };
    }
    const { delivery } = job.data;
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliverAlert(delivery, deps);
    } catch (err) {
      const log = deps.logger.child({ delivery: delivery.key, jobId: job.id, attempt: job.attemptsMade + 1 });
      if (err instanceof PermanentDeliveryError) {
        log.error({ code: err.code }, 'alert delivery failed permanently');
        throw new UnrecoverableError(err.message);
      }
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'alert delivery failed, will retry');
      throw err;
    }
    switch (outcome.status) {
      case 'deferred':
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      case 'sent':
        deps.logger.info({ delivery: delivery.key, ts: outcome.receipt.ts, latencyMs: outcome.latencyMs }, 'alert sent');
        return { status: 'sent', ts: outcome.receipt.ts, latencyMs: outcome.latencyMs };
      case 'already_sent':
        deps.logger.info({ delivery: delivery.key, reconciled: outcome.reconciled }, 'alert already sent');
        return { status: 'already_sent', ts: outcome.receipt.ts };
      case 'skipped':
        return { status: 'skipped', reason: outcome.reason };
      default: {
        const never: never = outcome;
        return never;
      }
    }
  };
}
