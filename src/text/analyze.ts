/**
 * Text analysis shared by documents and queries, done in our code so that every search engine sees the same
 * terms: identifiers are split (`avg_rtt_ms` → avg, rtt, ms; `purchaseAmtUsd` → purchase, amt, usd), text is
 * lower-cased and NFKC-normalised, and Korean words lose their particles (`국가별` → 국가).
 */

const HANGUL = /[\uac00-\ud7a3]/;

/**
 * Korean particles and suffixes that attach to a noun, longest first. Stripped only when a stem of at least
 * two syllables remains, so short nouns that end in the same syllable stay whole.
 */
const KOREAN_SUFFIXES = [
  '에서는', '으로는', '이라는', '에서의', '별로는', '에서', '으로', '에게', '까지', '부터', '보다', '처럼', '이랑',
  '이나', '라는', '별로', '별의', '들의', '들이', '들은', '들을', '별', '은', '는', '이', '가', '을', '를', '의',
  '에', '로', '와', '과', '도', '만', '랑', '들', '요',
];

/** Removes one trailing particle from a Korean word when a stem of two or more syllables remains. */
export function stripKoreanParticle(word: string): string {
  for (const suffix of KOREAN_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 2) return word.slice(0, -suffix.length);
  }
  return word;
}

/** Splits an identifier into its lower-case parts: snake_case, kebab-case, camelCase, digits. */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((p) => p.toLowerCase());
}

/** Breaks text into raw words (runs of letters, digits and underscores), keeping identifiers whole. */
export function words(text: string): string[] {
  return text.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * Analyses text into index terms. An identifier yields its parts and, when it has several, itself joined
 * (`avg_rtt_ms` → avg, rtt, ms, avgrttms) so an exact name still matches best. Korean words yield their stem.
 */
export function analyze(text: string | undefined): string[] {
  if (!text) return [];
  const terms: string[] = [];
  for (const word of words(text)) {
    if (HANGUL.test(word)) {
      for (const part of splitIdentifier(word)) terms.push(HANGUL.test(part) ? stripKoreanParticle(part) : part);
      continue;
    }
    const parts = splitIdentifier(word);
    terms.push(...parts);
    if (parts.length > 1) terms.push(parts.join(''));
  }
  return terms;
}

/** Analyses text and joins the terms with spaces: the form search documents store. */
export function analyzeToField(...texts: Array<string | undefined>): string {
  return texts.flatMap((t) => analyze(t)).join(' ');
}
