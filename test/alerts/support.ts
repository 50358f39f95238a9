import { randomBytes } from 'node:crypto';
import { serviceEnv } from '../../bench/service-env';

/** The Redis the integration tests use (env first, then scripts/services.sh's env.json). */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? serviceEnv().REDIS_URL ?? 'redis://127.0.0.1:6390';
}

export function pgUrl(): string {
  return process.env.PG_URL ?? serviceEnv().PG_URL ?? 'postgres://nansen:nansen@127.0.0.1:54329/nansen';
}

/** A unique lower-case name for a queue prefix, database or channel set of one test. */
export function uniqueName(prefix = 'alerts_t'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
