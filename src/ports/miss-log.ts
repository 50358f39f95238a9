import type { IsoTime } from '../domain/model';

/**
 * Why a question counts as missed:
 * - `unknown`: Nansen answered that it does not know (nothing matched, no such table, out of scope, ...);
 * - `guess`: a search whose best result was offered as a guess, not as the answer;
 * - `not_what_i_meant`: the asker said the answer was not what they meant.
 */
export type MissKind = 'unknown' | 'guess' | 'not_what_i_meant';

/** One question Nansen missed: what a data team reads to find what its catalog lacks. */
export interface Miss {
  at: IsoTime;
  kind: MissKind;
  /** The question as asked (leading mentions removed). */
  text: string;
  /** The language it was asked in (`en`, `ko`). */
  lang: string;
  /** The detail of an `unknown` answer (`no_match`, `unknown_table`, ...). */
  reason?: string;
  /** What Nansen offered instead, best first (table or dashboard keys); empty when nothing. */
  offered: string[];
  /** Who asked (a Slack user id): present only when the workspace allows it (`NANSEN_RECORD_ASKERS=1`). */
  asker?: string;
  /** Where it was asked: `slack` or `terminal`. */
  via: 'slack' | 'terminal';
}

/** A miss as it is moved from the local file to the shared store: `id` is its place in the local log. */
export interface MissRecord {
  id: number;
  miss: Miss;
}

/**
 * An append-only log of missed questions. `record` never throws for a full or busy store in a way that should
 * stop an answer: callers log its failure and go on. `recent` is newest first.
 */
export interface MissLog {
  record(miss: Miss): Promise<void>;
  /** The newest misses, at most `limit`, optionally only those at or after `since`. */
  recent(options?: { limit?: number; since?: IsoTime }): Promise<Miss[]>;
  /** Releases the store's file or connection. */
  close(): Promise<void>;
}
