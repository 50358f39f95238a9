/**
 * Connecting an ioredis client so that a failure says why. ioredis reports the server's refusal (`WRONGPASS`,
 * `NOAUTH`) on its `error` event and then rejects `connect()` with only "Connection is closed"; this keeps the
 * first reason and puts it in the `BackendUnavailableError`.
 */
import type Redis from 'ioredis';
import { BackendUnavailableError } from '../../domain/errors';

/** What a Redis refusal means for the person who configured it. */
export function explainRedisError(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/^WRONGPASS/.test(message)) return new Error('WRONGPASS: Redis refused the user name or password in REDIS_URL');
  if (/^NOAUTH/.test(message)) return new Error('NOAUTH: Redis needs a password; put it in REDIS_URL (redis://:password@host:port)');
  return err instanceof Error ? err : new Error(message);
}

/**
 * Connects (when the client was made with `lazyConnect`) and checks the connection with a PING, within
 * `timeoutMs`. Rejects with a `BackendUnavailableError` naming `target` (a redacted URL) and the server's reason.
 */
export async function connectRedis(client: Redis, target: string, timeoutMs = 10_000): Promise<void> {
  let first: unknown;
  const onError = (err: unknown): void => {
    first ??= err;
  };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = (async () => {
      if (client.status === 'wait') await client.connect();
      await client.ping();
    })();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([ready, late]);
  } catch (err) {
    throw new BackendUnavailableError('Redis', target, explainRedisError(first ?? err));
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}
