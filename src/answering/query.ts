import type { QueryClause, SearchIndex } from '../ports/search-index';
import { analyze, analyzeTokens, hasHangul, lightVerbNoun, words } from '../text/analyze';
import { abbreviationsOf, expansions } from '../text/abbreviations';
import { closestWord, isTransposition } from '../text/fuzzy';
import { typedAcronym } from '../text/initialisms';
import { transliterations } from '../text/loanwords';
import type { Alternative, Vocabulary } from '../text/vocabulary';
import { CUE_WORDS, INTENT_WORDS } from './intent';

/** What the search index knows, for typo correction and term weights. */
export interface IndexStats {
  /** Every indexed term with its document frequency. */
  vocabulary: ReadonlyMap<string, number>;
  /** Number of indexed documents. */
  documents: number;
}

/** One thing the person asked about: a word or phrase they typed, and the other ways to say it. */
export interface Concept {
  /** The words as typed (for explanations). */
  label: string;
  /** Indexes of the raw words (see `words`) the concept was typed as. */
  words: number[];
  /** The typed terms, analysed, stop words left out. */
  typed: string[];
  /** Compound forms of typed identifiers (`avgrttms`). */
  joined: string[];
  alternatives: Alternative[];
  /** Set when a typed word was corrected against the vocabulary (`regoin` → region). */
  corrected?: { from: string; to: string };
  /** Whether the index holds any way of saying it. */
  known: boolean;
  /** How much the concept decides a match: inverse document frequency of its best-known term. */
  weight: number;
  /** When it was typed as an acronym (`NDR`, `L2R`): its symbols, lower-cased, matched against words spelled out. */
  initials?: string;
}

export interface BuiltQuery {
  concepts: Concept[];
  clauses: QueryClause[];
}

/** Boost of a typed word that was corrected: a little below a word typed right. */
const CORRECTED_BOOST = 0.85;
/** Most alternatives searched per concept, best weighted first. */
const MAX_ALTERNATIVES = 12;
/** Most clauses of one query. */
const MAX_CLAUSES = 80;

const cueDictionary = new Map(CUE_WORDS.flatMap((w) => analyze(w)).map((t) => [t, 1]));
/** Words that say what is asked, not about what: never read as a catalog word (`업데이트` is a cue, not `update`). */
const intentTerms = new Set(INTENT_WORDS.flatMap((w) => analyze(w)));
const koreanIntentWords = INTENT_WORDS.filter(hasHangul);
const saysWhatIsAsked = (word: string): boolean => intentTerms.has(word) || koreanIntentWords.some((w) => word.startsWith(w));

const statsCache = new WeakMap<SearchIndex, { stats: Promise<IndexStats>; at: number }>();
/** How long the index's vocabulary is reused before it is read again. */
export const INDEX_STATS_TTL_MS = 30_000;

/** The index's vocabulary and size, cached for `INDEX_STATS_TTL_MS`. */
export function indexStats(search: SearchIndex, nowMs = Date.now()): Promise<IndexStats> {
  const hit = statsCache.get(search);
  if (hit && nowMs - hit.at < INDEX_STATS_TTL_MS) return hit.stats;
  const stats = Promise.all([search.vocabulary(), search.count()]).then(([vocabulary, documents]) => ({ vocabulary, documents }));
  statsCache.set(search, { stats, at: nowMs });
  stats.catch(() => statsCache.delete(search));
  return stats;
}

/** Forgets the cached vocabulary of an index (after a large import, say). */
export function forgetIndexStats(search: SearchIndex): void {
  statsCache.delete(search);
}

export function idf(df: number, documents: number): number {
  return Math.log(1 + Math.max(documents, 1) / Math.max(df, 0.5));
}

interface Part {
  term: string;
  word: number;
  corrected?: { from: string; to: string };
  /** For a negated word nobody indexed (`unpaid`), the known root (`paid`), searched as a synonym. */
  root?: string;
  /** Other indexed ways of writing the word: the catalog's shorthand for it, or further transliterations. */
  also?: string[];
}

/** Weight of another way of writing a word (`prvt` for private, a second transliteration). */
const SPELLING_WEIGHT = 0.8;

/** Weight of the root of a negated word (`paid` for `unpaid`). */
const ROOT_WEIGHT = 0.6;

/**
 * Turns a message into weighted search clauses. Each typed word (stop words aside) is kept at boost 1 and
 * expanded with its synonyms and translations at their vocabulary weights; words the index and the vocabulary
 * do not know are corrected to the closest known word within a few edits; Korean compounds the index does not
 * hold are split into known parts (`일매출` → 일, 매출). Both search engines receive the same clauses.
 */
