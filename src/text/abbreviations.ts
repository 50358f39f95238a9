/**
 * Abbreviations the way data people write them: a word's first letter, then some of its letters in order, usually
 * its consonants (`acct`, `accnt` account; `prvt_brwsng` private browsing; `mgr` manager). Either side may be the
 * short one: a question says `acct` of a catalog that says `account`, or `private browsing` of a column named
 * `prvt_brwsng`. Matched by letters, with no list of abbreviations, so any catalog's own shorthand is understood.
 */

const VOWELS = /[aeiou]/g;

/** The consonants of a word after its first letter, which an abbreviation mostly keeps. */
function consonantsAfterFirst(word: string): string {
  return word.slice(1).replace(VOWELS, '');
}

/**
 * How well `short` abbreviates `long`, from 0 (not at all) to 1: it starts with the same letter, keeps the rest of
 * its letters in order, ends on the last consonant of the long word's stem, and the score is the share of the long
 * word's consonants it keeps. A long word must be longer by two letters at least: `data`/`date` is not shorthand.
 */
export function abbreviationScore(short: string, long: string): number {
  if (short.length < 3 || long.length < short.length + 2 || short[0] !== long[0]) return 0;
  if (!/^[a-z]+$/.test(short) || !/^[a-z]+$/.test(long)) return 0;
  let at = 1;
  for (let i = 1; i < short.length; i++) {
    at = long.indexOf(short[i]!, at);
    if (at < 0) return 0;
    at++;
  }
  const consonants = consonantsAfterFirst(long);
  const lastConsonant = consonants[consonants.length - 1];
  if (lastConsonant && short[short.length - 1] !== lastConsonant) return 0;
  const kept = consonantsAfterFirst(short).length;
  return consonants.length ? Math.min(1, kept / consonants.length) : 0;
}

/** Whether a term reads as shorthand: few vowels after its first letter (`acct`, `prvt`, `brwsng`, `mgr`). */
export function looksAbbreviated(term: string): boolean {
  if (term.length < 3 || term.length > 7 || !/^[a-z]+$/.test(term)) return false;
  const vowels = (term.slice(1).match(VOWELS) ?? []).length;
  return vowels === 0 || (vowels === 1 && term.length >= 5);
}

/** Least share of the long word's consonants an abbreviation keeps to count. */
export const MIN_ABBREVIATION_SCORE = 0.75;

const shorthandOf = new WeakMap<ReadonlyMap<string, number>, Map<string, string[]>>();

/** The vocabulary's shorthand terms, by first letter. */
function shorthandIndex(vocabulary: ReadonlyMap<string, number>): Map<string, string[]> {
  let index = shorthandOf.get(vocabulary);
  if (index) return index;
  index = new Map();
  for (const term of vocabulary.keys()) {
    if (!looksAbbreviated(term)) continue;
    const list = index.get(term[0]!);
    if (list) list.push(term);
    else index.set(term[0]!, [term]);
  }
  shorthandOf.set(vocabulary, index);
  return index;
}

/**
 * The words of a vocabulary that a shorthand term stands for (`acct` → account), best first: the share of
 * consonants kept, then how common the word is. Empty when the term does not read as shorthand.
 */
export function expansions(short: string, vocabulary: ReadonlyMap<string, number>, limit = 2): string[] {
  if (!looksAbbreviated(short)) return [];
  const scored: Array<{ term: string; score: number; df: number }> = [];
  for (const [term, df] of vocabulary) {
    const score = abbreviationScore(short, term);
    if (score >= MIN_ABBREVIATION_SCORE) scored.push({ term, score, df });
  }
  return scored
    .sort((a, b) => b.score - a.score || b.df - a.df || a.term.localeCompare(b.term))
    .slice(0, limit)
    .map((s) => s.term);
}

/** The shorthand terms of a vocabulary that abbreviate a word (`private` → prvt), best first. */
export function abbreviationsOf(word: string, vocabulary: ReadonlyMap<string, number>, limit = 2): string[] {
  if (word.length < 5 || !/^[a-z]+$/.test(word)) return [];
  const scored: Array<{ term: string; score: number }> = [];
  for (const term of shorthandIndex(vocabulary).get(word[0]!) ?? []) {
    if (term.length < 4) continue; // three letters abbreviate too many words to be offered unasked
    const score = abbreviationScore(term, word);
    if (score >= MIN_ABBREVIATION_SCORE) scored.push({ term, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.term.localeCompare(b.term))
    .slice(0, limit)
    .map((s) => s.term);
}
