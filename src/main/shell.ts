/**
 * `npm start`: Nansen as a chat in the terminal, on the embedded store (or the configured backend), with no Slack
 * needed. On first run it seeds the store from `data/demo-catalog.json`, its load times moved to the present so
 * "last updated" and "late" read as they would on a live catalog. Questions, follow-ups and `/data ...` work as
 * in Slack (the same core); piped input is read line by line and the program exits at its end.
 * With Slack settings in the environment it starts the bot instead.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { answer } from '../answering/answer';
import type { Catalog } from '../catalog/catalog-file';
import { importCatalog, readCatalogFile } from '../catalog/import';
import type { Stores } from '../catalog/publish';
import { loadConfig } from '../config/config';
import { converse } from '../core/conversation';
import { recordIfMissed } from '../core/misses';
import { parseDataCommand, runDataCommand } from '../core/data-command';
import type { CoreDeps } from '../core/deps';
import { editPolicyFromConfig, vocabularyFromConfig } from './settings';
import { openMissLog } from './shared-stores';
import { explainFailure } from '../core/errors';
import { MemoryEventDeduper, MemoryThreadContextStore, MemoryUserStateStore } from '../adapters/memory/memory-chat-state';
import { UserError } from '../domain/errors';
import { isSubscriptionCommand } from '../alerts/subscriptions';
import { createLogger, type Logger } from '../log/logger';
import type { Block } from '../render/blocks-common';
import { dataResultBlocks } from '../render/blocks-data';
import { blocksToText } from '../render/blocks-text';
import { renderTerminal } from '../render/terminal';
import { runBot, slackConfigured } from './bot';
import { openStores } from './stores';
import { startMeaning } from './meaning';
import { describeStartupFailure } from './startup-failure';
import { openLineageRunStore } from './openlineage';

/** The demo catalog shipped in `data/`, found by walking up from this file (run from `src/main` or `dist/src/main`). */
export const DEMO_CATALOG = findUp(join('data', 'demo-catalog.json')) ?? join(__dirname, '../../data/demo-catalog.json');

function findUp(relative: string): string | undefined {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
  }
  return undefined;
}

const HOUR = 3_600_000;

/**
 * Moves a catalog's load times forward by whole hours so its present moment (`now`) becomes the real present:
 * cadences and typical times stay as they were.
 */
export function shiftToPresent(catalog: Catalog, present: Date): Catalog {
  if (!catalog.now) return catalog;
  const shift = Math.floor((present.getTime() - Date.parse(catalog.now)) / HOUR) * HOUR;
  const move = (t: string): string => new Date(Date.parse(t) + shift).toISOString().replace('.000Z', 'Z');
  return { ...catalog, now: move(catalog.now), tables: catalog.tables.map((t) => ({ ...t, ...(t.updates ? { updates: t.updates.map(move) } : {}) })) };
}

/** Seeds an empty store with the demo catalog; returns how many tables it imported (0 when not empty). */
export async function seedDemoCatalog(stores: Stores, present: Date, file = DEMO_CATALOG): Promise<number> {
  if ((await stores.graph.stats()).tables > 0) return 0;
  const catalog = shiftToPresent(await readCatalogFile(file), present);
  const r = await importCatalog(catalog, stores);
  return r.tables;
}

/** Slack ids in rendered blocks, resolved to names for the terminal. */
async function mentionNames(blocks: Block[], deps: Pick<CoreDeps, 'graph'>): Promise<Map<string, string>> {
  const ids = new Set([...JSON.stringify(blocks).matchAll(/<@([A-Z0-9]+)/g)].map((m) => m[1]!));
  const names = new Map<string, string>();
  await Promise.all(
    [...ids].map(async (id) => {
      const u = await deps.graph.getUserBySlackId(id);
      if (u) names.set(id, u.name);
    }),
  );
  return names;
}

export interface ShellSession {
  /** Handles one line; returns what to print (empty for nothing). */
  handle(line: string): Promise<string>;
}

/** A terminal conversation: `/data ...` commands and questions with follow-ups, one conversation until `/new`. */
export function shellSession(deps: CoreDeps, options: { color?: boolean; user?: string } = {}): ShellSession {
  let conversation = 1;
  const color = options.color ?? false;
  return {
    async handle(raw) {
      const line = raw.trim();
      if (!line) return '';
      try {
        if (/^\/new$/i.test(line)) {
          conversation++;
          return '(new conversation)';
        }
        const command = /^\/data(?:\s+([\s\S]*))?$/i.exec(line);
        if (command) {
          if (isSubscriptionCommand(command[1] ?? '')) return SLACK_ONLY;
          const result = await runDataCommand(parseDataCommand(command[1] ?? ''), deps);
          const rendered = dataResultBlocks(result, { now: deps.now(), timeZone: deps.timeZone, shareable: false });
          const names = await mentionNames(rendered.blocks, deps);
          return blocksToText(rendered.blocks, { color, mentionName: (id) => names.get(id) });
        }
        if (line.startsWith('/')) return `I know /data, /new and /exit. Try /data help.`;
        const a = await converse({ text: line, threadKey: `shell:${options.user ?? 'local'}:${conversation}` }, deps);
        await recordIfMissed({ text: line, ...(options.user ? { asker: options.user } : {}), via: 'terminal' }, a, deps);
        return renderTerminal(a, { color });
      } catch (err) {
        return explainFailure(err, deps.log, { listener: 'shell' }).text;
      }
    },
  };
}