export function buildQuery(text: string, vocabulary: Vocabulary, stats: IndexStats): BuiltQuery {
  const raw = words(text);
  const tokens = analyzeTokens(text);
  const known = (t: string): boolean => stats.vocabulary.has(t) || vocabulary.terms.has(t) || cueDictionary.has(t);

  const parts: Part[] = [];
  const joinedByWord = new Map<number, string[]>();
  for (const tok of tokens) {
    if (tok.joined) {
      joinedByWord.set(tok.word, [...(joinedByWord.get(tok.word) ?? []), tok.term]);
      continue;
    }
    if (vocabulary.stopwords.has(tok.term) || /^\d+$/.test(tok.term)) {
      parts.push({ term: tok.term, word: tok.word });
      continue;
    }
    if (known(tok.term)) {
      const shorthand = abbreviationsOf(tok.term, stats.vocabulary);
      parts.push({ term: tok.term, word: tok.word, ...(shorthand.length ? { also: shorthand } : {}) });
      continue;
    }
    const noun = hasHangul(tok.term) ? lightVerbNoun((raw[tok.word] ?? tok.term), known) : undefined;
    if (noun) {
      parts.push({ term: noun, word: tok.word });
      continue;
    }
    const split = hasHangul(tok.term) ? splitCompound(tok.term, known) : undefined;
    if (split) {
      for (const term of split) parts.push({ term, word: tok.word });
      continue;
    }
    const typedRaw = (raw[tok.word] ?? tok.term).toLowerCase();
    // a Korean loanword for one of the catalog's English words (`네임스페이스` namespace), or the catalog's word for
    // a shorthand (`acct` account): read as that word, as a correction is
    const spelled = saysWhatIsAsked(tok.term) || saysWhatIsAsked(typedRaw) ? [] : hasHangul(tok.term) ? transliterations(typedRaw, stats.vocabulary) : expansions(tok.term, stats.vocabulary);
    if (spelled.length) {
      const [to, ...others] = spelled as [string, ...string[]];
      const from = hasHangul(tok.term) || analyze(typedRaw).length === 1 ? typedRaw : tok.term;
      parts.push({ term: to, word: tok.word, corrected: { from, to }, ...(others.length ? { also: others } : {}) });
      continue;
    }
    const negated = /^(un|non)([a-z]{4,})$/.exec(tok.term);
    if (negated && known(negated[2]!)) {
      // "unpaid", "nonpayer": the word nobody indexed is about its root ("paid"), which the search keeps as a synonym
      parts.push({ term: tok.term, word: tok.word, root: negated[2]! });
      continue;
    }
    const fix = correct(tok.term, stats.vocabulary, vocabulary.terms);
    const typedWord = (raw[tok.word] ?? tok.term).toLowerCase();
    const from = analyze(typedWord).length === 1 ? typedWord : tok.term;
    parts.push(fix ? { term: fix, word: tok.word, corrected: { from, to: fix } } : { term: tok.term, word: tok.word });
  }

  const concepts: Concept[] = [];
  const seenConcepts = new Set<string>();
  const conceptById = new Map<string, Concept>();
  const seq = parts.map((p) => p.term);
  for (let i = 0; i < parts.length; ) {
    const len = Math.max(1, vocabulary.phraseAt(seq, i));
    const span = parts.slice(i, i + len);
    i += len;
    const typed = [...new Set(span.map((p) => p.term).filter((t) => !vocabulary.stopwords.has(t)))];
    const phraseTerms = span.map((p) => p.term);
    const alternatives = vocabulary.isPhrase(phraseTerms)
      ? vocabulary.alternatives(phraseTerms).filter((a) => a.terms.some((t) => !vocabulary.stopwords.has(t))).slice(0, MAX_ALTERNATIVES)
      : [];
    const root = len === 1 ? span[0]!.root : undefined;
    if (root) alternatives.push({ terms: [root], joined: [], weight: ROOT_WEIGHT }, ...vocabulary.alternatives([root]).slice(0, 4).map((a) => ({ ...a, weight: a.weight * ROOT_WEIGHT })));
    if (len === 1) for (const other of span[0]!.also ?? []) alternatives.push({ terms: [other], joined: [], weight: SPELLING_WEIGHT });
    if (!typed.length && !(len > 1 && alternatives.length)) continue;
    const id = `${typed.join(' ')}|${phraseTerms.join(' ')}`;
    const corrected = span.find((p) => p.corrected)?.corrected;
    if (seenConcepts.has(id)) {
      // typed again, spelled right ("renwal opps ... for the renewals team"): the word was meant, not guessed
      const first = conceptById.get(id);
      if (first && !corrected) delete first.corrected;
      continue;
    }
    seenConcepts.add(id);
    const wordIdx = [...new Set(span.map((p) => p.word))];
    const joined = len === 1 ? (joinedByWord.get(span[0]!.word) ?? []).filter((j) => !vocabulary.stopwords.has(j)) : [];
    // a concept is as specific as its most common way of being said: "daily" stays common however it is written
    const df = (terms: string[]): number => Math.min(...terms.map((t) => stats.vocabulary.get(t) ?? 0));
    const formDfs = [
      ...(typed.length ? [df(typed)] : []),
      ...joined.map((j) => df([j])),
      ...alternatives.filter((a) => a.weight >= 0.6).map((a) => Math.max(df(a.terms), ...a.joined.map((j) => df([j])))),
    ];
    const isKnown = formDfs.some((d) => d > 0) || alternatives.some((a) => df(a.terms) > 0);
    if (!isKnown && typed.length === 1 && looksInflected(typed[0]!)) continue;
    const weight = idf(isKnown ? Math.max(1, ...formDfs) : 0, stats.documents);
    const concept: Concept = {
      label: wordIdx.map((w) => raw[w]).join(' '),
      words: wordIdx,
      typed,
      joined,
      alternatives,
      ...(corrected ? { corrected } : {}),
      known: isKnown,
      weight,
    };
    concepts.push(concept);
    conceptById.set(id, concept);
  }

  concepts.push(...acronymConcepts(parts, raw, vocabulary, stats, seenConcepts));
  markTypedAcronyms(concepts, raw);

  // a word that is itself asked about is not also a synonym of another word asked about ("purchase transactions"):
  // one word in a document must not satisfy two concepts
  const typedKeys = new Set(concepts.map((c) => c.typed.join(' ')));
  for (const c of concepts) {
    c.alternatives = c.alternatives.filter((a) => !typedKeys.has(a.terms.join(' ')));
  }

  const boosts = new Map<string, number>();
  const put = (term: string, boost: number): void => {
    if (!term || vocabulary.stopwords.has(term)) return;
    if ((boosts.get(term) ?? 0) < boost) boosts.set(term, boost);
  };
  for (const c of concepts) {
    for (const t of c.typed) put(t, c.corrected && c.corrected.to === t ? CORRECTED_BOOST : 1);
    for (const j of c.joined) put(j, 1);
  }
  for (const c of concepts) {
    for (const a of c.alternatives) {
      const content = a.terms.filter((t) => !vocabulary.stopwords.has(t));
      const each = a.weight / Math.sqrt(Math.max(1, content.length));
      for (const t of content) put(t, each);
      for (const j of a.joined) put(j, a.weight);
    }
  }
  const clauses = [...boosts.entries()]
    .map(([term, boost]) => ({ term, boost: Math.round(boost * 1000) / 1000 }))
    .sort((a, b) => b.boost - a.boost || a.term.localeCompare(b.term))
    .slice(0, MAX_CLAUSES);
  return { concepts, clauses };
}

