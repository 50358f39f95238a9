import type { Cadence } from '../domain/load-history';
import { answerQuestion, searchCatalogText } from './pipeline';
import type { Answer, AnsweringDeps, FoundItem, Question } from './types';

/** Answers one question (with its thread) from the stores. Never throws for what a person typed. */
export function answer(question: Question, deps: AnsweringDeps): Promise<Answer> {
  return answerQuestion(question, deps);
}

/** Ranked catalog search of some words, as questions are searched (what `/data <words>` shows). */
export function searchCatalog(words: string, deps: AnsweringDeps, options: { limit: number; kinds?: Array<'table' | 'dashboard'> }): Promise<FoundItem[]> {
  return searchCatalogText(words, deps, options);
}

/** The table an answer is about, if any: what a follow-up in the same thread refers to. */
export function answerSubject(a: Answer): string | undefined {
  return 'subject' in a ? a.subject : undefined;
}

/** Cadence values of the evaluation format. */
export const CADENCES: readonly Cadence[] = ['hourly', 'daily', 'weekly', 'monthly', 'irregular'];
