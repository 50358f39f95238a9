import type { IsoTime } from '../domain/model';
import type { SubscriptionLanguage } from './alert-store';

/** A person's subscription to one table's changes, delivered to a channel (a DM channel for oneself). */
export interface TableSubscription {
  tableKey: string;
  /** The subscriber's Slack user id. */
  user: string;
  /** Where alerts go. */
  channel: string;
  at: IsoTime;
  /**
   * The language its alerts are written in: the subscriber's when they subscribed. Subscriptions made before
   * languages were kept have none and get `NANSEN_LANGUAGE`.
   */
  language?: SubscriptionLanguage;
}

/**
 * One row of a user-state store as it is moved to the shared store (`nansen migrate-state`). `order` ranks a
 * person's bookmarks: higher is newer.
 */
export type UserStateRecord =
  | { kind: 'bookmark'; user: string; tableKey: string; order: number }
  | { kind: 'table_subscription'; subscription: TableSubscription }
  | { kind: 'welcomed'; user: string; at: IsoTime }
  | { kind: 'question_language'; user: string; language: SubscriptionLanguage; at: IsoTime };

/**
 * Per-person state that is not catalog metadata: bookmarks, table subscriptions, who got the Messages tab's
 * welcome, and the language of each person's latest question. Durable (SQLite file when embedded, Redis when
 * configured).
 */
export interface UserStateStore {
  /** Bookmarked table keys, newest first. */
  bookmarks(user: string): Promise<string[]>;
  /** Adds or removes a bookmark; returns whether the table is bookmarked now. */
  toggleBookmark(user: string, tableKey: string): Promise<boolean>;
  /** A person's table subscriptions, newest first. */
  subscriptionsOf(user: string): Promise<TableSubscription[]>;
  /** Everyone subscribed to a table, by user id. */
  subscribersOf(tableKey: string): Promise<TableSubscription[]>;
  /** Adds or removes the person's subscription to a table; returns whether they are subscribed now. */
  toggleSubscription(subscription: Omit<TableSubscription, 'at'>, at: IsoTime): Promise<boolean>;
  /**
   * Remembers that the person got the Messages tab's one-time welcome. True only for the call that marked them:
   * atomic, so of concurrent calls (two replicas, a retried event) exactly one gets true.
   */
  markWelcomed(user: string, at: IsoTime): Promise<boolean>;
  /**
   * Remembers the language of the person's latest question (replacing the one before), so that processes which
   * never saw it (the alert worker writing an owner's direct message, a restarted bot) can write to them in it.
   */
  recordQuestionLanguage(user: string, language: SubscriptionLanguage, at: IsoTime): Promise<void>;
  /** The language of the person's latest question, or undefined when none was recorded. */
  questionLanguage(user: string): Promise<SubscriptionLanguage | undefined>;
  /** Releases the store's connection or file. */
  close(): Promise<void>;
}
