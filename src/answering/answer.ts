import type { IsoTime, UserId } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import type { SearchIndex } from '../ports/search-index';

/** The language a question was asked in; answers are rendered in it. */
export type Lang = 'en' | 'ko';

/** A message to answer, with the earlier messages of its thread (oldest first, same person). */
export interface Question {
  text: string;
  thread?: string[];
  /** The table the thread is about, when the caller already knows it (e.g. a table card's thread). */
  subjectTable?: string;
}

export type Cadence = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'irregular';

/** How often a table loads, read from its load history. */
export interface CadenceInfo {
  cadence: Cadence;
  /** Typical load time of day, `HH:MM` in the display time zone (daily and slower cadences). */
  typicalTime?: string;
  /** Typical minute past the hour (hourly cadence). */
  typicalMinute?: number;
  /** Whether the last load is overdue for the cadence at the catalog's present moment. */
  late: boolean;
  lastAt?: IsoTime;
  /** How many loads the inference saw. */
  observations: number;
}

/** One search result of a `find` answer, with why it matched. */
export interface FoundItem {
  key: string;
  kind: 'table' | 'dashboard';
  score: number;
  /** Which query words matched which fields (`latency → name`, `국가 → country (column)`). */
  why: string[];
}

/**
 * A structured answer: what was understood, what was found, how sure. Rendered separately for Slack and the
 * terminal; the evaluation writes it out as-is. `subject` is the table the answer is about, so a thread's
 * follow-ups can refer to it.
 */
export type Answer =
  | { kind: 'find'; lang: Lang; query: string; terms: string[]; results: FoundItem[]; confident: boolean; subject?: string }
  | { kind: 'last_updated'; lang: Lang; table: string; subject: string; at?: IsoTime; cadence?: CadenceInfo }
  | { kind: 'cadence'; lang: Lang; table: string; subject: string; cadence: CadenceInfo; asked?: 'hourly' | 'daily' | 'weekly' | 'monthly' }
  | { kind: 'owners'; lang: Lang; table: string; subject: string; users: UserId[] }
  | { kind: 'frequent_users'; lang: Lang; table: string; subject: string; users: Array<{ user: UserId; count: number }> }
  | { kind: 'columns'; lang: Lang; table: string; subject: string; column?: string; description?: string; type?: string; candidates?: string[] }
  | { kind: 'lineage'; lang: Lang; table: string; subject: string; direction: 'upstream' | 'downstream'; tables: string[] }
  | { kind: 'dashboards'; lang: Lang; table: string; subject: string; dashboards: string[] }
  | { kind: 'help'; lang: Lang }
  | {
      kind: 'unknown';
      lang: Lang;
      /** Why there is no answer: nothing matched, the named table does not exist, the question is out of scope, ... */
      reason: 'no_match' | 'unknown_table' | 'out_of_scope' | 'empty' | 'no_data';
      /** Tables worth a look, offered as such, never as the answer. */
      suggestions: string[];
      /** The table name the person used, when it does not exist. */
      named?: string;
      subject?: string;
    };

/** What answering needs: the stores, and the catalog's present moment. */
export interface AnsweringDeps {
  graph: GraphStore;
  search: SearchIndex;
  /** The present moment ("last updated 2 hours ago", "late"); the catalog's `now` in evaluations. */
  now?: () => Date;
}
