import type { IsoTime } from '../domain/model';
import type { SearchDocument } from '../ports/search-index';
import { FIELD_WEIGHTS } from '../ports/search-index';
import { joinedFrom } from '../text/analyze';
import { priorFactor } from '../search/ranking';
import type { MatchField, MatchReason } from './types';
import type { Concept } from './query';
import { sideBySide } from './proximity';
import { identifierRuns, spelledOut } from '../text/initialisms';

/**
 * Concept-level re-ranking of search candidates. The engines score each clause separately, so a document that
 * says one thing three ways (daily, 일별, 일간) outscores one that says three things once. Here each concept the
 * person asked about counts once — through its best form in its best field — weighted by how specific it is,
 * then the shared ranking priors apply. The engines choose the candidates; this orders them, the same way
 * whichever engine served them.
 */

export const FIELDS: MatchField[] = ['name', 'tags', 'columns', 'description', 'path'];

/** A candidate document's analysed fields as token sequences. */
export interface CandidateText {
  doc: SearchDocument;
  fields: Record<MatchField, string[]>;
}

export interface RankedCandidate {
  key: string;
  kind: SearchDocument['kind'];
  score: number;
  coverage: number;
  /** The summed weight of the concepts covered (how specific the match is, not just how complete). */
  covered: number;
  why: MatchReason[];
}

/** A match through a form at least this strong covers its concept fully. */
const FULL_COVER_STRENGTH = 0.7;
/** How much a phrase counts when its words are in the document but not next to each other. */
const SCATTERED_PHRASE = 0.6;
/** Exponent of the coverage factor in the score (0 turns it off). */
const COORDINATION = 0.5;
const K1 = 1.2;
const B = 0.75;

interface FieldIndex {
  tokens: string[];
  /** The question's terms this field holds (the only ones ever looked up). */
  set: ReadonlySet<string>;
  /** Positions of tokens that are parts (not a compound joined back together), for phrase adjacency. */
  readonly parts: string[];
}

/** A field as the re-rank reads it; the phrase positions are worked out only when a phrase is looked for. */
function indexField(tokens: string[], asked: ReadonlySet<string>): FieldIndex {
  const set = new Set<string>();
  for (const t of tokens) if (asked.has(t)) set.add(t);
  let parts: string[] | undefined;
  return {
    tokens,
    set,
    get parts() {
      // a joined compound follows its parts: `round trip roundtrip` — skip it when reading phrases
      if (!parts) {
        const from = joinedFrom(tokens);
        parts = tokens.filter((_, i) => from[i]! < 0);
      }
      return parts;
    },
  };
}

function hasPhrase(field: FieldIndex, terms: string[]): boolean {
  if (terms.length === 1) return field.set.has(terms[0]!);
  if (!terms.every((t) => field.set.has(t))) return false;
  const p = field.parts;
  outer: for (let i = 0; i + terms.length <= p.length; i++) {
    for (let j = 0; j < terms.length; j++) if (p[i + j] !== terms[j]) continue outer;
    return true;
  }
  return false;
}

/** The ways of saying a concept, each with its strength (typed 1, corrected a little less, synonyms their weight). */
function forms(c: Concept): Array<{ terms: string[]; strength: number; typed: boolean }> {
  const out: Array<{ terms: string[]; strength: number; typed: boolean }> = [];
  const typedStrength = c.corrected ? 0.85 : 1;
  if (c.typed.length) out.push({ terms: c.typed, strength: typedStrength, typed: true });
  for (const j of c.joined) out.push({ terms: [j], strength: 1, typed: true });
  for (const a of c.alternatives) {
    out.push({ terms: a.terms, strength: a.weight, typed: false });
    for (const j of a.joined) out.push({ terms: [j], strength: a.weight, typed: false });
  }
  return out;
}

/** Strength of an acronym typed in the question whose words the document spells out side by side (`NDR`). */
const INITIALISM_STRENGTH = 0.8;
/** Fields whose words an acronym can stand for; a spelled-out phrase in a name or column is one identifier's parts. */
const INITIALISM_FIELDS: MatchField[] = ['name', 'columns', 'description'];

/** The best field in which a document spells out an acronym, with the words, or undefined. */
function initialismMatch(initials: string, idx: Record<MatchField, FieldIndex>, norm: Record<MatchField, number>): { field: MatchField; words: string[] } | undefined {
  let best: { field: MatchField; words: string[] } | undefined;
  for (const f of INITIALISM_FIELDS) {
    if (best && norm[f] <= norm[best.field]) continue;
    const words = spelledOut(initials, f === 'description' ? [idx[f].parts] : identifierRuns(idx[f].tokens));
    if (words) best = { field: f, words };
  }
  return best;
}

/** A value for each field. */
function perField<T>(value: (f: MatchField) => T): Record<MatchField, T> {
  const out = {} as Record<MatchField, T>;
  for (const f of FIELDS) out[f] = value(f);
  return out;
}

