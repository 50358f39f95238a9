import { createCrawlAlerter } from '../src/alerts/jobs/crawl-alerts';
import { InProcessAlertRunner } from '../src/alerts/jobs/in-process';
import type { ChannelRateLimiter } from '../src/ports/channel-rate-limiter';
import type { SourceLocks } from '../src/ports/source-locks';
import type { SourceConfig } from '../ingest/source';
import { InProcessCrawlRunner } from './in-process-runner';
import { createCrawlProcessor } from './processors/crawl';
import { alertModeOf, logOnlyAlerter, type WorkerApp, type WorkerAppOptions } from './worker-app';

/** What the in-process worker is given rather than builds: its source locks and the channels' rate limiter. */
export interface InProcessWorkerParts {
  locks: SourceLocks;
  limiter: ChannelRateLimiter;
}

/**
 * The worker without Redis: crawls run in this process on their schedules, and alerts are planned and delivered
 * here too (`InProcessAlertRunner`). The same processor runs the crawls as in the BullMQ worker.
 */
export async function startInProcessWorkerApp(options: WorkerAppOptions, parts: InProcessWorkerParts): Promise<WorkerApp> {
  const { logger, alerts } = options;
  let sources = await options.loadSources();
  const getSource = (id: string): SourceConfig | undefined => sources.find((s) => s.id === id);
  const graceMs = options.shutdownGraceMs ?? 50_000;
  const alertMode = alertModeOf(options);
  if (alertMode === 'log-only') logger.warn('SLACK_BOT_TOKEN is not set: schema-change alerts will be planned and logged, not posted');

  const alertRunner = alerts?.slack
    ? new InProcessAlertRunner({
        store: alerts.store,
        graph: alerts.graph,
        slack: alerts.slack,
        logger,
        timeZone: alerts.timeZone,
        digestCron: alerts.digestCron,
        ownerDms: alerts.ownerDms,
        extraSubscribers: alerts.extraSubscribers,
        limiter: alerts.limiter ?? parts.limiter,
        attempts: alerts.retry?.attempts,
        backoffMs: alerts.retry?.backoffMs,
      })
    : undefined;
  const afterCrawl = alertRunner && alerts ? createCrawlAlerter({ kind: 'in-process', runner: alertRunner }, { graph: alerts.graph, logger }) : alerts && logOnlyAlerter(alerts, logger);
  const runner = new InProcessCrawlRunner({
    processor: createCrawlProcessor({ crawl: options.crawl, getSource, locks: parts.locks, recordFailure: options.recordFailure, logger, afterCrawl }),
    logger,
    retry: options.retry,
    tz: options.tz,
    busyRetryMs: options.timing?.busyRetryMs,
  });
  const first = runner.setSources(sources);
  logger.info({ mode: 'in-process', alerts: alertMode, scheduled: runner.schedules().length, invalid: first.invalid.length }, 'crawl worker started');
  return {
    mode: 'in-process',
    alertMode,
    ...(alertRunner ? { alertRunner } : {}),
    async reloadSources() {
      sources = await options.loadSources();
      return runner.setSources(sources);
    },
    async requestCrawl(data) {
      void runner.crawlNow(data).catch(() => undefined);
    },
    async stop() {
      await runner.close({ abortAfterMs: graceMs });
      if (!alertRunner) return;
      // Messages waiting for their channel's slot are seconds away; what is still pending after this is dropped.
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([alertRunner.idle().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), alerts?.drainMs ?? 10_000)))]);
      clearTimeout(timer);
      if (!drained) logger.warn('alert messages still pending at shutdown: dropped');
      await alertRunner.close();
    },
  };
}
