/**
 * Text analysis shared by documents and queries, done in our code so that every search engine sees the same
 * terms: identifiers are split (`avg_rtt_ms` → avg, rtt, ms; `purchaseAmtUsd` → purchase, amt, usd), text is
 * lower-cased and NFKC-normalised, English plurals are folded (`refunds` → refund, `countries` → country) and
 * Korean words lose their particles (`국가별` → 국가, `테이블들로` → 테이블).
 */

import { finalSound } from './korean-particles';

const HANGUL = /[\uac00-\ud7a3]/;

/** Whether the text holds Hangul syllables. */
export function hasHangul(text: string): boolean {
  return HANGUL.test(text);
}

/**
 * Korean particles and suffixes that attach to a noun, longest first. Stripped only when a stem of at least
 * two syllables remains, so short nouns that end in the same syllable stay whole.
 */
const KOREAN_SUFFIXES = [
  '으로부터', '에서부터', '에서는', '으로는', '이라는', '에서의', '에서도', '으로도', '이라고', '이에요', '별로는',
  '로부터', '에게서', '인가요', '에서', '으로', '에게', '한테', '까지', '부터', '보다', '처럼', '이랑', '이나', '라는',
  '라고', '예요', '별로', '별의', '들의', '들이', '들은', '들을', '마다', '께서', '별', '은', '는', '이', '가', '을', '를',
  '의', '에', '로', '와', '과', '도', '만', '랑', '들', '요',
];

/**
 * Particles that come in two forms by how the noun before them ends when read aloud: these after a final consonant
 * (고객이, 매출을, 계정으로) ...
 */
const AFTER_CONSONANT = new Set(['이', '을', '은', '과', '이나', '이랑', '이라는', '이라고', '이에요', '으로', '으로는', '으로도', '으로부터']);
/** ... and these after a vowel (유저가, 지표를, 국가로); the 로 forms after ㄹ too (메일로). */
const AFTER_VOWEL = new Set(['가', '를', '는', '와', '랑', '라는', '라고', '예요', '로', '로부터']);
const RO_FORMS = new Set(['로', '로부터']);

/**
 * Whether a stem can take this particle: a word ending in the form its stem does not take keeps it, so 인사평가 and
 * 객단가 stay nouns (평 and 단 end in a consonant, after which the particle would be 이, not 가).
 */
function takesParticle(stem: string, suffix: string): boolean {
  const sound = finalSound(stem);
  if (sound === 'unknown') return true;
  if (AFTER_CONSONANT.has(suffix)) return suffix.startsWith('으') ? sound === 'other' : sound !== 'none';
  if (AFTER_VOWEL.has(suffix)) return sound === 'none' || (sound === 'rieul' && RO_FORMS.has(suffix));
  return true;
}

/** Removes one trailing particle from a Korean word when a stem of two or more syllables remains. */
export function stripKoreanParticle(word: string): string {
  for (const suffix of KOREAN_SUFFIXES) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
    const stem = word.slice(0, -suffix.length);
    if (takesParticle(stem, suffix)) return stem;
  }
  return word;
}

/**
 * First syllables of 하다 and 되다 and their forms (하는, 한, 했던, 해서, 됐는지, 돼요), which make a verb of the
 * noun before them: `수락됐는지` is 수락 (acceptance) said as a verb.
 */
const LIGHT_VERB_SYLLABLES = new Set(['하', '한', '할', '함', '합', '했', '해', '되', '된', '될', '됨', '됩', '됐', '돼']);

/**
 * The noun a Korean light-verb form is made of (`비교하는` → 비교, `승인됐는지` → 승인), when it has two syllables at
 * least and `isNoun` accepts it; otherwise undefined. Sino-Korean nouns are the words catalogs are described in.
 */
export function lightVerbNoun(word: string, isNoun: (noun: string) => boolean): string | undefined {
  const chars = [...word];
  for (let i = 2; i < chars.length; i++) {
    if (!LIGHT_VERB_SYLLABLES.has(chars[i]!)) continue;
    const noun = chars.slice(0, i).join('');
    if (isNoun(noun)) return noun;
  }
  return undefined;
}

/** Removes up to two stacked particles (`테이블들로` → 테이블). */
export function koreanStem(word: string): string {
  const once = stripKoreanParticle(word);
  return once === word ? word : stripKoreanParticle(once);
}

/**
 * Folds an English plural to its singular: `refunds` → refund, `countries` → country, `taxes` → tax. Words of
 * fewer than four letters, words with digits, and endings that are rarely plurals (`-ss`, `-us`, `-is`, `-os`)
 * stay as they are. Applied to documents and queries alike, so it only has to be consistent, not perfect.
 */
export function stemEnglish(term: string): string {
  if (term.length < 4 || !/^[a-z]+$/.test(term)) return term;
  if (term.endsWith('ies') && term.length > 4) return `${term.slice(0, -3)}y`;
  if (/(x|ch|sh|ss|zz)es$/.test(term)) return term.slice(0, -2);
  if (term.endsWith('s') && !/(ss|us|is|os)$/.test(term)) return term.slice(0, -1);
  return term;
}