/** Share of two neighbouring concepts' weight that saying them side by side, in a name or description, adds. */
const PHRASE_BONUS = 0.3;

/**
 * Scores candidates: Σ over concepts of weight × the best (strength × field weight × BM25 length norm) among the
 * concept's forms; a typed phrase matched in part counts its share. Multiplied by the shared priors.
 */
export function rankCandidates(concepts: Concept[], candidates: CandidateText[], now: IsoTime): RankedCandidate[] {
  if (!candidates.length) return [];
  const avg = perField((f) => Math.max(1, candidates.reduce((s, c) => s + c.fields[f].length, 0) / candidates.length));
  const conceptForms = concepts.map(forms);
  const asked = new Set(conceptForms.flatMap((fs) => fs.flatMap((f) => f.terms)));
  const spellsOut = concepts.some((c) => c.initials);
  const conceptWeights = concepts.map((c) => c.weight);
  const totalWeight = concepts.reduce((s, c) => s + c.weight, 0) || 1;
  const sideBySideOf = sideBySide(concepts, conceptWeights);
  const nowMs = Date.parse(now);
  return candidates.map((cand) => {
    const idx = perField((f) => indexField(cand.fields[f], asked));
    // nothing asked is in it, and no acronym to spell out: every concept, and every pair side by side, misses
    if (!spellsOut && FIELDS.every((f) => !idx[f].set.size)) return { key: cand.doc.key, kind: cand.doc.kind, score: 0, coverage: 0, covered: 0, why: [] };
    const norm = perField((f) => (FIELD_WEIGHTS[f] * (K1 + 1)) / (1 + K1 * (1 - B + (B * Math.max(1, idx[f].tokens.length)) / avg[f])));
    let score = 0;
    let covered = 0;
    const why: MatchReason[] = [];
    concepts.forEach((c, ci) => {
      let best = 0;
      let bestStrength = 0;
      let bestField: MatchField | undefined;
      let bestForm: { terms: string[]; typed: boolean } | undefined;
      for (const form of conceptForms[ci]!) {
        for (const f of FIELDS) {
          let strength = 0;
          if (hasPhrase(idx[f], form.terms)) strength = form.strength;
          else if (form.typed && form.terms.length > 1) {
            const present = form.terms.filter((t) => idx[f].set.has(t)).length;
            strength = (form.strength * present) / form.terms.length / 2;
          }
          if (!strength) continue;
          const value = strength * norm[f];
          if (value > best) {
            best = value;
            bestField = f;
            bestForm = form;
          }
          if (strength > bestStrength) bestStrength = strength;
        }
      }
      if (c.initials) {
        const spelled = initialismMatch(c.initials, idx, norm);
        if (spelled && INITIALISM_STRENGTH * norm[spelled.field] > best) {
          best = INITIALISM_STRENGTH * norm[spelled.field];
          bestStrength = Math.max(bestStrength, INITIALISM_STRENGTH);
          bestField = spelled.field;
          bestForm = { terms: spelled.words, typed: false };
        }
      }
      if (!bestField) {
        // a phrase whose words are all there, just not side by side ("payment ... method"): counts, for less
        for (const form of conceptForms[ci]!) {
          if (form.terms.length < 2) continue;
          const fieldsOf = form.terms.map((term) => FIELDS.filter((f) => idx[f].set.has(term)));
          if (fieldsOf.some((fs) => !fs.length)) continue;
          const weakest = fieldsOf.map((fs) => Math.max(...fs.map((f) => norm[f]))).reduce((a, b) => Math.min(a, b));
          const strength = form.strength * SCATTERED_PHRASE;
          const value = strength * weakest;
          if (value > best) {
            best = value;
            bestStrength = strength;
            bestField = fieldsOf[0]!.reduce((a, f) => (norm[f] > norm[a] ? f : a));
            bestForm = form;
          }
        }
      }
      if (!bestField || !bestForm) return;
      score += c.weight * best;
      // for coverage a synonym or translation says the thing as well as the typed word (a Korean question about an
      // English catalog is as well covered as an English one); weaker relations count in part
      covered += c.weight * Math.min(1, bestStrength / FULL_COVER_STRENGTH);
      const via = bestForm.typed ? undefined : bestForm.terms.join(' ');
      why.push({ word: c.label, field: bestField, ...(via ? { via } : {}) });
    });
    for (const f of ['name', 'description'] as const) score += PHRASE_BONUS * norm[f] * sideBySideOf(idx[f].tokens, f === 'name');
    const prior = priorFactor({ ...cand.doc, textScore: 0 }, nowMs);
    const coverage = covered / totalWeight;
    // Lucene's old coordination factor: a document that covers more of the question ranks higher
    return { key: cand.doc.key, kind: cand.doc.kind, score: score * prior * Math.pow(coverage, COORDINATION), coverage, covered, why };
  });
}
