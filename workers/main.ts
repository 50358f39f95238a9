/**
 * The worker process (`npm run worker`): crawls the sources of NANSEN_SOURCES on their schedules. With REDIS_URL,
 * through BullMQ (job schedulers, retries, any number of worker processes); without, in this process on the same
 * schedules. SIGTERM or SIGINT stops it gracefully; SIGHUP, or an edit of the sources file, re-reads the sources.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import { crawlSource } from '../ingest/crawl';
import { loadSources } from '../ingest/sources-file';
import { SqliteCrawlStore } from '../ingest/sqlite-crawl-store';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/log/logger';
import { openStores } from '../src/main/stores';
import { startWorkerApp } from './app';
import { safeErrorMessage } from './errors';
import { handleSignals } from './signals';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'nansen-worker' });
  const crawlStore = new SqliteCrawlStore({ path: join(config.NANSEN_DATA_DIR, 'crawls.sqlite') });
  await crawlStore.init();
  const stores = await openStores(config, logger).catch(async (err: unknown) => {
    await crawlStore.close();
    throw err;
  });

  const app = await startWorkerApp({
    logger,
    redisUrl: config.REDIS_URL,
    tz: config.NANSEN_TIMEZONE,
    loadSources: () => loadSources(config.NANSEN_SOURCES),
    crawl: (source, options) => crawlSource(source, { stores, logger, state: crawlStore, status: crawlStore }, options),
    // The pipeline records its own failures; this adds what only the worker knows (will it be retried?) and
    // failures outside the pipeline (source removed, lock lost).
    recordFailure: async (f) => {
      if (f.dryRun) return;
      await crawlStore.recordFailure(f.source, f.crawlId, f.at, { code: f.code, message: f.error, retryable: f.willRetry }, f.durationMs);
    },
  }).catch(async (err: unknown) => {
    await stores.close();
    await crawlStore.close();
    throw err;
  });

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
        unwatchFile(config.NANSEN_SOURCES);
        await app.stop();
        await stores.close();
        await crawlStore.close();
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
