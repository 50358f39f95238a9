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
import { parseDataCommand, runDataCommand } from '../core/data-command';
import type { CoreDeps } from '../core/deps';
import { editPolicyFromConfig, vocabularyFromConfig } from './settings';
import { explainFailure } from '../core/errors';
import { MemoryEventDeduper, MemoryThreadContextStore, MemoryUserStateStore } from '../adapters/memory/memory-chat-state';
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
          const result = await runDataCommand(parseDataCommand(command[1] ?? ''), deps);
          const rendered = dataResultBlocks(result, { now: deps.now(), timeZone: deps.timeZone, shareable: false });
          const names = await mentionNames(rendered.blocks, deps);
          return blocksToText(rendered.blocks, { color, mentionName: (id) => names.get(id) });
        }
        if (line.startsWith('/')) return `I know /data, /new and /exit. Try /data help.`;
        const a = await converse({ text: line, threadKey: `shell:${options.user ?? 'local'}:${conversation}` }, deps);
        return renderTerminal(a, { color });
      } catch (err) {
        return explainFailure(err, deps.log, { listener: 'shell' }).text;
      }
    },
  };
}

async function main(): Promise<void> {
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
    await Promise.allSettled([runs.close(), stores.close()]);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`nansen: ${describeStartupFailure(e)}\n`);
    process.exit(1);
  });
}
