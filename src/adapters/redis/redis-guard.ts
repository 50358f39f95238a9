import { Redis } from 'ioredis';
import type { Logger } from '../../log/logger';

/** What the guard pauses: a BullMQ `Worker` (its local pause: no new job is fetched, jobs in progress go on). */
export interface PausableWorker {
  readonly name: string;
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): void | Promise<void>;
  isPaused(): boolean;
}

export interface RedisGuardOptions {
  redisUrl: string;
  workers: PausableWorker[];
  logger: Logger;
  /** How often Redis is pinged (default 1 s). */
  intervalMs?: number;
  /** How long one ping may take before it counts as failed (default 2 s). */
  timeoutMs?: number;
  /** Failed pings in a row that pause the workers (default 2). */
  failuresToPause?: number;
  /** Answered pings in a row that resume them (default 3), so a flapping link does not hand out jobs. */
  successesToResume?: number;
}

/** The guard's state: `taking` jobs, or `paused` since `since` because Redis did not answer (`reason`). */
export type RedisGuardState = { kind: 'taking' } | { kind: 'paused'; since: string; reason: string };

export interface RedisGuard {
  state(): RedisGuardState;
  /** For `/readyz`: rejects with why while the workers are paused. */
  check(): Promise<void>;
  /** Resolves after the next ping has been seen and acted on (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Pauses a replica's BullMQ workers while Redis does not answer and resumes them when it answers again. BullMQ
 * alone reconnects and goes on fetching the moment a connection comes back, however briefly; the guard holds the
 * replica out until Redis has answered several pings in a row, and says why on `/readyz` and in the log. It keeps
 * no state of its own: jobs stay in Redis, so nothing is taken while paused and nothing is lost (a job in progress
 * when Redis went away finishes, or, if its lock expired meanwhile, is handed out again by BullMQ's stalled check).
 */
export function startRedisGuard(options: RedisGuardOptions): RedisGuard {
  const { logger, workers } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const failuresToPause = options.failuresToPause ?? 2;
  const successesToResume = options.successesToResume ?? 3;
  const client = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => undefined);
  let state: RedisGuardState = { kind: 'taking' };
  let failures = 0;
  let successes = 0;
  let closed = false;
  let waiters: Array<() => void> = [];

  const ping = async (): Promise<void> => {
    if (client.status === 'wait' || client.status === 'end') await client.connect();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([client.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)))]);
    } finally {
      clearTimeout(timer);
    }
  };

  const tick = async (): Promise<void> => {
    let error: string | undefined;
    try {
      await ping();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      if (client.status !== 'wait' && client.status !== 'end') client.disconnect();
    }
    if (closed) return;
    if (error !== undefined) {
      successes = 0;
      failures++;
      if (state.kind === 'taking' && failures >= failuresToPause) {
        state = { kind: 'paused', since: new Date().toISOString(), reason: `Redis does not answer: ${error}` };
        logger.error({ err: error, workers: workers.map((w) => w.name) }, 'Redis lost: taking no jobs until it answers again');
        await Promise.all(workers.map((w) => w.pause(true).catch(() => undefined)));
      }
    } else {
      failures = 0;
      successes++;
      if (state.kind === 'paused' && successes >= successesToResume) {
        const since = state.since;
        state = { kind: 'taking' };
        await Promise.all(workers.map(async (w) => w.resume()));
        logger.info({ pausedSince: since, workers: workers.map((w) => w.name) }, 'Redis answers again: taking jobs');
      }
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = (): void => {
    timer = setTimeout(() => {
      void tick().finally(() => {
        const done = waiters;
        waiters = [];
        for (const w of done) w();
        if (!closed) loop();
      });
    }, intervalMs);
  };
  loop();

  return {
    state: () => state,
    async check() {
      if (state.kind === 'paused') throw new Error(`not taking jobs since ${state.since}: ${state.reason}`);
    },
    settled: () => new Promise<void>((resolve) => waiters.push(resolve)),
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const w of waiters.splice(0)) w();
      client.disconnect();
    },
  };
}
