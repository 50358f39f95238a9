import type { CrawlReport } from '../src/domain/crawl';
import type { CrawlOptions, SourceConfig } from '../ingest/source';
import type { PlanDeps } from '../src/alerts/plan';
import type { DeliverDeps } from '../src/alerts/deliver';
import type { ChannelRateLimiter } from '../src/ports/channel-rate-limiter';
import type { SlackPoster } from '../src/ports/slack-poster';
import type { AlertStore, SubscriptionLanguage } from '../src/ports/alert-store';
import type { Logger } from '../src/log/logger';
import type { GraphStore } from '../src/ports/graph-store';
import type { SourceLocks } from '../src/ports/source-locks';
import { createCrawlAlerter, type CrawlAlerter } from '../src/alerts/jobs/crawl-alerts';
import type { AlertWorkers } from '../src/alerts/jobs/worker';
import type { InProcessAlertRunner } from '../src/alerts/jobs/in-process';
import type { CrawlWorker } from './bullmq-runner';
import type { CrawlFailure } from './processors/crawl';
import type { AlertQueue } from '../src/alerts/jobs/queues';
import type { CrawlJobData, CrawlQueue, CrawlRetryOptions } from './queues';
import type { SyncResult } from './schedules';

/** Schema-change alerts of the worker process. */
export interface WorkerAlertOptions {
  /** The alert store the bot uses too (subscriptions, mutes, the delivery ledger). */
  store: AlertStore;
  /** The graph the crawls write: changes, owners, lineage. */
  graph: GraphStore;
  /** Posts to Slack; without it (no SLACK_BOT_TOKEN) alerts are planned and logged, never posted. */
  slack?: SlackPoster;
  /** Time zone of the digest schedule and dates (`NANSEN_TIMEZONE`). */
  timeZone: string;
  /** Cron of the daily digest (`NANSEN_DIGEST_CRON`, default `0 9 * * *`); `false` for none. */
  digestCron?: string | false;
  /** Direct messages to owners about breaking changes (default true). */
  ownerDms?: boolean;
  /** `NANSEN_LANGUAGE`: the language of alerts whose subscriptions have none (default English). */
  defaultLanguage?: SubscriptionLanguage;
  /** The language of an owner's direct message: see `DeliverDeps.recipientLanguage`. */
  recipientLanguage?: DeliverDeps['recipientLanguage'];
  /** People's own table subscriptions, kept by the Slack app. */
  extraSubscribers?: PlanDeps['extraSubscribers'];
  /** How long a stop waits for alert messages in flight (in-process mode; default 10 s). */
  drainMs?: number;
  /** Tests: the least time between two messages to one channel, a rate limiter of their own, shorter retries. */
  channelIntervalMs?: number;
  limiter?: ChannelRateLimiter;
  retry?: { attempts?: number; backoffMs?: number };
}

export interface WorkerAppOptions {
  logger: Logger;
  /** Redis for queues and schedules; without it, crawls run in this process on the same schedules. */
  redisUrl?: string;
  /** Time zone of cron schedules. */
  tz?: string;
  /** Reads the sources file as it is now. */
  loadSources(): Promise<SourceConfig[]>;
  /** The pipeline, bound to its stores. */
  crawl(source: SourceConfig, options: CrawlOptions): Promise<CrawlReport>;
  /** Writes a failed try to the crawl status store. */
  recordFailure?(failure: CrawlFailure): Promise<void>;
  /** Crawls at once in this process (default 2). */
  concurrency?: number;
  retry?: CrawlRetryOptions;
  /** How long a stop waits for crawls in progress before returning them to the queue (default 50 s). */
  shutdownGraceMs?: number;
  /** Schema-change alerts: queued after each crawl that changed a schema, planned and delivered here. Without it, none. */
  alerts?: WorkerAlertOptions;
  /** Tests: a key prefix and queue names of their own. */
  queue?: { prefix?: string; crawlQueueName?: string; alertQueueName?: string; deliveryQueueName?: string };
  /** False while the replica takes no jobs (BullMQ mode: Redis lost); a job that arrives then goes back untried. */
  takingJobs?: () => boolean;
  /** Tests: shorter BullMQ lock and stalled-check periods, a shorter busy wait. */
  timing?: { lockDurationMs?: number; stalledIntervalMs?: number; busyRetryMs?: number; sourceLockTtlMs?: number };
}

