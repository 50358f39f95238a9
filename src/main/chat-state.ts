import { join } from 'node:path';
import Redis from 'ioredis';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import { MemoryThreadContextStore } from '../adapters/memory/memory-chat-state';
import { SqliteEventDeduper } from '../adapters/embedded/sqlite-event-deduper';
import type { EventDeduper } from '../ports/event-deduper';
import type { ThreadContextStore } from '../ports/thread-context-store';
import type { UserStateStore } from '../ports/user-state-store';
import { RedisEventDeduper, RedisThreadContextStore, RedisUserStateStore } from '../adapters/redis/redis-chat-state';
import { SqliteUserStateStore } from '../adapters/embedded/sqlite-user-state-store';
import { redactUrl } from '../log/redact';
import { connectRedis } from '../adapters/redis/connect';

/** The key prefix of the shared conversation state (threads, events, bookmarks and table subscriptions). */
export function chatStatePrefix(config: Pick<Config, 'NANSEN_REDIS_PREFIX'>): string {
  return `${config.NANSEN_REDIS_PREFIX}:`;
}

/** The local files of bookmarks and table subscriptions (`state`) and of answered events (`events`). */
export function localChatStatePaths(config: Pick<Config, 'NANSEN_DATA_DIR'>): { state: string; events: string } {
  return { state: join(config.NANSEN_DATA_DIR, 'state.sqlite'), events: join(config.NANSEN_DATA_DIR, 'events.sqlite') };
}

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
 * else thread memory in the process, and event de-duplication and bookmarks in SQLite files under `NANSEN_DATA_DIR`
 * (so a restarted bot still knows which events it answered).
 * Called by composition roots only.
 */
export async function openChatState(config: Config, logger: Logger, options: { keyPrefix?: string } = {}): Promise<ChatState> {
  if (config.REDIS_URL) {
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
    try {
      await connectRedis(redis, redactUrl(config.REDIS_URL));
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    const prefix = options.keyPrefix ?? chatStatePrefix(config);
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
  const paths = localChatStatePaths(config);
  const userState = new SqliteUserStateStore(paths.state);
  const dedupe = new SqliteEventDeduper(paths.events);
  return {
    kind: 'local',
    threads: new MemoryThreadContextStore(),
    dedupe,
    userState,
    async close() {
      await Promise.all([userState.close(), dedupe.close()]);
    },
  };
}
