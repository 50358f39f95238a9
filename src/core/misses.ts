import type { Answer } from '../answering/types';
import type { Miss, MissKind } from '../ports/miss-log';
import { stripLeadingMentions } from './conversation';
import type { CoreDeps } from './deps';

/** How many offered results a miss keeps. */
const KEEP_OFFERED = 5;

/** Who asked, where: the asker is kept only when `CoreDeps.recordAskers` is on. */
export interface Asked {
  text: string;
  asker?: string;
  via: Miss['via'];
}

/** What the answer offered instead of an answer: suggestions of an unknown, results of a guess. */
export function offeredBy(answer: Answer): string[] {
  if (answer.kind === 'unknown') return answer.suggestions.slice(0, KEEP_OFFERED);
  if (answer.kind === 'find') return answer.results.slice(0, KEEP_OFFERED).map((r) => r.key);
  return [];
}

/** Whether an answer is a miss (unknown, or a search whose results are guesses), and which kind. */
export function missKindOf(answer: Answer): MissKind | undefined {
  if (answer.kind === 'unknown') return answer.reason === 'empty' ? undefined : 'unknown';
  if (answer.kind === 'find' && !answer.confident) return 'guess';
  return undefined;
}

/** The miss an answer is, if it is one. */
export function missOf(asked: Asked, answer: Answer, kind: MissKind | undefined, deps: Pick<CoreDeps, 'recordAskers'>): Miss | undefined {
  if (!kind) return undefined;
  return {
    at: answer.now,
    kind,
    text: stripLeadingMentions(asked.text),
    lang: answer.lang,
    ...(answer.kind === 'unknown' ? { reason: answer.reason } : {}),
    offered: offeredBy(answer),
    ...(deps.recordAskers && asked.asker ? { asker: asked.asker } : {}),
    via: asked.via,
  };
}

/**
 * Records the question when its answer missed (`kind` given: "not what I meant"); a failure to record is logged,
 * never shown. Does nothing without a miss log.
 */
export async function recordIfMissed(asked: Asked, answer: Answer, deps: Pick<CoreDeps, 'misses' | 'recordAskers' | 'log'>, kind: MissKind | undefined = missKindOf(answer)): Promise<boolean> {
  const miss = deps.misses ? missOf(asked, answer, kind, deps) : undefined;
  if (!miss || !deps.misses) return false;
  try {
    await deps.misses.record(miss);
    return true;
  } catch (err) {
    deps.log.warn({ err, kind: miss.kind }, 'could not record a missed question');
    return false;
  }
}

/** What a "Not what I meant" click says: the question as searched, its language, what the answer offered. */
export interface NotWhatIMeant {
  text: string;
  lang: string;
  offered: string[];
  /** Who clicked (kept only when `CoreDeps.recordAskers` is on). */
  asker?: string;
  via: Miss['via'];
}

/**
 * Records that an answer was not what the person meant. Unlike `recordIfMissed` a failure is the caller's to
 * report: the click asked for nothing else. Returns false without a miss log.
 */
export async function recordNotWhatIMeant(said: NotWhatIMeant, deps: Pick<CoreDeps, 'misses' | 'recordAskers' | 'now'>): Promise<boolean> {
  if (!deps.misses) return false;
  await deps.misses.record({
    at: deps.now().toISOString(),
    kind: 'not_what_i_meant',
    text: stripLeadingMentions(said.text),
    lang: said.lang,
    offered: said.offered.slice(0, KEEP_OFFERED),
    ...(deps.recordAskers && said.asker ? { asker: said.asker } : {}),
    via: said.via,
  });
  return true;
}
