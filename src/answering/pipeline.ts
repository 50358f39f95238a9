import { inferCadence } from '../domain/load-history';
import type { Dashboard, Table } from '../domain/model';
import { effectiveColumnDescription, effectiveDescription, effectiveOwners, effectiveTags, lastUpdate, totalReads } from '../domain/model';
import type { SearchDocument, SearchKind } from '../ports/search-index';
import { dashboardToSearchDocument, tableToSearchDocument } from '../search/document';
import { analyze, splitIdentifier, words } from '../text/analyze';
import { sampleRank } from '../search/vectors';
import { columnKey } from '../domain/keys';
import { closestWord, editDistance } from '../text/fuzzy';
import type { Vocabulary } from '../text/vocabulary';
import { bundledVocabulary } from '../text/vocabulary';
import type { Answer, AnswerCommon, AnswerRefs, AnsweringDeps, AskedKind, ColumnInfo, FindEvidence, FoundItem, HelpExamples, Lang, Question, SubjectResolution } from './types';
import type { TableDirectory, TableEntry } from './directory';
import { tableDirectory } from './directory';
import type { Cues } from './intent';
import { attributeCandidates, isGreeting, type Attribute, type Intent } from './intents';
import { intentSimilarities } from './classify';
import { peopleDirectory, type PersonMention } from './people';
import { CUE_WORDS, INTENT_WORDS, MENTION, readCues } from './intent';
import type { Mention } from './mentions';
import { findMentions } from './mentions';
import { cleanMessage, detectLang } from './normalize';
import type { BuiltQuery, Concept, IndexStats } from './query';
import { negatedTerms } from './negation';
import { sideBySideWeight } from './proximity';
import { buildQuery, conceptMatch, conceptTerms, idf, indexStats } from './query';
import { fuse } from './hybrid';
import { grainConcepts, grainShare, grainTerms } from './grain';
import { variantsAfterBase } from './variants';
import { DEFAULT_FIND_TUNING } from './tuning';
import { backgroundOf, embedQuestion, sameSpace, type Background } from './meaning';
import { priorFactor } from '../search/ranking';
import type { VectorHit } from '../ports/vector-index';
import type { CandidateText } from './rank';
import { FIELDS, rankCandidates } from './rank';
import { failedRun } from './runs';
import { candidateCache, type CandidateCache, type ReadCandidate } from './candidate-cache';

export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

/** How many results a `find` answer carries. */
const FIND_RESULTS = 10;
/** How many search hits are re-read and re-ranked by how much of the question they cover. */
const RERANK_POOL = 30;
/** Share of the question's concepts the best result must cover to be offered as the answer. */
const CONFIDENT_COVERAGE = 0.5;
/**
 * A confident match must also be specific: the concepts it covers must together weigh at least as much as a word
 * found in this share of all documents (so "user table?" alone is too vague to answer).
 */
const MIN_SPECIFIC_SHARE = 0.1;

type Body = DistributiveOmit<Answer, keyof AnswerCommon>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Whether the cues ask something about a table (a row count too). */
function asksAboutTable(cues: Cues): boolean {
  return !!cues.noData || attributeCandidates(cues).length > 0;
}

const analysedCueWords = new Set([...CUE_WORDS, ...INTENT_WORDS].flatMap((w) => analyze(w)));
const cueWordList = new Map(CUE_WORDS.map((w) => [w, 1]));

/** Collects what an answer names and loads it once at the end, for renderers. */
class Refs {
  readonly tables = new Set<string>();
  readonly dashboards = new Set<string>();
  readonly users = new Set<string>();
  readonly loaded = new Map<string, Table>();
  readonly loadedDashboards = new Map<string, Dashboard>();

  table(key: string | undefined): void {
    if (key) this.tables.add(key);
  }

  async load(deps: AnsweringDeps): Promise<AnswerRefs> {
    const missing = [...this.tables].filter((k) => !this.loaded.has(k));
    const missingDashboards = [...this.dashboards].filter((k) => !this.loadedDashboards.has(k));
    const [tables, fetchedDashboards, users] = await Promise.all([
      missing.length ? deps.graph.getTables(missing) : Promise.resolve([]),
      missingDashboards.length ? deps.graph.getDashboards(missingDashboards) : Promise.resolve([]),
      this.users.size ? deps.graph.getUsers([...this.users]) : Promise.resolve([]),
    ]);
    for (const t of tables) this.loaded.set(t.key, t);
    const refs: AnswerRefs = { tables: {}, dashboards: {}, users: {} };
    for (const key of this.tables) {
      const t = this.loaded.get(key);
      if (!t) continue;
      const description = effectiveDescription(t);
      const last = lastUpdate(t);
      refs.tables[key] = {
        key,
        name: t.name,
        database: t.database,
        cluster: t.cluster,
        schema: t.schema,
        ...(description ? { description } : {}),
        tags: [...effectiveTags(t)],
        badges: [...t.badges],
        deprecated: t.deprecated,
        ...(last ? { lastUpdatedAt: last } : {}),
      };
    }
    for (const d of fetchedDashboards) this.loadedDashboards.set(d.key, d);
    for (const key of this.dashboards) {
      const d = this.loadedDashboards.get(key);
      if (!d) continue;
      refs.dashboards[d.key] = { key: d.key, name: d.name, ...(d.description ? { description: d.description } : {}), ...(d.url ? { url: d.url } : {}) };
    }
    for (const u of users) {
      refs.users[u.id] = { id: u.id, name: u.name, ...(u.slackId ? { slackId: u.slackId } : {}), ...(u.team ? { team: u.team } : {}), ...(u.email ? { email: u.email } : {}) };
    }
    return refs;
  }
}

interface Ctx {
  deps: AnsweringDeps;
  /** The message as cleaned: its meaning is embedded once and serves every reading of it. */
  message: string;
  /** The table the conversation is about, once looked up. */
  context?: Promise<Subject | undefined>;
  /** The vector of a text, embedded once per question (undefined: meaning unavailable). */
  embed(text: string): Promise<Float32Array | undefined>;
  now: Date;
  timeZone: string;
  vocabulary: Vocabulary;
  directory: TableDirectory;
  stats: IndexStats;
  refs: Refs;
  /** The candidates kept from earlier answers, looked up once per message (one read of the store's change token). */
  candidates: Promise<CandidateCache | undefined>;
}

interface Subject {
  table: Table;
  resolution: SubjectResolution;
}

interface FindOutcome {
  built: BuiltQuery;
  results: FoundItem[];
  /** The best result is the answer. */
  confident: boolean;
  /** `answer`: the best result is clearly it; `guess`: likely ones, offered as guesses; `unknown`: the catalog lacks it. */
  verdict: 'answer' | 'guess' | 'unknown';
  kinds: SearchKind[];
  evidence?: FindEvidence;
}

