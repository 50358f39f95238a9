/**
 * The worker process (`npm run worker`): crawls the sources of NANSEN_SOURCES on their schedules and announces the
 * schema changes they find to the subscribed Slack channels. With REDIS_URL, through BullMQ (job schedulers, retries,
 * alert and delivery queues, any number of worker processes); without, in this process on the same schedules.
 * SIGTERM or SIGINT stops it gracefully; SIGHUP, or an edit of the sources file, re-reads the sources.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { crawlSource } from '../../ingest/crawl';
import { loadSources } from '../../ingest/sources-file';
import { openCrawlStore } from './crawl-store';
import { WebClientPoster } from '../adapters/slack/web-client-poster';
import { loadConfig, type Config } from '../config/config';
import { openChatState } from './chat-state';
import { UserError } from '../domain/errors';
import { createLogger } from '../log/logger';
import { openAlertStore, openStores } from './stores';
import { startMeaning } from './meaning';
import { personalSubscribers } from '../alerts/personal';
import { UserLanguages } from '../slack/language';
import { startWorkerApp } from './worker-app';
import { startReadiness } from './readiness';
import type { HealthServer } from './health';
import { safeErrorMessage } from '../../workers/errors';
import { nextRun } from '../../workers/schedules';
import { handleSignals } from '../../workers/signals';
import { installProcessGuard } from './process-guard';
import { startRedisGuard, type RedisGuard } from '../adapters/redis/redis-guard';

/** `false` for `off`; else the cron, checked now so a bad one stops the start with its name. */
function digestCron(config: Config): string | false {
  const cron = config.NANSEN_DIGEST_CRON;
  if (cron === 'off') return false;
  try {
    nextRun({ pattern: cron, tz: config.NANSEN_TIMEZONE }, Date.now());
  } catch (err) {
    throw new UserError('bad_config', `Invalid configuration: NANSEN_DIGEST_CRON: ${safeErrorMessage(err)}`);
  }
  return cron;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'nansen-worker' });
  installProcessGuard(logger);
  const cron = digestCron(config);
  /** What is open, closed in reverse order on a failed start and on stop. */
  const opened: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.splice(0).reverse()) await close().catch((err: unknown) => logger.warn({ err: safeErrorMessage(err) }, 'not closed cleanly'));
  };
  const open = async <T extends { close(): Promise<void> }>(make: () => Promise<T>): Promise<T> => {
    const it = await make().catch(async (err: unknown) => {
      await closeAll();
      throw err;
    });
    opened.push(() => it.close());
    return it;
  };

  // Shared in Redis with neo4j-es and REDIS_URL (every replica and the CLI see one memory), else crawls.sqlite.
  const { store: crawlStore } = await open(() => openCrawlStore(config));
  const stores = await open(() => openStores(config, logger));
  // crawls mark changed tables pending; the catch-up embeds them, and waits out an embeddings server that is down
  const meaning = await open(async () => {
    const m = startMeaning(stores, config, logger);
    return { catchUp: m.catchUp, close: () => m.stop() };
  });
  const alerts = await open(() => openAlertStore(config, logger, safeErrorMessage));
  // People's own table subscriptions (the table card's button) live in the Slack app's user state.
  const chatState = await open(() => openChatState(config, logger));
  const slack = config.SLACK_BOT_TOKEN ? new WebClientPoster({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL }) : undefined;
  // Owners' direct messages in the owner's language: their Slack locale, else their last question's (recorded by the bot).
  const languages = new UserLanguages({ fallback: config.NANSEN_LANGUAGE, log: logger, questions: chatState.userState });

  // Set once the app is up: the guard that pauses its BullMQ workers while Redis is lost.
  const held: { guard?: RedisGuard } = {};
  const app = await startWorkerApp({
    logger,
    takingJobs: () => held.guard?.state().kind !== 'paused',
    redisUrl: config.REDIS_URL,
    tz: config.NANSEN_TIMEZONE,
    shutdownGraceMs: config.NANSEN_SHUTDOWN_GRACE_MS,
    queue: { prefix: config.NANSEN_REDIS_PREFIX },
    timing: { sourceLockTtlMs: config.NANSEN_CRAWL_LOCK_TTL_MS, lockDurationMs: config.NANSEN_JOB_LOCK_MS, stalledIntervalMs: config.NANSEN_JOB_LOCK_MS },
    loadSources: () => loadSources(config.NANSEN_SOURCES),
    crawl: async (source, options) => {
      const report = await crawlSource(source, { stores, logger, state: crawlStore, status: crawlStore }, options);
      meaning.catchUp?.nudge();
      return report;
    },
    // The pipeline records its own failures; this adds what only the worker knows (will it be retried?) and
    // failures outside the pipeline (source removed, lock lost).
    recordFailure: async (f) => {
      if (f.dryRun) return;
      await crawlStore.recordFailure(f.source, f.crawlId, f.at, { code: f.code, message: f.error, retryable: f.willRetry }, f.durationMs);
    },
    alerts: {
      store: alerts.store,
      graph: stores.graph,
      slack,
      timeZone: config.NANSEN_TIMEZONE,
      defaultLanguage: config.NANSEN_LANGUAGE,
      ...(slack ? { recipientLanguage: (user: string) => languages.of(slack.client, user) } : {}),
      digestCron: cron,
      extraSubscribers: personalSubscribers(chatState.userState),
    },
  }).catch(async (err: unknown) => {
    await closeAll();
    throw err;
  });

  // A replica that loses Redis pauses its BullMQ workers until Redis answers again; /readyz says so meanwhile.
  const bullmqWorkers = [app.worker, app.alertWorkers?.planWorker, app.alertWorkers?.deliveryWorker].filter((w) => w !== undefined);
  const guard = config.REDIS_URL && app.mode === 'bullmq' ? startRedisGuard({ redisUrl: config.REDIS_URL, workers: bullmqWorkers, logger }) : undefined;
  held.guard = guard;

  // Ready when the graph, the index and (with BullMQ) Redis answer: a replica that loses Redis is taken out of service.
  const noHealth: Pick<HealthServer, 'markStopping' | 'close'> = { markStopping: () => undefined, close: async () => undefined };
  const health = await open(async (): Promise<Pick<HealthServer, 'markStopping' | 'close'>> => (await startReadiness(config, logger, { graph: stores.graph, search: stores.search, redis: true, more: guard ? [{ name: 'jobs', check: () => guard.check() }] : [] })) ?? noHealth);

  const reload = async (): Promise<void> => {
    const result = await app.reloadSources();
    logger.info({ upserted: result.upserted, removed: result.removed, invalid: result.invalid.length }, 'sources reloaded');
  };
  watchFile(config.NANSEN_SOURCES, { interval: 5000 }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs) reload().catch((err: unknown) => logger.error({ err: safeErrorMessage(err) }, 'sources not reloaded'));
  });

  handleSignals(
    {
      stop: async () => {
        health.markStopping();
        unwatchFile(config.NANSEN_SOURCES);
        // before the workers close, so it cannot resume one that is closing
        await guard?.close();
        await app.stop();
        await closeAll();
      },
      reload,
    },
    logger,
  );
}

main().catch((err: unknown) => {
  // A bad config or sources file is a UserError: its message says what to fix.
  process.stderr.write(`nansen worker: ${safeErrorMessage(err)}\n`);
  process.exit(1);
});
