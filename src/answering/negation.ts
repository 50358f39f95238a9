import { analyze } from '../text/analyze';

/**
 * What a message says it does not want: "the calendar ones, not tasks", "rather than invoices", "네트워크 RTT
 * 말고". Only contrast — "without X" and "excluding X" usually describe what a table filters out, which its
 * description says too, so they stay ordinary words.
 */
const ENGLISH = /\b(?:not|rather than|instead of|other than|except)\s+(?:the\s+|a\s+|an\s+|any\s+)?([A-Za-z][\w-]*)/gi;
const KOREAN = /([\p{L}\p{N}_]+?)\s*(?:은|는|이|가)?\s*(?:말고|아니고|빼고|제외하고)/gu;

/** The analysed terms of the words a message sets aside, for ranking the tables named by them last. */
export function negatedTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const re of [ENGLISH, KOREAN]) for (const m of text.matchAll(re)) for (const t of analyze(m[1]!)) out.add(t);
  return out;
}