/** Replaces table mentions with the placeholder, so table names never read as cues. */
function mask(text: string, mentions: Mention[]): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += `${text.slice(at, m.start)} ${MENTION} `;
    at = m.end;
  }
  return (out + text.slice(at)).replace(/\s+/g, ' ').trim();
}

/** Removes the mentions from a text (for searching the rest). */
function withoutMentions(text: string, mentions: Mention[]): string {
  return mask(text, mentions).split(MENTION).join(' ');
}

/** Corrects misspelt English cue words ("frequncy" → frequency) that neither the index nor the vocabulary knows. */
function correctCueTypos(text: string, ctx: Ctx): string {
  return text.replace(/[A-Za-z]{4,}/g, (w) => {
    const lower = w.toLowerCase();
    if (cueWordList.has(lower)) return w;
    const terms = analyze(lower);
    if (terms.every((t) => ctx.stats.vocabulary.has(t) || ctx.vocabulary.terms.has(t))) return w;
    return closestWord(lower, cueWordList)?.word ?? w;
  });
}

function columnInfo(c: Table['columns'][number]): ColumnInfo {
  const description = effectiveColumnDescription(c);
  return { name: c.name, type: c.type, ...(description ? { description } : {}) };
}

function candidateText(doc: SearchDocument): CandidateText {
  return { doc, fields: Object.fromEntries(FIELDS.map((f) => [f, doc.fields[f].split(' ').filter(Boolean)])) as CandidateText['fields'] };
}

/** How many candidates the dense path proposes. */
const DENSE_POOL = 100;

interface Candidate {
  text: CandidateText;
  prior: number;
}

/** The hits not seen yet, each key once, in order; marks them seen. */
function distinctNew(hits: Array<{ key: string; kind: SearchKind }>, seen: Set<string>): Array<{ key: string; kind: SearchKind }> {
  const out: Array<{ key: string; kind: SearchKind }> = [];
  for (const h of hits) if (!seen.has(h.key) && seen.add(h.key)) out.push({ key: h.key, kind: h.kind });
  return out;
}

/**
 * The candidates of some hits, read from the graph store and analysed, in the hits' order (removed ones left out).
 * What was read and analysed for an earlier answer is reused while the store's change token stays the same.
 */
async function candidatesFor(keys: Array<{ key: string; kind: SearchKind }>, ctx: Ctx): Promise<Candidate[]> {
  if (!keys.length) return [];
  const cache = await ctx.candidates;
  const loadedOf = (kind: SearchKind): Map<string, Table | Dashboard> => (kind === 'table' ? ctx.refs.loaded : ctx.refs.loadedDashboards);
  const reads = new Map<string, ReadCandidate>();
  for (const { key, kind } of keys) {
    const hit = cache?.get(kind, key);
    const loaded = loadedOf(kind).get(key);
    if (hit && (!loaded || loaded === hit.entity)) reads.set(key, hit);
  }
  const unread = (kind: SearchKind): string[] => keys.filter((h) => h.kind === kind && !reads.has(h.key) && !loadedOf(kind).has(h.key)).map((h) => h.key);
  const tableKeys = unread('table');
  const dashKeys = unread('dashboard');
  const [tables, dashboards] = await Promise.all([
    tableKeys.length ? ctx.deps.graph.getTables(tableKeys) : Promise.resolve([] as Table[]),
    dashKeys.length ? ctx.deps.graph.getDashboards(dashKeys) : Promise.resolve([] as Dashboard[]),
  ]);
  for (const t of tables) ctx.refs.loaded.set(t.key, t);
  for (const d of dashboards) ctx.refs.loadedDashboards.set(d.key, d);
  const nowMs = ctx.now.getTime();
  const out: Candidate[] = [];
  for (const { key, kind } of keys) {
    let read = reads.get(key);
    if (read && kind === 'table') ctx.refs.loaded.set(key, read.entity as Table);
    else if (read) ctx.refs.loadedDashboards.set(key, read.entity as Dashboard);
    else {
      const entity = loadedOf(kind).get(key);
      if (!entity) continue;
      const doc = kind === 'table' ? tableToSearchDocument(entity as Table) : dashboardToSearchDocument(entity as Dashboard);
      read = { entity, doc, text: candidateText(doc) };
      cache?.set(kind, key, read);
    }
    if (read.entity.removedAt) continue;
    out.push({ text: read.text, prior: priorFactor({ ...read.doc, textScore: 0 }, nowMs) });
  }
  return out;
}

/** The question's vector for the dense path, when meaning is available and the index is in its space. */
async function denseHits(text: string, kinds: SearchKind[], ctx: Ctx): Promise<{ vector: Float32Array; hits: VectorHit[]; background?: Background } | undefined> {
  const meaning = ctx.deps.meaning;
  const vector = await ctx.embed(text);
  if (!meaning || !vector || !(await sameSpace(meaning, vector))) return undefined;
  const [hits, background] = await Promise.all([
    meaning.vectors.nearest({ vector, limit: DENSE_POOL, kinds }),
    backgroundOf(vector, meaning, kinds.includes('table') ? 'table' : 'dashboard'),
  ]);
  return { vector, hits, ...(background ? { background } : {}) };
}

/** Each of these tables' best similarity of one of its columns to the question (tables without column vectors left out). */
async function bestColumns(vector: Float32Array, tables: string[], ctx: Ctx): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  if (!ctx.deps.meaning || !tables.length) return best;
  const hits = await ctx.deps.meaning.vectors.nearest({ vector, limit: tables.length, kinds: ['column'], parents: tables, onePerParent: true });
  for (const h of hits) if (h.parent !== undefined) best.set(h.parent, h.similarity);
  return best;
}

/** The analysed terms of every way the concepts are said: typed, joined, and their alternatives. */
function askedTerms(concepts: readonly Concept[]): Set<string> {
  return new Set(concepts.flatMap(conceptTerms));
}

/** How much more a table counts lexically when its leading key columns say every grain the question asks for. */
const GRAIN_BONUS = 0.5;

/** The lexical scores with each table's grain weighed in (see `grain.ts`); unchanged when the question names none. */
function atGrain<T extends { key: string; kind: SearchKind; score: number }>(ranked: T[], grain: Concept[], ctx: Ctx): T[] {
  if (!grain.length) return ranked;
  return ranked.map((r) => {
    const table = r.kind === 'table' ? ctx.refs.loaded.get(r.key) : undefined;
    return table ? { ...r, score: r.score * (1 + GRAIN_BONUS * grainShare(grain, grainTerms(table))) } : r;
  });
}

