import type { Answer, AnsweringDeps, Question } from '../answering/types';
import type { Logger } from '../log/logger';
import type { GraphStore } from '../ports/graph-store';
import type { SearchIndex } from '../ports/search-index';
import type { Vocabulary } from '../text/vocabulary';
import type { MeaningDeps } from '../answering/meaning';
import type { EventDeduper } from '../ports/event-deduper';
import type { ThreadContextStore } from '../ports/thread-context-store';
import type { UserStateStore } from '../ports/user-state-store';
import type { RunStatusReader } from '../ports/lineage-run-store';
import type { MissLog } from '../ports/miss-log';

/**
 * Who may edit a table: everyone, or its owners plus admins (Slack user ids). Enforced by `src/core/edits.ts`
 * on every edit, whatever buttons a client showed.
 */
export type EditPolicy = { mode: 'everyone' } | { mode: 'owners'; admins: ReadonlySet<string> };

/** The question-answering core, passed in so the chat front ends do not choose it. */
export type AnswerFn = (question: Question, deps: AnsweringDeps) => Promise<Answer>;

/** What the use cases of the chat front ends (Slack, the terminal) need. Built in a composition root. */
export interface CoreDeps {
  graph: GraphStore;
  search: SearchIndex;
  answer: AnswerFn;
  /** The question vocabulary (bundled plus `NANSEN_VOCABULARY`); default: the bundled one. */
  vocabulary?: Vocabulary;
  /** Matching by meaning, with an embeddings server; answers and searches are lexical without it. */
  meaning?: MeaningDeps;
  /** Runs reported over OpenLineage: "when was X last updated?" then says when its last run failed. */
  runs?: RunStatusReader;
  threads: ThreadContextStore;
  dedupe: EventDeduper;
  userState: UserStateStore;
  policy: EditPolicy;
  /** The present moment ("last updated 2 hours ago"). */
  now: () => Date;
  /** IANA time zone that times are shown in. */
  timeZone: string;
  log: Logger;
  /** Where missed questions (unknown, guessed, "not what I meant") are recorded; none: not recorded. */
  misses?: MissLog;
  /** Whether a recorded miss keeps who asked (`NANSEN_RECORD_ASKERS=1`); off: the question only. */
  recordAskers?: boolean;
  /** Slack user ids who see the admin parts of App Home (missed questions): `NANSEN_ADMINS`. */
  admins?: ReadonlySet<string>;
}