/** Schema-change alerts are delivered to Slack channels: the terminal has none. */
export const SLACK_ONLY =
  '`/data subscribe`, `unsubscribe`, `subscriptions`, `mute` and `unmute` are Slack-only: alerts are posted to a Slack channel. Run them in Slack (`/data subscribe game_log.*` in the channel to alert); here, try `/data <words>`, `/data <table>` or `/data history <table>`.';

/** What `npm start -- --help` prints. */
export const USAGE = `Usage: npm start [-- --help]

Nansen in the terminal: ask about data and follow up, on the embedded store (seeded with the demo catalog on first
run) or the configured backend. With SLACK_BOT_TOKEN and SLACK_APP_TOKEN (or SLACK_SIGNING_SECRET) set, it starts
the Slack app instead.

In the chat:
  <question>              which table shows latency by country? / when was game_log.sessions last updated?
  <follow-up>             is it hourly? / who owns it?
  /data <words>           search tables and dashboards
  /data <table>           a table card
  /data history <table>   a table's edits
  /data tag <tag>         tables with a tag
  /data help              all of /data
  /new                    start a new conversation
  /exit                   quit (or end of piped input)

Input may be piped, one question a line. Settings are environment variables (README, "Settings").
Other programs: npm run nansen -- --help (imports, crawls, misses), npm run bot, npm run worker.
`;

/** Whether the command line asks for usage. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h' || a === 'help');
}

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(USAGE);
    return;
  }
  const unknown = process.argv.slice(2).filter((a) => a.startsWith('-'));
  if (unknown.length) throw new UserError('usage', `unknown option ${unknown[0]}: see npm start -- --help`);
  const config = loadConfig();
  if (slackConfigured(config)) {
    const log = createLogger({ level: config.LOG_LEVEL, name: 'nansen-bot' });
    process.stderr.write('Slack settings found: starting the Slack app (the terminal chat runs without them).\n');
    const bot = await runBot(config, log);
    const stop = (): void => void bot.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  const interactive = Boolean(process.stdin.isTTY);
  const log: Logger = createLogger({ level: process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', name: 'nansen-shell' });
  const stores = await openStores(config, log);
  const runs = await openLineageRunStore(config);
  const misses = await openMissLog(config).catch(async (e: unknown) => {
    await Promise.allSettled([runs.close(), stores.close()]);
    throw e;
  });
  const meaning = startMeaning(stores, config, log);
  try {
    const seeded = await seedDemoCatalog(stores, new Date());
    if (seeded) process.stderr.write(`Seeded the ${stores.backend} store in ${config.NANSEN_DATA_DIR} with the demo catalog (${seeded} tables).\n`);
    const deps: CoreDeps = {
      graph: stores.graph,
      search: stores.search,
      answer,
      runs,
      threads: new MemoryThreadContextStore(),
      dedupe: new MemoryEventDeduper(),
      userState: new MemoryUserStateStore(),
      policy: editPolicyFromConfig(config),
      vocabulary: vocabularyFromConfig(config),
      now: () => new Date(),
      timeZone: config.NANSEN_TIMEZONE,
      log,
      misses,
      ...(meaning.meaning ? { meaning: meaning.meaning } : {}),
    };
    if (seeded) meaning.catchUp?.nudge();
    const session = shellSession(deps, { color: interactive && Boolean(process.stdout.isTTY) });
    if (interactive) process.stdout.write('Nansen: ask about data ("which table shows latency by country?"), follow up ("is it hourly?"), or /data help. /new starts over, /exit quits.\n');
    const rl = createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout, prompt: '> ' } : {}), terminal: interactive });
    if (interactive) rl.prompt();
    for await (const line of rl) {
      if (/^\/(exit|quit)$/i.test(line.trim())) break;
      if (!interactive && line.trim()) process.stdout.write(`> ${line.trim()}\n`);
      const out = await session.handle(line);
      if (out) process.stdout.write(`${out}\n\n`);
      if (interactive) rl.prompt();
    }
    rl.close();
  } finally {
    await meaning.stop();
    await misses.close();
    await Promise.allSettled([runs.close(), stores.close()]);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`nansen: ${describeStartupFailure(e)}\n`);
    process.exit(1);
  });
}