/**
 * Searches the catalog for what a message describes. The lexical path: search clauses, then a concept-level re-rank
 * of the candidates by how much of the question each covers. The dense path, when there is an embeddings server:
 * the nearest vectors to the question. Both are fused; then the evidence decides between an answer, guesses, or "I
 * don't know": only when neither the words nor the meaning find anything specific does the catalog lack it.
 */
async function runFind(text: string, kinds: SearchKind[], ctx: Ctx, drop: ReadonlySet<string> = new Set(), limit = FIND_RESULTS, meaningOf = text): Promise<FindOutcome> {
  const tuning = { ...DEFAULT_FIND_TUNING, ...ctx.deps.tuning };
  const full = buildQuery(text, ctx.vocabulary, ctx.stats);
  const negated = negatedTerms(text);
  const wanted = (c: Concept): boolean => !c.typed.length || c.typed.some((t) => !drop.has(t) && !negated.has(t));
  const concepts = weighBySentence(text, full.concepts.filter(wanted));
  const built: BuiltQuery = {
    concepts,
    clauses: full.clauses.filter((cl) => !drop.has(cl.term) || concepts.some((c) => c.alternatives.some((a) => a.terms.includes(cl.term)))),
  };
  // the two paths are independent until fusion: the lexical candidates are read while the question is embedded
  const densePromise = denseHits(meaningOf, kinds, ctx);
  const hits = built.clauses.length && concepts.length ? await ctx.deps.search.search({ clauses: built.clauses, limit: Math.max(RERANK_POOL, limit), kinds, now: ctx.now.toISOString() }) : [];
  const seen = new Set<string>();
  const lexicalPool = distinctNew(hits, seen);
  const lexicalCandidates = candidatesFor(lexicalPool, ctx);
  // a failed read must not go unobserved while the dense path is awaited; it still fails the answer below
  lexicalCandidates.catch(() => undefined);
  const dense = await densePromise;
  const denseKinds = (dense?.hits ?? []).filter((h): h is VectorHit & { kind: SearchKind } => h.kind === 'table' || h.kind === 'dashboard');
  const densePool = distinctNew(denseKinds, seen);
  const pool = [...lexicalPool, ...densePool];
  if (!pool.length) return { built, results: [], confident: false, verdict: 'unknown', kinds };

  const [fromLexical, fromDense, columnSimilarity] = await Promise.all([
    lexicalCandidates,
    candidatesFor(densePool, ctx),
    dense && tuning.columnWeight > 0 ? bestColumns(dense.vector, pool.filter((p) => p.kind === 'table').map((p) => p.key), ctx) : new Map<string, number>(),
  ]);
  const candidates = [...fromLexical, ...fromDense];
  const nowIso = ctx.now.toISOString();
  const byWords = concepts.length ? rankCandidates(concepts, candidates.map((c) => c.text), nowIso) : candidates.map((c) => ({ key: c.text.doc.key, kind: c.text.doc.kind, score: 0, coverage: 0, covered: 0, why: [] }));
  const lexical = atGrain(byWords, grainConcepts(text, concepts), ctx);
  const byKey = new Map(lexical.map((r) => [r.key, r]));
  const similarity = new Map(denseKinds.map((h) => [h.key, h.similarity]));
  const lexicalHits = new Set(hits.map((h) => h.key));
  const order = dense
    ? fuse(candidates.map((c) => ({ key: c.text.doc.key, lexical: byKey.get(c.text.doc.key)?.score ?? 0, similarity: similarity.get(c.text.doc.key), columnSimilarity: columnSimilarity.get(c.text.doc.key), prior: c.prior })), tuning.lexicalWeight, tuning.columnWeight).map((f) => ({ key: f.key, score: f.score }))
    : [...lexical].sort((a, b) => b.score - a.score || a.key.localeCompare(b.key)).map((r) => ({ key: r.key, score: r.score }));
  const setAside = new Set(negated.size ? candidates.filter((c) => c.text.fields.name.some((t) => negated.has(t))).map((c) => c.text.doc.key) : []);
  const shown = [...order.filter((o) => !setAside.has(o.key)), ...order.filter((o) => setAside.has(o.key))]
    .filter((o) => dense || (byKey.get(o.key)?.score ?? 0) > 0)
    .slice(0, limit)
    .map((o) => ({ ...byKey.get(o.key)!, score: o.score }));
  const ranked = variantsAfterBase(
    shown.map((r) => ({ ...r, name: r.kind === 'table' ? ctx.refs.loaded.get(r.key)?.name : undefined, covers: r.why.map((w) => w.word) })),
    askedTerms(concepts),
  );

  // the evidence
  const minSpecific = idf(ctx.stats.documents * MIN_SPECIFIC_SHARE, ctx.stats.documents);
  const bestLexical = [...lexical].sort((a, b) => b.score - a.score)[0];
  let lexicalConfident = !!bestLexical && bestLexical.score > 0 && bestLexical.coverage >= CONFIDENT_COVERAGE && bestLexical.covered >= minSpecific;
  if (bestLexical && bestLexical.score > 0 && !lexicalConfident) {
    // people add context after the question ("realtime revenue, hourly? launching a new slot today and ..."):
    // the best result is also an answer when it covers one sentence of the message well
    const topText = candidates.find((c) => c.text.doc.key === bestLexical.key)!.text;
    for (const segment of sentences(text)) {
      const part = buildQuery(segment, ctx.vocabulary, ctx.stats).concepts.filter(wanted);
      if (!part.length || part.length === concepts.length) continue;
      const r = rankCandidates(part, [topText], nowIso)[0];
      if (r && r.coverage >= CONFIDENT_COVERAGE && r.covered >= minSpecific) {
        lexicalConfident = true;
        break;
      }
    }
  }
  const lexicalEvident = !!bestLexical && bestLexical.covered >= tuning.lexicalAbstainCovered * minSpecific;
  const topSimilarity = denseKinds[0]?.similarity;
  const denseZ = dense?.background && topSimilarity !== undefined ? (topSimilarity - dense.background.median) / dense.background.spread : undefined;
  let verdict: FindOutcome['verdict'];
  if (!ranked.length) verdict = 'unknown';
  else if (lexicalConfident || (denseZ !== undefined && denseZ >= tuning.denseAnswerZ)) verdict = 'answer';
  else if (lexicalEvident || (denseZ !== undefined && denseZ >= tuning.denseAbstainZ)) verdict = 'guess';
  else verdict = 'unknown';
  // a name glossed in the original ("라인(LINE) 광고 비용") is what is asked about: a best result without it is
  // about something else, unless its meaning alone is unmistakable
  const named = glossedNames(text);
  if (verdict !== 'unknown' && named.length && !(denseZ !== undefined && denseZ >= tuning.denseAnswerZ)) {
    const top = ranked[0];
    const covers = !!top && top.why.some((w) => named.some((n) => analyze(w.word).includes(n) || (w.via !== undefined && analyze(w.via).includes(n))));
    if (!covers) verdict = 'unknown';
  }

  const results: FoundItem[] = ranked.map((r) => {
    const sim = similarity.get(r.key);
    const retrieval: FoundItem['retrieval'] = lexicalHits.has(r.key) && r.coverage > 0 ? (sim !== undefined ? 'both' : 'lexical') : 'meaning';
    return {
      key: r.key,
      kind: r.kind,
      score: Math.round(r.score * 1000) / 1000,
      coverage: Math.round(r.coverage * 1000) / 1000,
      why: r.why,
      retrieval,
      ...(sim !== undefined ? { similarity: Math.round(sim * 1000) / 1000 } : {}),
    };
  });
  const evidence: FindEvidence = {
    verdict,
    lexicalConfident,
    lexicalCovered: bestLexical ? Math.round((bestLexical.covered / minSpecific) * 100) / 100 : 0,
    ...(denseZ !== undefined ? { denseZ: Math.round(denseZ * 100) / 100, denseGap: Math.round((topSimilarity! - dense!.background!.median) * 1000) / 1000 } : {}),
  };
  return { built, results, confident: verdict === 'answer', verdict, kinds, evidence };
}

