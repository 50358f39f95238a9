import { createCrawlAlerter } from '../src/alerts/jobs/crawl-alerts';
import { InProcessAlertRunner } from '../src/alerts/jobs/in-process';
import { InProcessCrawlRunner } from './in-process-runner';
import { createCrawlProcessor } from './processors/crawl';
import { alertDeliverySettings, logOnlyAlerter, workerBasics, type WorkerApp, type WorkerAppOptions, type WorkerParts } from './worker-app';

/**
 * The worker without Redis: crawls run in this process on their schedules, and alerts are planned and delivered
 * here too (`InProcessAlertRunner`). The same processor runs the crawls as in the BullMQ worker.
 */
export async function startInProcessWorkerApp(options: WorkerAppOptions, parts: WorkerParts): Promise<WorkerApp> {
  const { logger, alerts } = options;
  const { sources, graceMs, alertMode } = await workerBasics(options);
  const getSource = sources.get;

  const alertRunner = alerts?.slack
    ? new InProcessAlertRunner({
        ...alertDeliverySettings({ ...alerts, slack: alerts.slack }, logger, parts.limiter),
        attempts: alerts.retry?.attempts,
        backoffMs: alerts.retry?.backoffMs,
      })
    : undefined;
  const afterCrawl = alertRunner && alerts ? createCrawlAlerter({ kind: 'in-process', runner: alertRunner }, { graph: alerts.graph, logger, ledger: alerts.store }) : alerts && logOnlyAlerter(alerts, logger);
  const runner = new InProcessCrawlRunner({
    processor: createCrawlProcessor({ crawl: options.crawl, getSource, locks: parts.locks, recordFailure: options.recordFailure, logger, afterCrawl }),
    logger,
    retry: options.retry,
    tz: options.tz,
    busyRetryMs: options.timing?.busyRetryMs,
  });
  const first = runner.setSources(sources.list());
  logger.info({ mode: 'in-process', alerts: alertMode, scheduled: runner.schedules().length, invalid: first.invalid.length }, 'crawl worker started');
  return {
    mode: 'in-process',
    alertMode,
    ...(alertRunner ? { alertRunner } : {}),
    async reloadSources() {
      return runner.setSources(await sources.reload());
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