/** Weight of an acronym of the question's words (`arr` for "annualized recurring revenue") as a way to say them. */
const ACRONYM_WEIGHT = 0.9;

/**
 * Catalogs name things by acronym (`arr`, `dau`, `clv`) where people spell them out: three or four words in a row
 * whose initials are an indexed term become one more concept, said by that acronym.
 */
function acronymConcepts(parts: Part[], raw: string[], vocabulary: Vocabulary, stats: IndexStats, seen: Set<string>): Concept[] {
  const out: Concept[] = [];
  const content = parts.filter((p, i) => /^[a-z]+$/.test(p.term) && !vocabulary.stopwords.has(p.term) && !intentTerms.has(p.term) && !cueDictionary.has(p.term) && parts.findIndex((q) => q.word === p.word) === i);
  for (let i = 0; i < content.length; i++) {
    for (let len = 4; len >= 3; len--) {
      const span = content.slice(i, i + len);
      if (span.length < len || span.some((p, k) => k > 0 && p.word !== span[k - 1]!.word + 1)) continue;
      const acronym = span.map((p) => p.term[0]).join('');
      const df = stats.vocabulary.get(acronym);
      const id = `|acronym ${acronym}`;
      if (!df || seen.has(id)) continue;
      seen.add(id);
      out.push({ label: span.map((p) => raw[p.word]).join(' '), words: span.map((p) => p.word), typed: [], joined: [], alternatives: [{ terms: [acronym], joined: [], weight: ACRONYM_WEIGHT }], known: true, weight: idf(df, stats.documents) });
    }
  }
  return out;
}

