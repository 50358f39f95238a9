import type { Answer } from '../answering/types';
import { answerSubject } from '../answering/answer';
import type { CoreDeps } from './deps';
import type { ThreadContext } from '../ports/thread-context-store';

/** One message of a conversation, and where it belongs. */
export interface Turn {
  text: string;
  /** The conversation it continues: `{channel}:{thread_ts}` in Slack, a session id in the terminal. */
  threadKey: string;
  /** A wider conversation to fall back on when the thread is new (a DM channel: "is it hourly?" as a new message). */
  fallbackKey?: string;
}

/** How many earlier questions a conversation keeps for follow-ups. */
const KEEP_MESSAGES = 6;

/** Removes leading mentions (`<@U0NANSEN> which table…`), which are addressing, not part of the question. */
export function stripLeadingMentions(text: string): string {
  return text.replace(/^(\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*)+/, '').trim();
}

/**
 * Answers a message in its conversation: earlier questions and the table the conversation is about go to the
 * answering core (so "is it hourly?" refers to the last table), and the conversation remembers this turn.
 */
export async function converse(turn: Turn, deps: Pick<CoreDeps, 'graph' | 'search' | 'answer' | 'threads' | 'now' | 'timeZone' | 'vocabulary' | 'meaning' | 'runs'>): Promise<Answer> {
  const text = stripLeadingMentions(turn.text);
  const context = (await deps.threads.get(turn.threadKey)) ?? (turn.fallbackKey ? await deps.threads.get(turn.fallbackKey) : undefined);
  const answer = await deps.answer(
    { text, ...(context?.messages.length ? { thread: context.messages } : {}), ...(context?.subject ? { subjectTable: context.subject } : {}) },
    { graph: deps.graph, search: deps.search, now: deps.now, timeZone: deps.timeZone, ...(deps.vocabulary ? { vocabulary: deps.vocabulary } : {}), ...(deps.meaning ? { meaning: deps.meaning } : {}), ...(deps.runs ? { runs: deps.runs } : {}) },
  );
  const subject = answerSubject(answer) ?? context?.subject;
  const next: ThreadContext = { ...(subject ? { subject } : {}), messages: [...(context?.messages ?? []), text].slice(-KEEP_MESSAGES), updatedAt: deps.now().toISOString() };
  await deps.threads.set(turn.threadKey, next);
  if (turn.fallbackKey) await deps.threads.set(turn.fallbackKey, next);
  return answer;
}
