/**
 * The Slack bot's composition root (`npm run bot`): configuration, logger, stores, conversation state, the Bolt app.
 * Socket Mode with `SLACK_APP_TOKEN`, HTTP mode with `SLACK_SIGNING_SECRET`.
 */
import { answer } from '../answering/answer';
import { tableDirectory } from '../answering/directory';
import { loadConfig, type Config } from '../config/config';
import { adminsFromConfig, editPolicyFromConfig, vocabularyFromConfig } from './settings';
import { openMissLog } from './shared-stores';
import { catalogOverview } from '../core/overview';
import { openChatState } from './chat-state';
import { UserError } from '../domain/errors';
import { createLogger, type Logger } from '../log/logger';
import { renderSlackAnswer } from '../render/answer-actions';
import { createSlackApp } from '../slack/app';
import type { SlackDeps } from '../slack/deps';
import { installProcessGuard } from './process-guard';
import { openAlertStore, openStores } from './stores';
import { startMeaning } from './meaning';
import { describeStartupFailure } from './startup-failure';
import { openLineageRunStore } from './openlineage';
import { startReadiness } from './readiness';
import type { HealthServer } from './health';
import { answerThreads, pooledDataCommand, pooledMissLog, startAnswerPool, type AnswerPool } from './answer-pool';

export interface RunningBot {
  /** The health endpoints, when NANSEN_HEALTH_PORT is set. */
  health?: HealthServer;
  stop(): Promise<void>;
}

/** Whether the configuration has what the Slack app needs. */
export function slackConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET));
}

/** Starts the bot; resolves once it is connected (Socket Mode) or listening (HTTP mode). */
export async function runBot(config: Config, log: Logger): Promise<RunningBot> {
  if (!config.SLACK_BOT_TOKEN) throw new UserError('bad_config', 'SLACK_BOT_TOKEN is not set. For a terminal chat without Slack, run `npm start`.');
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) throw new UserError('bad_config', 'Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode).');
  const stores = await openStores(config, log);
  let state: Awaited<ReturnType<typeof openChatState>>;
  try {
    state = await openChatState(config, log);
  } catch (e) {
    await stores.close();
    throw e;
  }
  // The same alert store as the worker's (src/main/worker.ts): subscriptions made here are the ones it delivers to.
  let alerts: Awaited<ReturnType<typeof openAlertStore>>;
  try {
    alerts = await openAlertStore(config, log);
  } catch (e) {
    await Promise.allSettled([state.close(), stores.close()]);
    throw e;
  }
  // The OpenLineage receiver's run store (src/main/openlineage.ts): answers say when a table's last run failed.
  const runs = await openLineageRunStore(config).catch(async (e: unknown) => {
    await Promise.allSettled([alerts.close(), state.close(), stores.close()]);
    throw e;
  });
  // Missed questions: in Redis with the shared state (src/main/shared-stores.ts), so every bot replica and the CLI read one log.
  const misses = await openMissLog(config).catch(async (e: unknown) => {
    await Promise.allSettled([runs.close(), alerts.close(), state.close(), stores.close()]);
    throw e;
  });
  const meaning = startMeaning(stores, config, log);
  const { tables } = await stores.graph.stats();
  if (!tables) log.warn({ backend: stores.backend }, 'the catalog is empty; import one with `npm run nansen -- import <file>`');
  // the first questions would otherwise all wait for (and then burst after) the table-name index
  await tableDirectory(stores.graph);
  // and the first tag page and Home tab for the catalog overview, which reads every table: computed here, before
  // the first request, instead of beside the first acks (it is refreshed in the background after its TTL)
  await catalogOverview(stores.graph).catch((err: unknown) => log.warn({ err }, 'could not compute the catalog overview'));
  // answering in threads of its own, so acks never wait behind it (NANSEN_ANSWER_THREADS=0: on this thread)
  const threads = answerThreads(config);
  let pool: AnswerPool | undefined;
  try {
    pool = threads > 0 ? startAnswerPool(config, threads) : undefined;
    await pool?.warm();
  } catch (e) {
    await Promise.allSettled([pool?.close(), meaning.stop(), runs.close(), alerts.close(), state.close(), stores.close(), misses.close()]);
    throw e;
  }
  const closeAll = () => Promise.allSettled([pool?.close(), meaning.stop(), runs.close(), alerts.close(), state.close(), stores.close(), misses.close()]);
  const deps: SlackDeps = {
    graph: stores.graph,
    search: stores.search,
    answer: pool?.answer ?? answer,
    runs,
    threads: state.threads,
    dedupe: state.dedupe,
    userState: state.userState,
    policy: editPolicyFromConfig(config),
    vocabulary: vocabularyFromConfig(config),
    now: () => new Date(),
    timeZone: config.NANSEN_TIMEZONE,
    defaultLang: config.NANSEN_LANGUAGE,
    log,
    renderAnswer: (a, place) => renderSlackAnswer(a, place),
    alerts: alerts.store,
    misses,
    recordAskers: config.NANSEN_RECORD_ASKERS === '1',
    unfurlDomains: config.NANSEN_UNFURL_DOMAINS,
    lineagePictures: config.NANSEN_LINEAGE_PICTURES === '1',
    admins: adminsFromConfig(config),
    ...(meaning.meaning ? { meaning: meaning.meaning } : {}),
  };
  if (pool) {
    deps.dataCommand = pooledDataCommand(pool, deps);
    deps.drawLineage = (tableKey, lang) => pool.drawLineage(tableKey, lang, deps.now());
    deps.misses = pooledMissLog(pool, misses);
  }
  const slack = createSlackApp(
    {
      botToken: config.SLACK_BOT_TOKEN,
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      port: config.PORT,
      ...(config.HOST ? { host: config.HOST } : {}),
    },
    deps,
  );
  try {
    await slack.start();
  } catch (e) {
    await closeAll();
    throw e;
  }
  let health: HealthServer | undefined;
  try {
    health = await startReadiness(config, log, { graph: stores.graph, search: stores.search, redis: true });
  } catch (e) {
    await slack.stop().catch(() => undefined);
    await closeAll();
    throw e;
  }
  log.info({ mode: slack.mode, backend: stores.backend, state: state.kind, policy: config.NANSEN_EDIT_POLICY, tables, answerThreads: pool?.threads ?? 0 }, 'nansen bot started');
  return {
    ...(health ? { health } : {}),
    async stop() {
      health?.markStopping();
      await slack.stop().catch((err: unknown) => log.warn({ err }, 'slack app did not stop cleanly'));
      await meaning.stop();
      await Promise.allSettled([pool?.close(), runs.close(), alerts.close(), state.close(), stores.close(), misses.close(), ...(health ? [health.close()] : [])]);
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'nansen-bot' });
  installProcessGuard(log);
  const bot = await runBot(config, log);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    void bot.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`nansen bot: ${describeStartupFailure(e)}\n`);
    process.exit(1);
  });
}
