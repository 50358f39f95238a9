/**
 * Answering off the acknowledging thread: a pool of worker threads (piscina) that answer questions and `/data`
 * requests and draw lineage pictures, each with its own read view of the stores (`./answer-worker.ts`). The bot's
 * thread keeps Bolt's receiver, the signature check, the ack and de-duplication, and its share of the CPU no longer
 * depends on how much answering there is: the OS shares the cores between it and the answering threads.
 */
import { LocalizedUserError } from '../text/localized-error';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Piscina } from 'piscina';
import type { Answer } from '../answering/types';
import type { Config } from '../config/config';
import { runDataCommand, type DataRequest, type DataResult } from '../core/data-command';
import type { AnswerFn, CoreDeps } from '../core/deps';
import { UserError } from '../domain/errors';
import type { Miss, MissLog } from '../ports/miss-log';
import type { LineageDrawing } from '../render/lineage-drawing';
import type { Lang } from '../text/catalogue';
import type { AnswerOutcome, AnswerTask, AnswerWorkerSetup } from './answer-worker';

/** A running pool of answering threads. */
export interface AnswerPool {
  readonly threads: number;
  /**
   * Answers a question in a thread. The stores of `deps` are not used (each thread has its own view of the same
   * stores); its `now` is, so both threads agree on the present moment.
   */
  answer: AnswerFn;
  /** Runs a `/data` request in a thread. */
  dataCommand(request: DataRequest, now: Date): Promise<DataResult>;
  /** Draws a table's lineage picture in a thread: what `drawLineage` gives here, the same bytes. */
  drawLineage(tableKey: string, lang: Lang, now: Date): Promise<LineageDrawing | undefined>;
  /** Appends to the miss log from a thread (its own connection to the same log); resolves once it is written. */
  recordMiss(miss: Miss): Promise<void>;
  /** Resolves once every thread has opened its stores and loaded its table directory. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Tasks a thread runs at once: more overlap the waits on the embeddings server; CPU work runs one at a time anyway. */
const TASKS_PER_THREAD = 4;

/** How many answering threads `NANSEN_ANSWER_THREADS` asks for: unset, one fewer than the cores, 1 to 4. */
export function answerThreads(config: Pick<Config, 'NANSEN_ANSWER_THREADS'>, cores = availableParallelism()): number {
  return config.NANSEN_ANSWER_THREADS ?? Math.min(4, Math.max(1, cores - 1));
}

/**
 * Where a thread's module is and how it is loaded: compiled JavaScript (production, from dist) as it is, TypeScript
 * (`tsx` in development, jest) through tsx's require hook, which a new thread does not inherit from jest.
 */
function workerModule(): { filename: string; execArgv: string[] } {
  const filename = join(__dirname, `answer-worker${extname(__filename)}`);
  if (filename.endsWith('.js')) return { filename, execArgv: [] };
  return { filename, execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/** A thread's outcome as the bot's thread sees it: the value, or the person's error thrown again. */
export function unwrap<T>(outcome: AnswerOutcome<unknown>): T {
  if (!outcome.ok) {
    const { code, message, detail, messages } = outcome.userError;
    // a catalogue error crosses the thread as its texts, and is told in the person's language again
    if (messages) throw new LocalizedUserError(code, (lang) => messages[lang] ?? message, detail);
    throw new UserError(code, message, detail);
  }
  return outcome.value as T;
}

/** Starts `threads` answering threads (at least 1) on the stores `config` names. */
export function startAnswerPool(config: Config, threads: number): AnswerPool {
  const size = Math.max(1, threads);
  const { filename, execArgv } = workerModule();
  const setup: AnswerWorkerSetup = { config };
  const pool = new Piscina({ filename, execArgv, workerData: setup, minThreads: size, maxThreads: size, concurrentTasksPerWorker: TASKS_PER_THREAD, idleTimeout: Number.POSITIVE_INFINITY });
  const run = async <T>(task: AnswerTask): Promise<T> => unwrap<T>((await pool.run(task)) as AnswerOutcome<unknown>);
  return {
    threads: size,
    answer: (question, deps) => run<Answer>({ kind: 'answer', question, now: (deps.now?.() ?? new Date()).getTime() }),
    dataCommand: (request, now) => run<DataResult>({ kind: 'data', request, now: now.getTime() }),
    async drawLineage(tableKey, lang, now) {
      const drawing = await run<LineageDrawing | undefined>({ kind: 'lineage', tableKey, lang, now: now.getTime() });
      if (!drawing?.image) return drawing;
      // a Buffer crosses threads as a plain Uint8Array
      const png = drawing.image.png as Uint8Array;
      return { ...drawing, image: { ...drawing.image, png: Buffer.from(png.buffer, png.byteOffset, png.byteLength) } };
    },
    recordMiss: (miss) => run<undefined>({ kind: 'miss', miss }),
    async warm() {
      // as many tasks as the threads take at once: each thread holds its share until its stores are open
      await Promise.all(Array.from({ length: size * TASKS_PER_THREAD }, () => run<undefined>({ kind: 'warm' })));
    },
    close: () => pool.destroy(),
  };
}

/**
 * `/data` through the pool, except a tag page (it reads the catalog overview, which a tag edit drops on this thread
 * only) and help (nothing to compute): those run here, as before.
 */
export function pooledDataCommand(pool: Pick<AnswerPool, 'dataCommand'>, deps: Pick<CoreDeps, 'graph' | 'search' | 'now' | 'timeZone'>): (request: DataRequest) => Promise<DataResult> {
  return (request) => (request.kind === 'tag' || request.kind === 'help' ? runDataCommand(request, deps) : pool.dataCommand(request, deps.now()));
}

/**
 * The miss log with its writes made in the pool's threads: an append to `misses.sqlite` waits for an fsync, which
 * on the acknowledging thread holds up every ack behind it. Reads stay on `log`.
 */
export function pooledMissLog(pool: Pick<AnswerPool, 'recordMiss'>, log: MissLog): MissLog {
  return { record: (miss) => pool.recordMiss(miss), recent: (options) => log.recent(options), close: () => log.close() };
}
