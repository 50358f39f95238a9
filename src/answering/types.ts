import type { CadenceInfo } from '../domain/load-history';
import type { IsoTime, UserId } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import type { SearchIndex } from '../ports/search-index';
import type { RunStatusReader } from '../ports/lineage-run-store';
import type { Vocabulary } from '../text/vocabulary';
import type { Granularity } from './intent';
import type { MeaningDeps } from './meaning';
import type { FindTuning } from './tuning';

export type { Cadence, CadenceInfo } from '../domain/load-history';
export type { Granularity } from './intent';

/** A run that failed or was aborted: "the last run failed at 03:12". */
export interface FailedRun {
  state: 'FAIL' | 'ABORT';
  at: IsoTime;
  job: string;
  message?: string;
}

/** The language a question was asked in; answers are rendered in it. */
export type Lang = 'en' | 'ko';

/** A message to answer, with the earlier messages of its thread (oldest first, same person). */
export interface Question {
  text: string;
  thread?: string[];
  /**
   * The table the thread is about, when the caller already knows it (a table card's thread, or the `subject` of
   * the bot's last answer in the thread). A table named in the message itself wins over it; it wins over tables
   * named in `thread`.
   */
  subjectTable?: string;
}

/** Which field of a document a query word matched. */
export type MatchField = 'name' | 'columns' | 'description' | 'tags' | 'path';

/** Why a result matched: a word the person typed, the field it was found in, and the term found (a synonym or translation when `via`). */
export interface MatchReason {
  /** The words as typed (`레이턴시`, `ctry`). */
  word: string;
  field: MatchField;
  /** The term that matched, when it differs from the word typed (`latency` for `레이턴시`). */
  via?: string;
}

/** One search result of a `find` answer, with why it matched. */
export interface FoundItem {
  key: string;
  kind: 'table' | 'dashboard';
  score: number;
  /** Share (0..1) of the question's concepts this result covers. */
  coverage: number;
  why: MatchReason[];
  /** Which path found it: its words (`lexical`), its meaning (`meaning`, with an embeddings server), or both. */
  retrieval?: 'lexical' | 'meaning' | 'both';
  /** Cosine similarity of meaning to the question, when the dense path returned it. */
  similarity?: number;
}

/** A column as answers show it. */
export interface ColumnInfo {
  name: string;
  type: string;
  description?: string;
}

/** A table as renderers need it, loaded while answering. */
export interface TableRef {
  key: string;
  name: string;
  database: string;
  cluster: string;
  schema: string;
  description?: string;
  tags: string[];
  badges: string[];
  deprecated: boolean;
  lastUpdatedAt?: IsoTime;
}

export interface DashboardRef {
  key: string;
  name: string;
  description?: string;
  url?: string;
}

export interface UserRef {
  id: UserId;
  name: string;
  /** When known, renderers mention the person (`<@U0519E125C9>`). */
  slackId?: string;
  team?: string;
  email?: string;
}

/** Everything an answer names, resolved, so a renderer needs no store: tables, dashboards and users by key/id. */
export interface AnswerRefs {
  tables: Record<string, TableRef>;
  dashboards: Record<string, DashboardRef>;
  users: Record<string, UserRef>;
}

/** How the table an answer is about was found. */
export interface SubjectResolution {
  /** `message`: named in the question; `context`: `Question.subjectTable`; `thread`: named earlier in the thread; `search`: the best match of the question's words. */
  from: 'message' | 'context' | 'thread' | 'search';
  /** What the person typed, when it named the table. */
  typed?: string;
  /** The name was corrected (`dim_users` → dim_user). */
  corrected?: boolean;
  /** Other tables with the same name, in other schemas or databases. */
  alternatives?: string[];
}

/** What an `unknown` answer was asked, when that much was understood. */
export type AskedKind =
  | 'find'
  | 'last_updated'
  | 'cadence'
  | 'owners'
  | 'frequent_users'
  | 'columns'
  | 'lineage'
  | 'dashboards'
  | 'describe'
  | 'row_count'
  | 'size'
  | 'value'
  | 'why'
  | 'credentials'
  | 'access';

/** What help's example questions are about, taken from the catalog that is loaded (not a made-up `orders`). */
export interface HelpExamples {
  /** A well-used table's key. */
  table: string;
  /** One of its columns. */
  column?: string;
  /** A few words of what it holds, for "which table has …?". */
  topic?: string;
}

/** Why a search ended in an answer, guesses or "I don't know": what the maintainers look at when it was wrong. */
export interface FindEvidence {
  verdict: 'answer' | 'guess' | 'unknown';
  /** The best lexical result covers the question well and specifically. */
  lexicalConfident: boolean;
  /** The idf mass of the question's words the best lexical result covers, in units of a word found in 10% of documents. */
  lexicalCovered: number;
  /** How far the best similarity of meaning stands above the catalog's background, in robust z units. */
  denseZ?: number;
  /** The same distance in cosine: the best similarity minus the median similarity to the catalog. */
  denseGap?: number;
}

