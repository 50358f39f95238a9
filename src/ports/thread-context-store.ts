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
  /** The thread's context, or undefined when the thread is unknown or its context expired. */
  get(key: string): Promise<ThreadContext | undefined>;
  /** Replaces the thread's context and restarts its expiry. */
  set(key: string, context: ThreadContext): Promise<void>;
  /** Releases the store's connection. */
  close(): Promise<void>;
}