/**
 * The revision of this analysis. Search indexes store analysed text, so when a change here gives a text other
 * terms, this number goes up, and an index written under another revision is rebuilt from the graph when a
 * process opens it (see `openStores`). 2: acronym plurals are one term (`SKUs` sku, was sk, us). 3: a Korean
 * particle comes off only where the stem takes that form of it (인사평가 stays whole; it was 인사평).
 */
export const ANALYSIS_REVISION = 3;

/**
 * Splits an identifier into its lower-case parts: snake_case, kebab-case, camelCase, digits. An acronym's plural
 * is the acronym (`SKUs` → sku, `APIs` → api), not a camelCase word (`sk`, `us`).
 */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([A-Z]{2,})s(?![a-z])/g, '$1')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((p) => p.toLowerCase());
}

/**
 * Breaks text into raw words (runs of letters, digits and underscores), keeping identifiers whole; a run that
 * mixes Hangul with Latin letters or digits is cut where the script changes (`revenue_daily에서` → revenue_daily, 에서).
 */
export function words(text: string): string[] {
  const raw = text.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu) ?? [];
  return raw.flatMap((w) => (HANGUL.test(w) ? (w.match(/[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+/g) ?? []) : [w]));
}

/** Normalises one identifier part into an index term. */
export function normalizePart(part: string): string {
  return HANGUL.test(part) ? koreanStem(part) : stemEnglish(part);
}

/** Words seen before: catalogs and questions repeat their words, and analysis is the costly part of answering. */
const wordCache = new Map<string, { terms: string[]; parts: number }>();
const WORD_CACHE_MAX = 50_000;

function analyzeWordCached(word: string): { terms: string[]; parts: number } {
  let hit = wordCache.get(word);
  if (!hit) {
    const parts = splitIdentifier(word);
    const terms = parts.map(normalizePart);
    if (parts.length > 1 && !HANGUL.test(word)) terms.push(parts.join(''));
    hit = { terms, parts: parts.length };
    if (wordCache.size >= WORD_CACHE_MAX) wordCache.clear();
    wordCache.set(word, hit);
  }
  return hit;
}

/** The analysed terms of one raw word, in order: its parts, then (for a compound identifier) the parts joined. */
export function analyzeWord(word: string): string[] {
  return [...analyzeWordCached(word).terms];
}

/** One analysed term of a text, with the raw word it came from. */
export interface Token {
  term: string;
  /** A compound identifier joined back together (`avgrttms`): matches exact names, not a separate word. */
  joined: boolean;
  /** Index of the raw word (see `words`) the term came from. */
  word: number;
}

/** Analyses text into tokens: each raw word's normalised parts, then its joined form when it has several parts. */
export function analyzeTokens(text: string | undefined): Token[] {
  if (!text) return [];
  const tokens: Token[] = [];
  words(text).forEach((w, word) => {
    const { terms, parts } = analyzeWordCached(w);
    terms.forEach((term, i) => tokens.push({ term, joined: i >= parts, word }));
  });
  return tokens;
}

/**
 * Analyses text into index terms. An identifier yields its parts and, when it has several, itself joined
 * (`avg_rtt_ms` → avg, rtt, ms, avgrttms) so an exact name still matches best. Korean words yield their stem.
 */
export function analyze(text: string | undefined): string[] {
  if (!text) return [];
  return [...analyzeTextCached(text)];
}

/**
 * Texts seen before: answering re-reads the same descriptions and column names for every question, and splitting a
 * text into words (NFKC, a Unicode regex) costs more than looking it up. Bounded like the word cache.
 */
const textCache = new Map<string, readonly string[]>();
const TEXT_CACHE_MAX = 100_000;
/** Longer texts are rare, mostly read once, and would make the cache heavy. */
const TEXT_CACHE_CHARS = 2_000;

function analyzeTextCached(text: string): readonly string[] {
  const hit = textCache.get(text);
  if (hit) return hit;
  const terms: string[] = [];
  for (const word of words(text)) for (const t of analyzeWordCached(word).terms) terms.push(t);
  if (text.length <= TEXT_CACHE_CHARS) {
    if (textCache.size >= TEXT_CACHE_MAX) textCache.clear();
    textCache.set(text, terms);
  }
  return terms;
}

/**
 * Where the joined compounds of an analysed field are. Analysis writes a compound identifier's parts and then the
 * parts joined (`round trip roundtrip`), so a term that spells out the two or more terms just before it is one: for
 * each term, the index of the first part it joins, or -1 for a term that joins nothing.
 */
export function joinedFrom(tokens: readonly string[]): number[] {
  return tokens.map((term, i) => {
    let acc = '';
    for (let j = i - 1; j >= 0 && acc.length < term.length; j--) {
      acc = tokens[j]! + acc;
      if (acc === term && j < i - 1) return j;
    }
    return -1;
  });
}

/** Analyses text and joins the terms with spaces: the form search documents store. */
export function analyzeToField(...texts: Array<string | undefined>): string {
  const parts: string[] = [];
  for (const t of texts) if (t) for (const term of analyzeTextCached(t)) parts.push(term);
  return parts.join(' ');
}