/** Gives the concepts typed as an acronym-like word alone (`NDR`; `L2R` is two: its letters and itself) that acronym. */
function markTypedAcronyms(concepts: Concept[], raw: string[]): void {
  for (const c of concepts) {
    const initials = c.words.length === 1 ? typedAcronym(raw[c.words[0]!] ?? '') : undefined;
    if (initials) c.initials = initials;
  }
}

/**
 * Whether a word nobody indexed reads as an inflected verb or adverb (`많은지`, `보려면`, `broken`) rather than a
 * noun: such words say nothing about which table is meant, so they neither search nor count against a match.
 */
export function looksInflected(term: string): boolean {
  if (hasHangul(term)) return /(다|요|지|면|고|게|서|니|까|죠|네|데|던|며|려|음|함|됨|는|은|을|할|한|된|께|랑)$/.test(term);
  return term.length > 4 && /(ing|ed|ly)$/.test(term);
}

/** Splits an unknown Korean word into two known words, the most balanced split first. */
function splitCompound(term: string, known: (t: string) => boolean): string[] | undefined {
  const chars = [...term];
  if (chars.length < 3) return undefined;
  const splits: Array<[string, string]> = [];
  for (let i = 1; i < chars.length; i++) splits.push([chars.slice(0, i).join(''), chars.slice(i).join('')]);
  splits.sort((a, b) => Math.abs(a[0].length - a[1].length) - Math.abs(b[0].length - b[1].length));
  for (const [a, b] of splits) {
    if (known(a) && known(b) && (a.length >= 2 || b.length >= 2)) return [a, b];
  }
  return undefined;
}

/** Whether an indexed term is identifier parts joined together (`launchcnt`): never a correction target. */
function isCompound(term: string, index: ReadonlyMap<string, number>, depth = 3): boolean {
  if (depth <= 0) return false;
  for (let i = 2; i <= term.length - 2; i++) {
    const head = term.slice(0, i);
    const tail = term.slice(i);
    if (index.has(head) && (index.has(tail) || isCompound(tail, index, depth - 1))) return true;
  }
  return false;
}

/**
 * The closest known word to a typed word nobody knows: from the index's words (what can match), the vocabulary's
 * and the cue words. Five-letter words are only corrected for a swap of two neighbours (`pnig` stays, `regoin`
 * → region); compounds of identifier parts are never targets.
 */
function correct(term: string, index: ReadonlyMap<string, number>, vocab: ReadonlyMap<string, number>): string | undefined {
  if (/\d/.test(term) || looksInflected(term)) return undefined;
  const candidates = [closestWord(term, index), closestWord(term, vocab), closestWord(term, cueDictionary)]
    .filter((x): x is NonNullable<typeof x> => !!x)
    .filter((x) => !(index.has(x.word) && !vocab.has(x.word) && isCompound(x.word, index)))
    .filter((x) => hasHangul(term) || term.length > 5 || isTransposition(term, x.word))
    .sort((x, y) => x.distance - y.distance);
  return candidates[0]?.word;
}

/** Every term a concept can be said in: as typed, joined, and through each of its alternatives. */
export function conceptTerms(concept: Concept): string[] {
  return [...concept.typed, ...concept.joined, ...concept.alternatives.flatMap((a) => [...a.terms, ...a.joined])];
}

/** The analysed terms of a concept that a document holding `terms` matches, with the match's strength. */
export function conceptMatch(concept: Concept, terms: ReadonlySet<string>): { strength: number; term?: string } {
  let best: { strength: number; term?: string } = { strength: 0 };
  const joinedHit = concept.joined.find((j) => terms.has(j));
  if (joinedHit) return { strength: 1, term: joinedHit };
  const present = concept.typed.filter((t) => terms.has(t));
  if (present.length) {
    const strength = (present.length / concept.typed.length) * (concept.corrected && present.includes(concept.corrected.to) ? CORRECTED_BOOST : 1);
    best = { strength, term: present.join(' ') };
    if (strength >= 1) return best;
  }
  for (const a of concept.alternatives) {
    const hit = a.terms.every((t) => terms.has(t)) || a.joined.some((j) => terms.has(j));
    if (hit && a.weight > best.strength) best = { strength: a.weight, term: a.terms.join(' ') };
  }
  return best;
}