/** Fields every answer has. */
export interface AnswerCommon {
  lang: Lang;
  /** The present moment the answer was computed at ("2 hours ago" is relative to it). */
  now: IsoTime;
  refs: AnswerRefs;
  resolution?: SubjectResolution;
}

/** Answers about one table carry it twice: `table` (what the answer is about) and `subject` (what a follow-up in the thread refers to). */
interface AboutTable {
  table: string;
  subject: string;
}

/**
 * A structured answer: what was understood, what was found, how sure. Rendered separately for Slack and the
 * terminal; the evaluation writes it out in the shared answer format. `subject` is the table the answer is about,
 * so a thread's follow-ups can refer to it.
 */
export type Answer = AnswerCommon &
  (
    | {
        kind: 'find';
        /** The message as searched. */
        query: string;
        /** The search terms, typed words first. */
        terms: string[];
        /** Words corrected before searching (`regoin` → region). */
        corrections: Array<{ from: string; to: string }>;
        kinds: Array<'table' | 'dashboard'>;
        results: FoundItem[];
        /** Whether the best result is the answer (false: the results are guesses). */
        confident: boolean;
        evidence?: FindEvidence;
        subject?: string;
      }
    | (AboutTable & {
        kind: 'last_updated';
        at?: IsoTime;
        cadence: CadenceInfo;
        /** The table's last reported run, when it failed or was aborted after the last load (OpenLineage). */
        lastRun?: FailedRun;
      })
    | (AboutTable & { kind: 'cadence'; cadence: CadenceInfo; asked?: Granularity })
    | (AboutTable & {
        kind: 'owners';
        users: UserId[];
        /** When the table has no owner: its most frequent users, to ask instead. */
        frequentUsers?: Array<{ user: UserId; count: number }>;
      })
    | (AboutTable & { kind: 'frequent_users'; users: Array<{ user: UserId; count: number }> })
    | (AboutTable & {
        kind: 'columns';
        /** `meaning`: what a named column means; `which`: which column holds something; `list`: the columns. */
        mode: 'meaning' | 'which' | 'list';
        column?: string;
        description?: string;
        type?: string;
        /** Other likely columns (`which`), best first. */
        candidates?: ColumnInfo[];
        /** All columns (`list`, or when nothing matched). */
        columns?: ColumnInfo[];
      })
    | (AboutTable & { kind: 'lineage'; direction: 'upstream' | 'downstream'; tables: string[] })
    | (AboutTable & { kind: 'dashboards'; dashboards: string[] })
    | (AboutTable & {
        kind: 'describe';
        columns: ColumnInfo[];
        owners: UserId[];
        frequentUsers: Array<{ user: UserId; count: number }>;
        cadence: CadenceInfo;
        upstream: string[];
        downstream: string[];
        dashboards: string[];
      })
    | {
        kind: 'person';
        /** The person named. */
        user: UserId;
        /** Whether they asked what the person owns or what they use most. */
        relation: 'owns' | 'uses';
        owned: string[];
        used: Array<{ table: string; count: number }>;
      }
    | { kind: 'help'; examples?: HelpExamples }
    /** A greeting or thanks, answered in kind, with what one can ask. */
    | { kind: 'greeting'; examples?: HelpExamples }
    | {
        kind: 'unknown';
        /**
         * Why there is no answer: `no_match` nothing matched well enough; `unknown_table` the named table does not
         * exist; `no_subject` a follow-up with no table to refer to; `out_of_scope` a secret, a root cause or a metric
         * value; `no_data` the catalog does not keep it (row counts); `empty` nothing was asked.
         */
        reason: 'no_match' | 'unknown_table' | 'no_subject' | 'out_of_scope' | 'empty' | 'no_data';
        /** Tables worth a look, offered as such, never as the answer. */
        suggestions: string[];
        /** The table name the person used, when it does not exist. */
        named?: string;
        /** What was asked, when understood. */
        asked?: AskedKind;
        subject?: string;
        /** For a search that found nothing clear: why. */
        evidence?: FindEvidence;
      }
  );

export type AnswerKind = Answer['kind'];

/** What answering needs: the stores, and the catalog's present moment. */
export interface AnsweringDeps {
  graph: GraphStore;
  search: SearchIndex;
  /** Runs reported by lineage producers (OpenLineage); without it, answers know only load times. */
  runs?: RunStatusReader;
  /** The present moment ("last updated 2 hours ago", "late"); the catalog's `now` in evaluations. */
  now?: () => Date;
  /** The question vocabulary; default: the bundled `data/vocabulary` (a deployment's extra files are loaded by its composition root). */
  vocabulary?: Vocabulary;
  /** IANA time zone of typical load times ("daily around 03:10 KST"); default `Asia/Seoul`. */
  timeZone?: string;
  /** Matching by meaning (an embeddings server and the catalog's vectors); without it, answers are lexical. */
  meaning?: MeaningDeps;
  /** Experiments only: other evidence thresholds and fusion weight than the measured defaults. */
  tuning?: Partial<FindTuning>;
}