/** A Korean word with its original spelling after it in brackets (`라인(LINE)`, `휴가(PTO)`): a name, glossed. */
const GLOSS = /[\uac00-\ud7a3]+\(\s*([A-Za-z][A-Za-z0-9 .&-]{1,40}?)\s*\)/g;

/** The analysed terms of the names a message glosses in their original spelling. */
function glossedNames(text: string): string[] {
  return [...text.matchAll(GLOSS)].flatMap((m) => analyze(m[1]!));
}

const SENTENCE_END = /[?!;\n]+|\.(?=\s|$)|\s[-–—]\s|\s\/\s/g;

/** The sentences of a message: split at sentence punctuation and dashes. */
export function sentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** How much a concept from a sentence around the question counts, next to one from the question itself. */
const CONTEXT_WEIGHT = 0.5;

/**
 * Down-weights concepts that only come from context around the question: in "where can I find ping by country?
 * want to see if SEA users have bad ping", the question is the sentence that asks (a question mark or a search
 * cue), and the rest explains why. A message of one sentence, or with no clear question, is left as it is.
 */
function weighBySentence(text: string, concepts: Concept[]): Concept[] {
  const pieces: Array<{ text: string; asks: boolean }> = [];
  let at = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    pieces.push({ text: text.slice(at, m.index), asks: m[0].includes('?') });
    at = m.index! + m[0].length;
  }
  pieces.push({ text: text.slice(at), asks: false });
  const withWords = pieces.map((p) => ({ ...p, count: words(p.text).length, find: readCues(p.text).find })).filter((p) => p.count > 0);
  if (withWords.length < 2) return concepts;
  const sentenceOf: number[] = [];
  withWords.forEach((p, i) => {
    for (let k = 0; k < p.count; k++) sentenceOf.push(i);
  });
  if (sentenceOf.length !== words(text).length) return concepts;
  // the question is the first sentence that asks and says what about ("unpaid invoices - which table": the
  // sentence that asks, "which table", names nothing, so nothing is context)
  const primary = withWords.findIndex((p, i) => (p.asks || p.find) && concepts.some((c) => c.words.some((w) => sentenceOf[w] === i)));
  if (primary < 0) return concepts;
  return concepts.map((c) => (c.words.every((w) => sentenceOf[w] !== primary) ? { ...c, weight: c.weight * CONTEXT_WEIGHT } : c));
}

/** Picks one table among several of the same name: live over removed, current over deprecated, most read. */
async function pickTable(entries: TableEntry[], ctx: Ctx): Promise<{ table: Table; alternatives: string[] } | undefined> {
  const tables = await ctx.deps.graph.getTables(entries.map((e) => e.key));
  for (const t of tables) ctx.refs.loaded.set(t.key, t);
  const sorted = tables.sort(
    (a, b) => Number(!!a.removedAt) - Number(!!b.removedAt) || Number(a.deprecated) - Number(b.deprecated) || totalReads(b) - totalReads(a) || a.key.localeCompare(b.key),
  );
  const table = sorted[0];
  return table && { table, alternatives: sorted.slice(1).map((t) => t.key) };
}

async function subjectFromMention(m: Mention | undefined, from: SubjectResolution['from'], ctx: Ctx): Promise<Subject | undefined> {
  if (!m) return undefined;
  const picked = await pickTable(m.tables, ctx);
  if (!picked) return undefined;
  return {
    table: picked.table,
    resolution: { from, typed: m.text, ...(m.corrected ? { corrected: true } : {}), ...(picked.alternatives.length ? { alternatives: picked.alternatives } : {}) },
  };
}

interface Reading {
  cues: Cues;
  /** The mention that names the table the message is about. */
  subject?: Mention;
  mentions: Mention[];
}

/**
 * Reads a message: its cues (with identifiers masked, so `revenue_monthly` never reads as "monthly") and the
 * mention of its table. An identifier that names a table wins; an ordinary word that happens to be a table's
 * name (`users`, `orders`) counts only when, masked, the rest still asks something about a table.
 */
/** A word right after "per", "by" or "each" says how data is grouped ("per subscription"), not which table. */
const GROUPED_BY = /\b(per|by|each|every|for each|across)\s+$/i;

function readMessage(text: string, ctx: Ctx, contextColumns: ReadonlySet<string> = new Set()): Reading {
  // in a conversation about a table, its columns come first: `net_usd` there is a column, not some other table
  const mentions = findMentions(text, ctx.directory).filter((m) => !contextColumns.has(m.text.slice(m.text.lastIndexOf('.') + 1).toLowerCase()));
  const strong = mentions.filter((m) => m.strong);
  let cues = readCues(correctCueTypos(mask(text, strong), ctx));
  let subject = strong.find((m) => m.tables.length);
  if (!subject) {
    for (const weak of mentions.filter((m) => !m.strong && m.tables.length && !GROUPED_BY.test(text.slice(0, m.start)))) {
      const withWeak = readCues(correctCueTypos(mask(text, [...strong, weak].sort((a, b) => a.start - b.start)), ctx));
      // "parent account 기준으로 … 테이블 있어요?" searches; the word `account` is no table's name there
      if (asksAboutTable(withWeak) && !withWeak.find) {
        subject = weak;
        cues = withWeak;
        break;
      }
    }
  }
  return { cues, ...(subject ? { subject } : {}), mentions };
}

