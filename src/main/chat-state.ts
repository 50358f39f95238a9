import { join } from 'node:path';
import Redis from 'ioredis';
import type { Config } from '../config/config';
import { BackendUnavailableError } from '../domain/errors';
import type { Logger } from '../log/logger';
import { MemoryEventDeduper, MemoryThreadContextStore } from '../adapters/memory/memory-chat-state';
import type { EventDeduper } from '../ports/event-deduper';
import type { ThreadContextStore } from '../ports/thread-context-store';
import type { UserStateStore } from '../ports/user-state-store';
import { RedisEventDeduper, RedisThreadContextStore, RedisUserStateStore } from '../adapters/redis/redis-chat-state';
import { SqliteUserStateStore } from '../adapters/embedded/sqlite-user-state-store';
import { redactUrl } from '../log/redact';

/** The conversation state of a chat process, with one call to close it. */
export interface ChatState {
  threads: ThreadContextStore;
  dedupe: EventDeduper;
  userState: UserStateStore;
  /** Where it lives, for the start-up log line. */
  kind: 'redis' | 'local';
  close(): Promise<void>;
}

/**
 * Chooses where conversation state lives: Redis when `REDIS_URL` is set (shared by processes, surviving restarts),
 * else thread memory and de-duplication in the process and bookmarks in a SQLite file under `NANSEN_DATA_DIR`.
 * Called by composition roots only.
 */
export async function openChatState(config: Config, logger: Logger, options: { keyPrefix?: string } = {}): Promise<ChatState> {
  if (config.REDIS_URL) {
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new BackendUnavailableError('Redis', redactUrl(config.REDIS_URL), e);
    }
    const prefix = options.keyPrefix ?? `${config.NANSEN_REDIS_PREFIX}:`;
    return {
      kind: 'redis',
      threads: new RedisThreadContextStore(redis, prefix),
      dedupe: new RedisEventDeduper(redis, prefix),
      userState: new RedisUserStateStore(redis, prefix),
      async close() {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  const userState = new SqliteUserStateStore(join(config.NANSEN_DATA_DIR, 'state.sqlite'));
  return {
    kind: 'local',
    threads: new MemoryThreadContextStore(),
    dedupe: new MemoryEventDeduper(),
    userState,
    async close() {
      await userState.close();
    },
  };
}
