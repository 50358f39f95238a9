import type { SearchFields } from '../ports/search-index';
import { FIELD_WEIGHTS } from '../ports/search-index';
import { bestK } from './vectors';

const FIELDS = Object.keys(FIELD_WEIGHTS) as Array<keyof SearchFields>;
const WEIGHTS = FIELDS.map((f) => FIELD_WEIGHTS[f]);
const K1 = 1.2;
const B = 0.75;

/** Postings of one term in one field: parallel lists of document ordinals and term frequencies. */
interface FieldPostings {
  docs: number[];
  tfs: number[];
}

/**
 * An in-memory BM25F index over the five search fields, scoring a term the way Elasticsearch's
 * `combined_fields` query (Lucene's CombinedFieldQuery) does: term frequencies and field lengths are summed with
 * the field weights, the document frequency is the largest over the fields, and
 * `score = idf × tf / (tf + k1 × (1 − b + b × len / avgLen))` with `idf = ln(1 + (N − df + 0.5) / (df + 0.5))`.
 * Sharing the formula is what lets the embedded and Elasticsearch backends rank alike.
 *
 * Replaced documents are tombstoned and their ordinals reused only after `compact()`.
 */
export class Bm25fIndex {
  private readonly ordinals = new Map<string, number>();
  private readonly keys: Array<string | undefined> = [];
  private readonly lengths: number[] = [];
  /** Each document's group (the adapter's kind), so a search can keep to some groups without a lookup per key. */
  private readonly groups: number[] = [];
  private readonly groupCounts = new Map<number, number>();
  private readonly postings = new Map<string, Array<FieldPostings | undefined>>();
  private live = 0;
  private dead = 0;
  private weightedLengthSum = 0;
  /** Per-document scratch for a search, zero between searches (a search puts back what it touched). */
  private scratch = { scores: new Float64Array(0), termFreq: new Float64Array(0) };

  get size(): number {
    return this.live;
  }

  /** Adds or replaces a document, in `group` (0 unless told). */
  put(key: string, fields: SearchFields, group = 0): void {
    this.delete(key);
    const ordinal = this.keys.length;
    this.keys.push(key);
    this.groups.push(group);
    this.groupCounts.set(group, (this.groupCounts.get(group) ?? 0) + 1);
    this.ordinals.set(key, ordinal);
    let weightedLength = 0;
    FIELDS.forEach((field, f) => {
      const terms = fields[field] ? fields[field].split(' ').filter(Boolean) : [];
      weightedLength += WEIGHTS[f]! * terms.length;
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let perField = this.postings.get(term);
        if (!perField) this.postings.set(term, (perField = []));
        const list = (perField[f] ??= { docs: [], tfs: [] });
        list.docs.push(ordinal);
        list.tfs.push(tf);
      }
    });
    this.lengths.push(weightedLength);
    this.weightedLengthSum += weightedLength;
    this.live++;
  }

  delete(key: string): void {
    const ordinal = this.ordinals.get(key);
    if (ordinal === undefined) return;
    this.ordinals.delete(key);
    this.keys[ordinal] = undefined;
    const group = this.groups[ordinal]!;
    this.groupCounts.set(group, this.groupCounts.get(group)! - 1);
    this.weightedLengthSum -= this.lengths[ordinal]!;
    this.live--;
    this.dead++;
    if (this.dead > 1000 && this.dead > this.live) this.compact();
  }

  /**
   * Scores documents against weighted terms and returns the best `limit` as `[key, score]`, highest first:
   * each document's score is the sum over terms of `boost × BM25F(term)`. With `groups`, only documents in them.
   */
  search(clauses: Array<{ term: string; boost: number }>, limit: number, groups?: ReadonlySet<number>): Array<[string, number]> {
    if (this.live === 0) return [];
    const everyGroup = !groups || [...this.groupCounts].every(([g, n]) => n === 0 || groups.has(g));
    if (this.scratch.scores.length < this.keys.length) {
      const size = Math.max(this.keys.length, 2 * this.scratch.scores.length);
      this.scratch = { scores: new Float64Array(size), termFreq: new Float64Array(size) };
    }
    const { scores, termFreq } = this.scratch;
    const touched: number[] = [];
    const avgLength = this.weightedLengthSum / this.live || 1;
    for (const { term, boost } of clauses) {
      const perField = this.postings.get(term);
      if (!perField) continue;
      const holders: number[] = [];
      let df = 0;
      for (let f = 0; f < perField.length; f++) {
        const list = perField[f];
        if (!list) continue;
        let fieldDf = 0;
        for (let i = 0; i < list.docs.length; i++) {
          const doc = list.docs[i]!;
          if (this.keys[doc] === undefined) continue;
          fieldDf++;
          if (termFreq[doc] === 0) holders.push(doc);
          termFreq[doc] = termFreq[doc]! + WEIGHTS[f]! * list.tfs[i]!;
        }
        if (fieldDf > df) df = fieldDf;
      }
      if (df === 0) continue;
      const idf = Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
      for (const doc of holders) {
        const freq = termFreq[doc]!;
        termFreq[doc] = 0;
        const norm = K1 * (1 - B + (B * this.lengths[doc]!) / avgLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + (boost * idf * freq) / (freq + norm);
      }
    }
    // the best `limit` in a bounded heap, not a sort of every document holding a term; equal scores keep the order
    // in which their documents were first scored, as a stable sort of them all would
    const eligible: number[] = [];
    for (let i = 0; i < touched.length; i++) if (scores[touched[i]!]! > 0 && (everyGroup || groups!.has(this.groups[touched[i]!]!))) eligible.push(i);
    const best = bestK(eligible, (i) => scores[touched[i]!]!, limit, (a, b) => a - b).map(({ item: i, score }): [string, number] => [this.keys[touched[i]!]!, score]);
    for (const doc of touched) scores[doc] = 0;
    return best;
  }

  /** Each term with the number of live documents holding it in any field. */
  vocabulary(into: Map<string, number> = new Map()): Map<string, number> {
    for (const [term, perField] of this.postings) {
      const docs = new Set<number>();
      for (const list of perField) for (const d of list?.docs ?? []) if (this.keys[d] !== undefined) docs.add(d);
      if (docs.size) into.set(term, (into.get(term) ?? 0) + docs.size);
    }
    return into;
  }

  /** Drops tombstoned documents from the postings. */
  compact(): void {
    const remap = new Map<number, number>();
    const keys = this.keys.splice(0);
    const lengths = this.lengths.splice(0);
    const groups = this.groups.splice(0);
    keys.forEach((key, old) => {
      if (key === undefined) return;
      remap.set(old, this.keys.length);
      this.ordinals.set(key, this.keys.length);
      this.keys.push(key);
      this.lengths.push(lengths[old]!);
      this.groups.push(groups[old]!);
    });
    for (const [term, perField] of this.postings) {
      let any = false;
      for (const list of perField) {
        if (!list) continue;
        const docs: number[] = [];
        const tfs: number[] = [];
        list.docs.forEach((d, i) => {
          const n = remap.get(d);
          if (n !== undefined) {
            docs.push(n);
            tfs.push(list.tfs[i]!);
          }
        });
        list.docs = docs;
        list.tfs = tfs;
        any ||= docs.length > 0;
      }
      if (!any) this.postings.delete(term);
    }
    this.dead = 0;
  }
}