/** The table a thread is about: the newest message naming one, else the best confident match of the newest search. */
async function threadSubject(thread: string[], ctx: Ctx): Promise<Subject | undefined> {
  const cleaned = thread.map(cleanMessage).filter(Boolean).reverse();
  for (const msg of cleaned) {
    const s = await subjectFromMention(readMessage(msg, ctx).subject, 'thread', ctx);
    if (s) return s;
  }
  for (const msg of cleaned) {
    if (asksAboutTable(readCues(msg))) continue;
    const found = await runFind(msg, ['table'], ctx);
    const top = found.results[0];
    if (found.confident && top) {
      const t = ctx.refs.loaded.get(top.key) ?? (await ctx.deps.graph.getTable(top.key));
      if (t) return { table: t, resolution: { from: 'thread' } };
    }
    break;
  }
  return undefined;
}

/** What each pair of the question's neighbouring concepts that a description says side by side adds, in word weights. */
const PHRASE_BONUS = 0.5;

/** Scores a table's columns against what a message asks for; best first. */
function rankColumns(table: Table, text: string, ctx: Ctx): Array<{ column: Table['columns'][number]; score: number }> {
  const built = buildQuery(text, ctx.vocabulary, ctx.stats);
  const concepts = built.concepts.filter((c) => c.typed.some((t) => !analysedCueWords.has(t)) || (!c.typed.length && c.alternatives.length));
  const cols = table.columns.map((c) => {
    const descTokens = analyze(effectiveColumnDescription(c));
    return { column: c, name: new Set(analyze(c.name)), desc: new Set(descTokens), descTokens };
  });
  const weights = concepts.map((concept) => {
    const cf = cols.filter((c) => conceptMatch(concept, c.name).strength || conceptMatch(concept, c.desc).strength).length;
    return Math.log(1 + cols.length / (1 + cf));
  });
  return cols
    .map((c) => {
      let score = 0;
      concepts.forEach((concept, i) => {
        const inName = conceptMatch(concept, c.name).strength;
        const inDesc = conceptMatch(concept, c.desc).strength * 0.8;
        score += weights[i]! * Math.max(inName, inDesc);
      });
      return { column: c.column, score: score + PHRASE_BONUS * 0.8 * sideBySideWeight(concepts, weights, c.descTokens, false) };
    })
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.column.position - b.column.position);
}

/** Columns named in the message: exactly, or within one edit for longer names. */
function namedColumns(table: Table, text: string): Array<Table['columns'][number]> {
  const typed = words(text).map((w) => w.toLowerCase());
  const exact = table.columns.filter((c) => typed.includes(c.name.toLowerCase()));
  if (exact.length) return exact.sort((a, b) => b.name.length - a.name.length);
  const close = table.columns.filter((c) => c.name.length >= 5 && typed.some((w) => w.length >= 5 && editDistance(w, c.name.toLowerCase(), 1) <= 1));
  return close;
}

/** The table's columns nearest in meaning to what the message asks, best first (with an embeddings server). */
async function columnsByMeaning(t: Table, ctx: Ctx): Promise<Array<{ column: Table['columns'][number]; similarity: number }>> {
  const meaning = ctx.deps.meaning;
  if (!meaning || !t.columns.length) return [];
  const vector = await ctx.embed(ctx.message);
  if (!vector || !(await sameSpace(meaning, vector))) return [];
  const hits = await meaning.vectors.nearest({ vector, limit: COLUMN_POOL, kinds: ['column'], parent: t.key });
  const byKey = new Map(t.columns.map((c) => [columnKey(t.key, c.name), c]));
  return hits.flatMap((h) => (byKey.has(h.key) ? [{ column: byKey.get(h.key)!, similarity: h.similarity }] : []));
}

/** Columns of one table the dense path proposes. */
const COLUMN_POOL = 20;

/**
 * A table's columns for a question, best first: the columns its words cover (ties broken by meaning), then the
 * nearest in meaning; by meaning alone when no word matched. Fusing the two as tables are was measured and cost the synthetic sets a
 * tenth of their column answers (a column's few words are a sharper signal than its short passage's vector).
 */
function orderColumns(ranked: Array<{ column: Table['columns'][number]; score: number }>, nearest: Array<{ column: Table['columns'][number]; similarity: number }>): Array<Table['columns'][number]> {
  const similarity = new Map(nearest.map((n) => [n.column.name, n.similarity]));
  // columns the words cannot tell apart (each covers the same words) are told apart by meaning
  const best = ranked[0]?.score ?? 0;
  const tied = ranked.filter((r) => r.score >= best * COLUMN_TIE);
  tied.sort((a, b) => (similarity.get(b.column.name) ?? -1) - (similarity.get(a.column.name) ?? -1));
  const byWords = [...tied, ...ranked.slice(tied.length)].map((r) => r.column);
  return [...byWords, ...nearest.map((n) => n.column).filter((c) => !byWords.includes(c))];
}

/** Lexical column scores this close to the best are a tie. */
const COLUMN_TIE = 0.97;

/**
 * A column question about one table: a column the message names; else the column that best covers the message's
 * words; else, by meaning, the nearest column (Korean and paraphrased questions about English column names);
 * else the column list.
 */
async function answerColumns(subject: Subject, cues: Cues, rest: string, ctx: Ctx): Promise<Body> {
  const t = subject.table;
  const base = { table: t.key, subject: t.key } as const;
  // "which column holds the annualized revenue (12x mrr)?": the aside explains the ask, it does not name the answer
  const ask = rest.replace(/\([^()]*\)/g, ' ');
  const named = namedColumns(t, ask);
  const asked = named.length || rankColumns(t, ask, ctx).length ? ask : rest;
  const namedAny = named.length ? named : namedColumns(t, asked);
  if (namedAny[0]) {
    const info = columnInfo(namedAny[0]);
    return { kind: 'columns', ...base, mode: cues.columns === 'which' ? 'which' : 'meaning', column: info.name, ...(info.description ? { description: info.description } : {}), type: info.type };
  }
  const order = orderColumns(rankColumns(t, asked, ctx), await columnsByMeaning(t, ctx));
  const best = order[0];
  if (!best) return { kind: 'columns', ...base, mode: 'list', columns: t.columns.map(columnInfo) };
  const info = columnInfo(best);
  return {
    kind: 'columns',
    ...base,
    mode: 'which',
    column: info.name,
    ...(info.description ? { description: info.description } : {}),
    type: info.type,
    candidates: order.slice(1, 4).map(columnInfo),
  };
}

/** How a table loads; a deprecated one that stopped loading is not late, it is retired. */
function cadenceOf(t: Table, ctx: Ctx): ReturnType<typeof inferCadence> {
  const c = inferCadence(t.updates, { now: ctx.now, timeZone: ctx.timeZone });
  return t.deprecated ? { ...c, late: false } : c;
}