/** A running worker process: its mode, a way to re-read the sources file, and a graceful stop. */
export interface WorkerApp {
  mode: 'bullmq' | 'in-process';
  /** Re-reads the sources file and makes the schedules match it. */
  reloadSources(): Promise<SyncResult>;
  /** Queues (or, in-process, starts) a manual crawl. */
  requestCrawl(data: Omit<CrawlJobData, 'trigger'>): Promise<void>;
  crawlQueue?: CrawlQueue;
  /** The alert queue: one job per crawl with schema changes. */
  alertQueue?: AlertQueue;
  worker?: CrawlWorker;
  /** How alerts go out: BullMQ alert workers, in this process, only logged (no Slack token), or not at all. */
  alertMode: 'bullmq' | 'in-process' | 'log-only' | 'off';
  /** The alert workers (BullMQ mode with a Slack poster). */
  alertWorkers?: AlertWorkers;
  /** The in-process alert runner (in-process mode with a Slack poster). */
  alertRunner?: InProcessAlertRunner;
  /** Takes no new work, lets crawls in progress finish (returning them to the queue after the grace period), closes connections. */
  stop(): Promise<void>;
}


/** What a worker root is given rather than builds (by `src/main`): source locks and the channels' rate limiter. */
export interface WorkerParts {
  locks: SourceLocks;
  limiter: ChannelRateLimiter;
}

/** The sources file as last read: both worker roots look sources up by id in it, and re-read it on reload. */
export interface WorkerSources {
  list(): SourceConfig[];
  get(id: string): SourceConfig | undefined;
  reload(): Promise<SourceConfig[]>;
}

/** What both worker roots start from: the sources, the stop's grace period, and how alerts go out (said once). */
export async function workerBasics(options: WorkerAppOptions): Promise<{ sources: WorkerSources; graceMs: number; alertMode: WorkerApp['alertMode'] }> {
  let current = await options.loadSources();
  const sources: WorkerSources = {
    list: () => current,
    get: (id) => current.find((s) => s.id === id),
    reload: async () => (current = await options.loadSources()),
  };
  const { alerts } = options;
  const alertMode: WorkerApp['alertMode'] = !alerts ? 'off' : !alerts.slack ? 'log-only' : options.redisUrl ? 'bullmq' : 'in-process';
  if (alertMode === 'log-only') options.logger.warn('SLACK_BOT_TOKEN is not set: schema-change alerts will be planned and logged, not posted');
  return { sources, graceMs: options.shutdownGraceMs ?? 50_000, alertMode };
}

/** The crawl hook without a Slack token: alerts are planned and logged, never posted. */
export function logOnlyAlerter(alerts: WorkerAlertOptions, logger: Logger): CrawlAlerter {
  return createCrawlAlerter({ kind: 'log-only', plan: { store: alerts.store, graph: alerts.graph, ownerDms: alerts.ownerDms, extraSubscribers: alerts.extraSubscribers } }, { graph: alerts.graph, logger });
}

/** What alert planning and delivery need, in either root: the worker's alert options with its logger and rate limiter. */
export function alertDeliverySettings(alerts: WorkerAlertOptions & { slack: SlackPoster }, logger: Logger, limiter: ChannelRateLimiter) {
  const { store, graph, slack, timeZone, digestCron, ownerDms, extraSubscribers, defaultLanguage, recipientLanguage } = alerts;
  return { store, graph, slack, logger, timeZone, digestCron, ownerDms, extraSubscribers, defaultLanguage, recipientLanguage, limiter: alerts.limiter ?? limiter };
}
