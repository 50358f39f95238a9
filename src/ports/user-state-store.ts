import type { IsoTime } from '../domain/model';

/** What a conversation (a Slack thread, a DM, the terminal chat) remembers between messages. */
export interface ThreadContext {
  /** The table the conversation is about: follow-ups ("is it hourly?") refer to it. */
  subject?: string;
  /** Earlier questions, oldest first (a few at most). */
  messages: string[];
  updatedAt: IsoTime;
}

/**
 * Conversation memory keyed by thread (`{channel}:{thread_ts}`). Entries expire after a while of silence.
 */
export interface ThreadContextStore {
  get(key: string): Promise<ThreadContext | undefined>;
  set(key: string, context: ThreadContext): Promise<void>;
  close(): Promise<void>;
}

/**
 * Remembers which deliveries were already handled, so a redelivered event (Slack retries after 3 s) is processed
 * once. `claim` is atomic: of concurrent claims of one id, exactly one gets `true`.
 */
export interface EventDeduper {
  /** True the first time an id is claimed (within the retention window), false ever after. */
  claim(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A person's subscription to a table's changes, delivered to a channel (a DM channel for oneself). */
export interface Subscription {
  tableKey: string;
  /** The subscriber's Slack user id. */
  user: string;
  /** Where alerts go. */
  channel: string;
  at: IsoTime;
}

/**
 * Per-person state that is not catalog metadata: bookmarks and change subscriptions. Durable (SQLite file when
 * embedded, Redis when configured).
 */
export interface UserStateStore {
  /** Bookmarked table keys, newest first. */
  bookmarks(user: string): Promise<string[]>;
  /** Adds or removes a bookmark; returns whether the table is bookmarked now. */
  toggleBookmark(user: string, tableKey: string): Promise<boolean>;
  subscriptionsOf(user: string): Promise<Subscription[]>;
  subscribersOf(tableKey: string): Promise<Subscription[]>;
  /** Adds or removes the person's subscription to a table; returns whether they are subscribed now. */
  toggleSubscription(subscription: Omit<Subscription, 'at'>, at: IsoTime): Promise<boolean>;
  close(): Promise<void>;
}