function readersOf(t: Table): Array<{ user: string; count: number }> {
  return [...t.readers].sort((a, b) => b.count - a.count || a.user.localeCompare(b.user)).map((r) => ({ user: r.user, count: r.count }));
}

async function answerAttribute(attribute: Attribute, subject: Subject, cues: Cues, rest: string, ctx: Ctx): Promise<Body> {
  const t = subject.table;
  const base = { table: t.key, subject: t.key } as const;
  ctx.refs.table(t.key);
  const cadence = (): ReturnType<typeof inferCadence> => cadenceOf(t, ctx);
  switch (attribute) {
    case 'last_updated': {
      const at = lastUpdate(t);
      const lastRun = await failedRun(t.key, at, ctx.deps);
      return { kind: 'last_updated', ...base, ...(at ? { at } : {}), cadence: cadence(), ...(lastRun ? { lastRun } : {}) };
    }
    case 'cadence':
      return { kind: 'cadence', ...base, cadence: cadence(), ...(cues.cadence?.asked ? { asked: cues.cadence.asked } : {}) };
    case 'owners': {
      const users = [...effectiveOwners(t)];
      users.forEach((u) => ctx.refs.users.add(u));
      if (users.length) return { kind: 'owners', ...base, users };
      const frequentUsers = readersOf(t).slice(0, 3);
      frequentUsers.forEach((r) => ctx.refs.users.add(r.user));
      return { kind: 'owners', ...base, users, frequentUsers };
    }
    case 'frequent_users': {
      const users = readersOf(t);
      users.slice(0, 10).forEach((r) => ctx.refs.users.add(r.user));
      return { kind: 'frequent_users', ...base, users };
    }
    case 'columns':
      return await answerColumns(subject, cues, rest, ctx);
    case 'lineage': {
      const direction = cues.lineage ?? 'upstream';
      const tables = await ctx.deps.graph.lineage(t.key, direction, 1);
      tables.forEach((k) => ctx.refs.table(k));
      return { kind: 'lineage', ...base, direction, tables };
    }
    case 'dashboards': {
      t.dashboards.forEach((d) => ctx.refs.dashboards.add(d));
      return { kind: 'dashboards', ...base, dashboards: [...t.dashboards] };
    }
  }
}

function describe(subject: Subject, ctx: Ctx): Body {
  const t = subject.table;
  ctx.refs.table(t.key);
  const owners = [...effectiveOwners(t)];
  const frequentUsers = readersOf(t).slice(0, 3);
  [...owners, ...frequentUsers.map((r) => r.user)].forEach((u) => ctx.refs.users.add(u));
  t.dashboards.forEach((d) => ctx.refs.dashboards.add(d));
  return {
    kind: 'describe',
    table: t.key,
    subject: t.key,
    columns: t.columns.map(columnInfo),
    owners,
    frequentUsers,
    cadence: cadenceOf(t, ctx),
    upstream: [...t.upstream],
    downstream: [...t.downstream],
    dashboards: [...t.dashboards],
  };
}

function findBody(text: string, found: FindOutcome, ctx: Ctx): Body {
  for (const r of found.results) {
    if (r.kind === 'table') ctx.refs.table(r.key);
    else ctx.refs.dashboards.add(r.key);
  }
  const corrections = found.built.concepts.flatMap((c) => (c.corrected ? [c.corrected] : []));
  const top = found.results[0];
  return {
    kind: 'find',
    query: text,
    terms: found.built.clauses.map((c) => c.term),
    corrections,
    kinds: found.kinds,
    results: found.results,
    confident: found.confident,
    ...(found.evidence ? { evidence: found.evidence } : {}),
    ...(found.confident && top?.kind === 'table' ? { subject: top.key } : {}),
  };
}

function unknown(reason: Extract<Answer, { kind: 'unknown' }>['reason'], extra: { suggestions?: string[]; named?: string; asked?: AskedKind; subject?: string } = {}, ctx?: Ctx): Body {
  const suggestions = extra.suggestions ?? [];
  suggestions.forEach((k) => ctx?.refs.table(k));
  if (extra.subject) ctx?.refs.table(extra.subject);
  return { kind: 'unknown', reason, suggestions, ...(extra.named ? { named: extra.named } : {}), ...(extra.asked ? { asked: extra.asked } : {}), ...(extra.subject ? { subject: extra.subject } : {}) };
}

const ASKED: Record<Attribute, AskedKind> = {
  dashboards: 'dashboards',
  lineage: 'lineage',
  frequent_users: 'frequent_users',
  owners: 'owners',
  cadence: 'cadence',
  last_updated: 'last_updated',
  columns: 'columns',
};

async function suggestionsFor(text: string, ctx: Ctx): Promise<string[]> {
  const found = await runFind(text, ['table'], ctx, analysedCueWords, FIND_RESULTS, ctx.message);
  return found.results.filter((r) => r.coverage >= CONFIDENT_COVERAGE).slice(0, 3).map((r) => r.key);
}

/** Words that ask for tables (a person's: "what tables does Hana Cho own?"). */
const TABLES_WORD = /\b(tables?|datasets?|data)\b|테이블|데이터/i;
/** Words that ask what someone uses rather than owns. */
const USES_WORD = /\b(use|uses|used|using|read|reads|query|queries|look at|looks at)\b|쓰는|쓰고|사용|조회|보는|자주/i;

/** How far the meaning of a message must lean to "find" for it to overrule an attribute cue word of the grammar. */
const FIND_VETO_MARGIN = 0.01;
/** How much nearer in meaning another cued attribute must be for it to win over the grammar's first choice. */
const ATTRIBUTE_SWITCH_MARGIN = 0.02;

/**
 * What a message asks: the cue grammar's reading, settled by meaning where the grammar is unsure. With an
 * embeddings server, among several attribute cues the one whose examples the message is nearest to wins; and an
 * attribute cue in a message that names no table becomes a search when the message reads as one ("how often do
 * people pick Firefox?"). Without one, the grammar's order decides.
 */
