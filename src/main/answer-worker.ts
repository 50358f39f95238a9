/**
 * The body of one answering thread (`./answer-pool.ts` starts them): it opens its own read view of the stores the
 * configuration names (SQLite files take several connections; Neo4j and Elasticsearch are servers anyway), and
 * answers questions and `/data` requests there, off the thread that acknowledges Slack. Its caches are its own:
 * the search index and vectors catch up with the bot's writes at each read (see the embedded adapters), the table
 * and people directories are re-read after their TTL, as on the bot's thread.
 */
import { LocalizedUserError } from '../text/localized-error';
import { LANGS } from '../text/catalogue';
import { workerData } from 'node:worker_threads';
import { answer } from '../answering/answer';
import { tableDirectory } from '../answering/directory';
import type { Answer, AnsweringDeps, Question } from '../answering/types';
import type { Config } from '../config/config';
import { runDataCommand, type DataRequest, type DataResult } from '../core/data-command';
import { UserError } from '../domain/errors';
import { createLogger } from '../log/logger';
import { drawLineage, type LineageDrawing } from '../render/lineage-drawing';
import type { Lang } from '../text/catalogue';
import { startMeaning } from './meaning';
import { vocabularyFromConfig } from './settings';
import type { Miss, MissLog } from '../ports/miss-log';
import { openLineageRunStore, openMissLog } from './shared-stores';
import { openStores } from './stores';

/** What the pool gives each thread when it starts. */
export interface AnswerWorkerSetup {
  config: Config;
}

/**
 * One piece of work for a thread. `now` is the bot's present moment (ms since the epoch), so both threads agree on
 * it. `lineage` draws a table's lineage picture (reading the graph, Graphviz's layout and the rasterising: CPU the
 * acknowledging thread should not spend). `miss` appends to the miss log (in `misses.sqlite` an fsync, which would
 * block the acknowledging thread's event loop).
 */
export type AnswerTask =
  | { kind: 'warm' }
  | { kind: 'answer'; question: Question; now: number }
  | { kind: 'data'; request: DataRequest; now: number }
  | { kind: 'lineage'; tableKey: string; lang: Lang; now: number }
  | { kind: 'miss'; miss: Miss };

/**
 * A task's outcome. A `UserError` travels as its parts (a thrown error crosses threads as a plain `Error`, and the
 * person must still see its message); any other failure is thrown and reaches the caller as an `Error`.
 */
export type AnswerOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; userError: { code: string; message: string; detail?: Record<string, unknown>; /** A catalogue error's message in each language. */ messages?: Partial<Record<Lang, string>> } };

type ThreadDeps = Omit<AnsweringDeps, 'now'> & { timeZone: string };

async function open(config: Config): Promise<ThreadDeps> {
  const log = createLogger({ level: config.LOG_LEVEL, name: 'nansen-answering' });
  const stores = await openStores(config, log, config.NANSEN_BACKEND, { readView: true });
  const runs = await openLineageRunStore(config);
  // the bot's thread catches up the vectors; this one only reads them
  const { meaning } = startMeaning(stores, config, log, { catchUp: false });
  // the first questions would otherwise all wait for (and then burst after) the table-name index
  await tableDirectory(stores.graph);
  return { graph: stores.graph, search: stores.search, runs, timeZone: config.NANSEN_TIMEZONE, vocabulary: vocabularyFromConfig(config), ...(meaning ? { meaning } : {}) };
}

let opened: Promise<ThreadDeps> | undefined;

function threadDeps(): Promise<ThreadDeps> {
  opened ??= open((workerData as AnswerWorkerSetup).config);
  return opened;
}

/** The thread's own connection to the miss log, opened at its first miss (a failed open is tried again next time). */
let misses: Promise<MissLog> | undefined;

async function run(task: AnswerTask): Promise<Answer | DataResult | LineageDrawing | undefined> {
  if (task.kind === 'miss') {
    misses ??= openMissLog((workerData as AnswerWorkerSetup).config).catch((err: unknown) => {
      misses = undefined;
      throw err;
    });
    await (await misses).record(task.miss);
    return undefined;
  }
  const deps = await threadDeps();
  switch (task.kind) {
    case 'warm':
      return undefined;
    case 'answer':
      return answer(task.question, { ...deps, now: () => new Date(task.now) });
    case 'data':
      return runDataCommand(task.request, { ...deps, now: () => new Date(task.now) });
    case 'lineage':
      return drawLineage(task.tableKey, { ...deps, now: () => new Date(task.now) }, task.lang);
  }
}

/** A person's error as it crosses back to the bot's thread: its parts, and a catalogue error's text in each language. */
export function userErrorOutcome(err: UserError): AnswerOutcome<never> {
  const messages = err instanceof LocalizedUserError ? Object.fromEntries(LANGS.map((lang) => [lang, err.messageIn(lang)])) : undefined;
  return { ok: false, userError: { code: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}), ...(messages ? { messages } : {}) } };
}

/** The thread's task handler (piscina calls the default export). */
export default async function answerTask(task: AnswerTask): Promise<AnswerOutcome<Answer | DataResult | LineageDrawing | undefined>> {
  try {
    return { ok: true, value: await run(task) };
  } catch (err) {
    if (err instanceof UserError) return userErrorOutcome(err);
    throw err;
  }
}
