/**
 * The Bolt app: Socket Mode when an app-level token is configured, HTTP mode (signed requests) otherwise; pino
 * as Bolt's logger; listeners grouped by kind, each acknowledging at once and doing the work after.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Receiver } from '@slack/bolt';
import { explainFailure } from '../core/errors';
import { UserError } from '../domain/errors';
import { boltLogger } from './bolt-logger';
import { guardReceiver } from './receiver-guard';
import * as actions from './actions';
import * as commands from './commands';
import type { SlackDeps } from './deps';
import { UserLanguages } from './language';
import * as events from './events';
import * as shortcuts from './shortcuts';
import * as views from './views';

export interface SlackSettings {
  /** The bot token (`xoxb-…`). */
  botToken: string;
  /** An app-level token (`xapp-…`): Socket Mode. */
  appToken?: string;
  /** The signing secret: HTTP mode. */
  signingSecret?: string;
  /** The Web API base URL (tests and the benchmark point it at the fake on loopback). */
  apiUrl?: string;
  /** HTTP mode's port (0: any free one). */
  port?: number;
  /** HTTP mode's address (default all interfaces; tests use 127.0.0.1). */
  host?: string;
}

export interface SlackApp {
  app: App;
  mode: 'socket' | 'http';
  /** Starts receiving; in HTTP mode resolves with the port listened on. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'missing_scope']);

/** A Slack platform error that means the app-level token is wrong, as a `UserError` that says so. */
function refusedToken(err: unknown): UserError | undefined {
  const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (typeof code !== 'string' || !TOKEN_ERRORS.has(code)) return undefined;
  return new UserError('bad_config', `Slack refused SLACK_APP_TOKEN (${code}). Use the app-level token (xapp-…) with the connections:write scope from the app's Basic Information page.`);
}

/** Builds the app and registers every listener; `start()` connects (Socket Mode) or listens (HTTP). */
export function createSlackApp(settings: SlackSettings, deps: SlackDeps): SlackApp {
  const logger = boltLogger(deps.log);
  const clientOptions = { ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}), logger, logLevel: logger.getLevel() };
  const mode = settings.appToken ? 'socket' : 'http';
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | undefined;
  if (settings.appToken) {
    receiver = new SocketModeReceiver({ appToken: settings.appToken, logger, installerOptions: { clientOptions } });
  } else {
    if (!settings.signingSecret) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');
    httpReceiver = new HTTPReceiver({ signingSecret: settings.signingSecret, logger, endpoints: '/slack/events', processBeforeResponse: false });
    guardReceiver(httpReceiver, deps.log);
    receiver = httpReceiver;
  }
  const app = new App({ token: settings.botToken, receiver, logger, logLevel: logger.getLevel() as LogLevel, clientOptions, ignoreSelf: true, extendedErrorHandler: true });
  const languages = deps.languages ?? new UserLanguages({ fallback: deps.defaultLang ?? 'en', log: deps.log, questions: deps.userState });
  const slackDeps: SlackDeps = { ...deps, languages, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) };
  commands.register(app, slackDeps);
  events.register(app, slackDeps);
  actions.register(app, slackDeps);
  views.register(app, slackDeps);
  shortcuts.register(app, slackDeps);
  app.error(async (args: { error: Error; body?: unknown }) => {
    const b = args.body as { type?: string; event?: { type?: string } } | undefined;
    explainFailure(args.error, deps.log, { listener: 'bolt', payloadType: b?.type, eventType: b?.event?.type });
  });
  let server: Server | undefined;
  return {
    app,
    mode,
    async start() {
      if (mode === 'socket') {
        try {
          await app.start();
        } catch (err) {
          await app.stop().catch(() => undefined);
          throw refusedToken(err) ?? err;
        }
        deps.log.info({ mode }, 'slack app connected');
        return {};
      }
      server = (await httpReceiver!.start({ port: settings.port ?? 3000, host: settings.host })) as Server;
      const port = (server.address() as AddressInfo).port;
      deps.log.info({ mode, port }, 'slack app listening');
      return { port };
    },
    async stop() {
      await app.stop();
    },
  };
}