async function readIntent(text: string, reading: Reading, ctx: Ctx, refersBack: () => Promise<boolean>, person: PersonMention | undefined): Promise<Intent> {
  const { cues, mentions } = reading;
  const candidates = attributeCandidates(cues);
  if (cues.help && !candidates.length && !mentions.some((m) => m.tables.length)) return { kind: 'help' };
  if (isGreeting(text)) return { kind: 'greeting' };
  if (cues.outOfScope === 'credentials' || cues.outOfScope === 'access' || cues.outOfScope === 'why') return { kind: 'out_of_scope', asked: cues.outOfScope };
  if (cues.noData) return { kind: 'no_data', asked: cues.noData };
  if (person && !reading.subject && (candidates.includes('owners') || candidates.includes('frequent_users') || TABLES_WORD.test(text))) {
    const uses = candidates.includes('frequent_users') || (!candidates.includes('owners') && USES_WORD.test(text));
    return { kind: 'person', relation: uses ? 'uses' : 'owns' };
  }
  if (candidates.length) {
    const meaning = ctx.deps.meaning;
    const vector = meaning ? await ctx.embed(ctx.message) : undefined;
    const sims = meaning && vector ? await intentSimilarities(vector, meaning.embedder) : undefined;
    if (!sims) return { kind: 'attribute', attribute: candidates[0]! };
    // the grammar's first choice stands unless the meaning clearly prefers another of the cued attributes
    const first = candidates[0]!;
    const nearest = candidates.reduce((a, b) => ((sims.get(b) ?? -1) > (sims.get(a) ?? -1) ? b : a));
    const best = (sims.get(nearest) ?? -1) - (sims.get(first) ?? -1) >= ATTRIBUTE_SWITCH_MARGIN ? nearest : first;
    const findLean = (sims.get('find') ?? -1) - (sims.get(best) ?? -1);
    if (!reading.subject && findLean >= FIND_VETO_MARGIN && !(await refersBack())) return { kind: 'find', target: 'table' };
    return { kind: 'attribute', attribute: best };
  }
  if (cues.outOfScope === 'value') return { kind: 'out_of_scope', asked: 'value' };
  if (reading.subject) return cues.find && !cues.help ? { kind: 'find', target: cues.dashboards ? 'dashboard' : 'table' } : { kind: 'describe' };
  return { kind: 'find', target: cues.dashboards ? 'dashboard' : 'table' };
}

async function decide(question: Question, text: string, ctx: Ctx): Promise<{ body: Body; resolution?: SubjectResolution }> {
  const context = question.subjectTable || question.thread?.length ? await contextSubject(question, ctx) : undefined;
  const reading = readMessage(text, ctx, new Set(context?.table.columns.map((c) => c.name.toLowerCase()) ?? []));
  const { cues, mentions } = reading;
  // the message without its table's name (for column lookups), and without any identifier (for searching)
  const rest = withoutMentions(text, reading.subject ? [reading.subject] : []);
  const searchable = withoutMentions(text, mentions.filter((m) => m.strong || m === reading.subject));
  const refersBack = async (): Promise<boolean> => !!(question.subjectTable || question.thread?.length) && (cues.anaphora || !(await hasContent(searchable, ctx)));
  const person = (await peopleDirectory(ctx.deps.graph)).find(text);
  const intent = await readIntent(text, reading, ctx, refersBack, person);
  const own = reading.subject ? await subjectFromMention(reading.subject, 'message', ctx) : undefined;
  const resolution = own?.resolution;

  switch (intent.kind) {
    case 'help':
    case 'greeting': {
      const examples = await helpExamples(ctx);
      return { body: { kind: intent.kind, ...(examples ? { examples } : {}) } };
    }
    case 'out_of_scope': {
      if (intent.asked === 'credentials' || intent.asked === 'access') return { body: unknown('out_of_scope', { asked: intent.asked }) };
      if (own) return { body: unknown('out_of_scope', { asked: intent.asked, subject: own.table.key }, ctx), resolution };
      return { body: unknown('out_of_scope', { asked: intent.asked, suggestions: await suggestionsFor(searchable, ctx) }, ctx) };
    }
    case 'no_data': {
      const subject = own ?? (await contextSubject(question, ctx));
      return { body: unknown('no_data', { asked: intent.asked, ...(subject ? { subject: subject.table.key } : {}) }, ctx), ...(subject ? { resolution: subject.resolution } : {}) };
    }
    case 'describe':
      if (own && namedColumns(own.table, rest).length) return { body: await answerAttribute('columns', own, cues, rest, ctx), resolution };
      if (own) return { body: describe(own, ctx), resolution };
      return findAnswer(text, 'table', reading, ctx);
    case 'find':
      if (own && !cues.find && namedColumns(own.table, rest).length) return { body: await answerAttribute('columns', own, cues, rest, ctx), resolution };
      return findAnswer(text, intent.target, reading, ctx);
    case 'person': {
      const user = person!.user;
      const { owned, read } = await ctx.deps.graph.tablesOfPerson(user.id);
      ctx.refs.users.add(user.id);
      const used = read.slice(0, 10);
      [...owned.slice(0, 20), ...used.map((u) => u.table)].forEach((k) => ctx.refs.table(k));
      return { body: { kind: 'person', user: user.id, relation: intent.relation, owned, used } };
    }
    case 'attribute':
      if (own) return { body: await answerAttribute(intent.attribute, own, cues, rest, ctx), resolution };
      return attributeWithoutName(intent.attribute, question, text, reading, { rest, searchable }, ctx);
  }
}

/** Warehouse naming prefixes and suffixes that say how a table is built, not what it holds. */
const LAYER_WORDS = new Set(['fct', 'fact', 'dim', 'stg', 'staging', 'rpt', 'mart', 'prep', 'tmp', 'temp', 'int', 'base', 'src', 'source', 'raw', 'agg', 'tbl', 'vw', 'v', 'snapshot', 'daily', 'hourly', 'weekly', 'monthly']);

/** Help's example questions are about a well-used table of the loaded catalog. */
async function helpExamples(ctx: Ctx): Promise<HelpExamples | undefined> {
  const sample = [...ctx.directory.entries].sort((a, b) => sampleRank(a.key) - sampleRank(b.key)).slice(0, 40);
  if (!sample.length) return undefined;
  const tables = (await ctx.deps.graph.getTables(sample.map((e) => e.key))).filter((t) => !t.removedAt && !t.deprecated);
  const t = tables.sort((a, b) => totalReads(b) - totalReads(a) || a.key.localeCompare(b.key))[0];
  if (!t) return undefined;
  ctx.refs.table(t.key);
  const column = t.columns.find((c) => effectiveColumnDescription(c)) ?? t.columns[0];
  const topic = splitIdentifier(t.name).filter((w) => !LAYER_WORDS.has(w) && !/^\d+$/.test(w)).join(' ');
  return { table: t.key, ...(column ? { column: column.name } : {}), ...(topic ? { topic } : {}) };
}

async function findAnswer(text: string, target: 'table' | 'dashboard', reading: Reading, ctx: Ctx): Promise<{ body: Body }> {
  const found = await runFind(text, [target], ctx);
  if (found.verdict === 'unknown') {
    const unresolved = reading.mentions.find((m) => m.strong && !m.tables.length);
    const named = unresolved && !found.results.length ? { named: unresolved.text } : {};
    return { body: { ...unknown('no_match', { asked: 'find', suggestions: found.results.slice(0, 3).map((r) => r.key), ...named }, ctx), ...(found.evidence ? { evidence: found.evidence } : {}) } as Body };
  }
  return { body: findBody(text, found, ctx) };
}

/** An attribute question that names no table: a follow-up about the thread's table, or a table described in words. */
async function attributeWithoutName(
  attribute: Attribute,
  question: Question,
  text: string,
  reading: Reading,
  parts: { rest: string; searchable: string },
  ctx: Ctx,
): Promise<{ body: Body; resolution?: SubjectResolution }> {
  const { cues, mentions } = reading;
  const unresolved = mentions.find((m) => m.strong && !m.tables.length);
  if (unresolved && !(attribute === 'dashboards' && !cues.anaphora)) {
    const suggestions = (unresolved.suggestions ?? []).map((s) => s.entry.key);
    return { body: unknown('unknown_table', { named: unresolved.text, suggestions, asked: ASKED[attribute] }, ctx) };
  }
  const contextual = await contextSubject(question, ctx);
  if (contextual && (cues.anaphora || namedColumns(contextual.table, parts.rest).length || !(await hasContent(parts.searchable, ctx)))) {
    return attributeAnswer(attribute, contextual, cues, parts.rest, ctx);
  }
  const bySearch = runFind(parts.searchable, ['table'], ctx, analysedCueWords, FIND_RESULTS, ctx.message);
  if (attribute === 'dashboards' && !cues.anaphora && !contextual) return findAnswer(text, 'dashboard', reading, ctx);
  if (cues.find && !cues.anaphora) {
    const found = await runFind(text, cues.dashboards ? ['dashboard'] : ['table'], ctx);
    if (found.results.length) return { body: findBody(text, found, ctx) };
  }
  const found = await bySearch;
  const top = found.results[0];
  // a table described in words is the subject when the search is sure of it, or a likely one when there is no thread to fall back on
  if (top && (contextual ? found.evidence?.lexicalConfident : found.verdict !== 'unknown')) {
    const t = ctx.refs.loaded.get(top.key) ?? (await ctx.deps.graph.getTable(top.key));
    if (t) return attributeAnswer(attribute, { table: t, resolution: { from: 'search' } }, cues, parts.rest, ctx);
  }
  if (contextual) return attributeAnswer(attribute, contextual, cues, parts.rest, ctx);
  return { body: unknown('no_subject', { asked: ASKED[attribute], suggestions: found.results.filter((r) => r.coverage >= CONFIDENT_COVERAGE).slice(0, 3).map((r) => r.key) }, ctx) };
}

async function attributeAnswer(attribute: Attribute, subject: Subject, cues: Cues, rest: string, ctx: Ctx): Promise<{ body: Body; resolution?: SubjectResolution }> {
  return { body: await answerAttribute(attribute, subject, cues, rest, ctx), resolution: subject.resolution };
}

/** Whether a message says anything beyond its cue words (something to search for). */
async function hasContent(text: string, ctx: Ctx): Promise<boolean> {
  const built = buildQuery(text, ctx.vocabulary, ctx.stats);
  return built.concepts.some((c) => c.known && c.typed.some((t) => !analysedCueWords.has(t)));
}

/** The table a follow-up refers to: the caller's context, else the thread's (worked out once per question). */
function contextSubject(question: Question, ctx: Ctx): Promise<Subject | undefined> {
  ctx.context ??= findContextSubject(question, ctx);
  return ctx.context;
}

async function findContextSubject(question: Question, ctx: Ctx): Promise<Subject | undefined> {
  if (question.subjectTable) {
    const t = await ctx.deps.graph.getTable(question.subjectTable);
    if (t) {
      ctx.refs.loaded.set(t.key, t);
      return { table: t, resolution: { from: 'context' } };
    }
  }
  if (question.thread?.length) return threadSubject(question.thread, ctx);
  return undefined;
}

/** What answering works with for one message: the stores, the vocabulary, the catalog's names and its meaning. */
async function contextFor(text: string, deps: AnsweringDeps, now: Date, refs: Refs): Promise<Ctx> {
  let sent!: () => void;
  const left = new Promise<void>((resolve) => (sent = resolve));
  const early = embedQuestion(text, deps.meaning, sent);
  // the embedded stores read synchronously: the keyword search started at once would hold the event loop, and the
  // question's embedding request with it, until it ends; once the request has left, the server works meanwhile
  await Promise.race([left, early]);
  const candidates = candidateCache(deps.graph);
  // a failed read is the answer's failure where the candidates are read; a message that reads none ignores it
  candidates.catch(() => undefined);
  const [directory, stats] = await Promise.all([tableDirectory(deps.graph), indexStats(deps.search)]);
  const vectors = new Map<string, Promise<Float32Array | undefined>>([[text, early]]);
  const embed = (t: string): Promise<Float32Array | undefined> => {
    let v = vectors.get(t);
    if (!v) vectors.set(t, (v = embedQuestion(t, deps.meaning)));
    return v;
  };
  return { deps, message: text, embed, now, timeZone: deps.timeZone ?? DEFAULT_TIME_ZONE, vocabulary: deps.vocabulary ?? bundledVocabulary(), directory, stats, refs, candidates };
}

/** The question pipeline behind `answer()`: message → intent → entities → store queries → structured answer. */
export async function answerQuestion(question: Question, deps: AnsweringDeps): Promise<Answer> {
  const now = deps.now?.() ?? new Date();
  const text = cleanMessage(question.text);
  const threadText = (question.thread ?? []).join(' ');
  const lang: Lang = detectLang(text, detectLang(threadText));
  const common = { lang, now: now.toISOString() };
  const refs = new Refs();
  if (!/[\p{L}\p{N}]/u.test(text)) return { ...common, refs: { tables: {}, dashboards: {}, users: {} }, ...unknown('empty') } as Answer;
  const ctx = await contextFor(text, deps, now, refs);
  const { body, resolution } = await decide(question, text, ctx);
  return { ...common, ...body, refs: await refs.load(deps), ...(resolution ? { resolution } : {}) } as Answer;
}

/**
 * A catalog search of some words, ranked as questions are (the same analysis, vocabulary and hybrid ranking), best
 * first; what `/data <words>` lists. Dashboards and tables together unless `kinds` says otherwise.
 */
export async function searchCatalogText(words: string, deps: AnsweringDeps, options: { limit: number; kinds?: SearchKind[] }): Promise<FoundItem[]> {
  const text = cleanMessage(words);
  if (!/[\p{L}\p{N}]/u.test(text)) return [];
  const ctx = await contextFor(text, deps, deps.now?.() ?? new Date(), new Refs());
  const found = await runFind(text, options.kinds ?? ['table', 'dashboard'], ctx, new Set(), options.limit);
  return found.results;
}
