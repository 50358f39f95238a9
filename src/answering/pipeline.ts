import { inferCadence } from '../domain/load-history';
import type { Dashboard, Table } from '../domain/model';
import { effectiveColumnDescription, effectiveDescription, effectiveOwners, effectiveTags, lastUpdate, totalReads } from '../domain/model';
import type { SearchDocument, SearchKind } from '../ports/search-index';
import { dashboardToSearchDocument, tableToSearchDocument } from '../search/document';
import { analyze, words } from '../text/analyze';
import { closestWord, editDistance } from '../text/fuzzy';
import type { Vocabulary } from '../text/vocabulary';
import { bundledVocabulary } from '../text/vocabulary';
import type { Answer, AnswerCommon, AnswerRefs, AnsweringDeps, AskedKind, ColumnInfo, FoundItem, Lang, Question, SubjectResolution } from './types';
import type { TableDirectory, TableEntry } from './directory';
import { tableDirectory } from './directory';
import type { Cues } from './intent';
import { CUE_WORDS, INTENT_WORDS, MENTION, readCues } from './intent';
import type { Mention } from './mentions';
import { findMentions } from './mentions';
import { cleanMessage, detectLang } from './normalize';
import type { BuiltQuery, Concept, IndexStats } from './query';
import { buildQuery, conceptMatch, idf, indexStats } from './query';
import type { CandidateText } from './rank';
import { FIELDS, rankCandidates } from './rank';

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

/** The table-attribute intents, in the order they win when a message has cues for several. */
type Attribute = 'no_data' | 'dashboards' | 'lineage' | 'frequent_users' | 'owners' | 'cadence' | 'last_updated' | 'columns';

function attributeOf(cues: Cues): Attribute | undefined {
  if (cues.noData) return 'no_data';
  if (cues.dashboards) return 'dashboards';
  if (cues.lineage) return 'lineage';
  if (cues.frequentUsers) return 'frequent_users';
  if (cues.owners) return 'owners';
  if (cues.cadence?.strong) return 'cadence';
  if (cues.lastUpdated) return 'last_updated';
  if (cues.cadence) return 'cadence';
  if (cues.columns) return 'columns';
  return undefined;
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
  now: Date;
  timeZone: string;
  vocabulary: Vocabulary;
  directory: TableDirectory;
  stats: IndexStats;
  refs: Refs;
}

interface Subject {
  table: Table;
  resolution: SubjectResolution;
}

interface FindOutcome {
  built: BuiltQuery;
  results: FoundItem[];
  confident: boolean;
  kinds: SearchKind[];
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

/** Searches the catalog for what a message describes, re-ranked by how much of the question each result covers. */
async function runFind(text: string, kinds: SearchKind[], ctx: Ctx, drop: ReadonlySet<string> = new Set()): Promise<FindOutcome> {
  const full = buildQuery(text, ctx.vocabulary, ctx.stats);
  const concepts = weighBySentence(text, full.concepts.filter((c) => !c.typed.length || c.typed.some((t) => !drop.has(t))));
  const built: BuiltQuery = {
    concepts,
    clauses: full.clauses.filter((cl) => !drop.has(cl.term) || concepts.some((c) => c.alternatives.some((a) => a.terms.includes(cl.term)))),
  };
  if (!built.clauses.length || !concepts.length) return { built, results: [], confident: false, kinds };
  const hits = await ctx.deps.search.search({ clauses: built.clauses, limit: RERANK_POOL, kinds, now: ctx.now.toISOString() });
  const tableKeys = hits.filter((h) => h.kind === 'table').map((h) => h.key);
  const dashKeys = hits.filter((h) => h.kind === 'dashboard').map((h) => h.key);
  const [tables, dashboards] = await Promise.all([
    tableKeys.length ? ctx.deps.graph.getTables(tableKeys) : Promise.resolve([] as Table[]),
    dashKeys.length ? ctx.deps.graph.getDashboards(dashKeys) : Promise.resolve([] as Dashboard[]),
  ]);
  const candidates: CandidateText[] = [];
  for (const t of tables) {
    ctx.refs.loaded.set(t.key, t);
    candidates.push(candidateText(tableToSearchDocument(t)));
  }
  for (const d of dashboards) {
    ctx.refs.loadedDashboards.set(d.key, d);
    candidates.push(candidateText(dashboardToSearchDocument(d)));
  }
  const nowIso = ctx.now.toISOString();
  const ranked = rankCandidates(concepts, candidates, nowIso)
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
    .slice(0, FIND_RESULTS);
  const minSpecific = idf(ctx.stats.documents * MIN_SPECIFIC_SHARE, ctx.stats.documents);
  const top = ranked[0];
  let confident = !!top && top.coverage >= CONFIDENT_COVERAGE && top.covered >= minSpecific;
  if (top && !confident) {
    // people add context after the question ("realtime revenue, hourly? launching a new slot today and ..."):
    // the best result is also an answer when it covers one sentence of the message well
    const topText = candidates.find((c) => c.doc.key === top.key)!;
    for (const segment of sentences(text)) {
      const part = buildQuery(segment, ctx.vocabulary, ctx.stats).concepts.filter((c) => !c.typed.length || c.typed.some((t) => !drop.has(t)));
      if (!part.length || part.length === concepts.length) continue;
      const r = rankCandidates(part, [topText], nowIso)[0];
      if (r && r.coverage >= CONFIDENT_COVERAGE && r.covered >= minSpecific) {
        confident = true;
        break;
      }
    }
  }
  const results = ranked.map((r) => ({ key: r.key, kind: r.kind, score: Math.round(r.score * 1000) / 1000, coverage: Math.round(r.coverage * 1000) / 1000, why: r.why }));
  return { built, results, confident, kinds };
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
  attribute?: Attribute;
  /** The mention that names the table the message is about. */
  subject?: Mention;
  mentions: Mention[];
}

/**
 * Reads a message: its cues (with identifiers masked, so `revenue_monthly` never reads as "monthly") and the
 * mention of its table. An identifier that names a table wins; an ordinary word that happens to be a table's
 * name (`users`, `orders`) counts only when, masked, the rest still asks something about a table.
 */
function readMessage(text: string, ctx: Ctx): Reading {
  const mentions = findMentions(text, ctx.directory);
  const strong = mentions.filter((m) => m.strong);
  let cues = readCues(correctCueTypos(mask(text, strong), ctx));
  let subject = strong.find((m) => m.tables.length);
  if (!subject) {
    for (const weak of mentions.filter((m) => !m.strong && m.tables.length)) {
      const withWeak = readCues(correctCueTypos(mask(text, [...strong, weak].sort((a, b) => a.start - b.start)), ctx));
      if (attributeOf(withWeak)) {
        subject = weak;
        cues = withWeak;
        break;
      }
    }
  }
  const attribute = attributeOf(cues);
  return { cues, ...(attribute ? { attribute } : {}), ...(subject ? { subject } : {}), mentions };
}

/** The table a thread is about: the newest message naming one, else the best confident match of the newest search. */
async function threadSubject(thread: string[], ctx: Ctx): Promise<Subject | undefined> {
  const cleaned = thread.map(cleanMessage).filter(Boolean).reverse();
  for (const msg of cleaned) {
    const s = await subjectFromMention(readMessage(msg, ctx).subject, 'thread', ctx);
    if (s) return s;
  }
  for (const msg of cleaned) {
    const cues = readCues(msg);
    if (attributeOf(cues)) continue;
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

/** Scores a table's columns against what a message asks for; best first. */
function rankColumns(table: Table, text: string, ctx: Ctx): Array<{ column: Table['columns'][number]; score: number }> {
  const built = buildQuery(text, ctx.vocabulary, ctx.stats);
  const concepts = built.concepts.filter((c) => c.typed.some((t) => !analysedCueWords.has(t)) || (!c.typed.length && c.alternatives.length));
  const cols = table.columns.map((c) => ({
    column: c,
    name: new Set(analyze(c.name)),
    desc: new Set(analyze(effectiveColumnDescription(c))),
  }));
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
      return { column: c.column, score };
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

function answerColumns(subject: Subject, cues: Cues, rest: string, ctx: Ctx): Body {
  const t = subject.table;
  const base = { table: t.key, subject: t.key } as const;
  const named = namedColumns(t, rest);
  if (named[0]) {
    const info = columnInfo(named[0]);
    return { kind: 'columns', ...base, mode: cues.columns === 'which' ? 'which' : 'meaning', column: info.name, ...(info.description ? { description: info.description } : {}), type: info.type };
  }
  const ranked = rankColumns(t, rest, ctx);
  const best = ranked[0];
  if (!best) return { kind: 'columns', ...base, mode: 'list', columns: t.columns.map(columnInfo) };
  const info = columnInfo(best.column);
  return {
    kind: 'columns',
    ...base,
    mode: 'which',
    column: info.name,
    ...(info.description ? { description: info.description } : {}),
    type: info.type,
    candidates: ranked.slice(1, 4).map((r) => columnInfo(r.column)),
  };
}

function readersOf(t: Table): Array<{ user: string; count: number }> {
  return [...t.readers].sort((a, b) => b.count - a.count || a.user.localeCompare(b.user)).map((r) => ({ user: r.user, count: r.count }));
}

async function answerAttribute(attribute: Exclude<Attribute, 'no_data'>, subject: Subject, cues: Cues, rest: string, ctx: Ctx): Promise<Body> {
  const t = subject.table;
  const base = { table: t.key, subject: t.key } as const;
  ctx.refs.table(t.key);
  const cadence = (): ReturnType<typeof inferCadence> => inferCadence(t.updates, { now: ctx.now, timeZone: ctx.timeZone });
  switch (attribute) {
    case 'last_updated': {
      const at = lastUpdate(t);
      return { kind: 'last_updated', ...base, ...(at ? { at } : {}), cadence: cadence() };
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
      return answerColumns(subject, cues, rest, ctx);
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
    cadence: inferCadence(t.updates, { now: ctx.now, timeZone: ctx.timeZone }),
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
  no_data: 'row_count',
  dashboards: 'dashboards',
  lineage: 'lineage',
  frequent_users: 'frequent_users',
  owners: 'owners',
  cadence: 'cadence',
  last_updated: 'last_updated',
  columns: 'columns',
};

async function suggestionsFor(text: string, ctx: Ctx): Promise<string[]> {
  const found = await runFind(text, ['table'], ctx, analysedCueWords);
  return found.results.filter((r) => r.coverage >= CONFIDENT_COVERAGE).slice(0, 3).map((r) => r.key);
}

async function decide(question: Question, text: string, ctx: Ctx): Promise<{ body: Body; resolution?: SubjectResolution }> {
  const reading = readMessage(text, ctx);
  const { cues, attribute, mentions } = reading;
  // the message without its table's name (for column lookups), and without any identifier (for searching)
  const rest = withoutMentions(text, reading.subject ? [reading.subject] : []);
  const searchable = withoutMentions(text, mentions.filter((m) => m.strong || m === reading.subject));

  if (cues.help && !attribute && !mentions.some((m) => m.tables.length)) return { body: { kind: 'help' } };
  if (cues.outOfScope === 'credentials') return { body: unknown('out_of_scope', { asked: 'credentials' }) };
  if (cues.outOfScope === 'why') return { body: unknown('out_of_scope', { asked: 'why', suggestions: await suggestionsFor(searchable, ctx) }, ctx) };

  const own = await subjectFromMention(reading.subject, 'message', ctx);
  if (own) {
    const subject = own;
    const key = subject.table.key;
    if (attribute === 'no_data') return { body: unknown('no_data', { asked: cues.noData ?? 'row_count', subject: key }, ctx), resolution: subject.resolution };
    if (attribute) return { body: await answerAttribute(attribute, subject, cues, rest, ctx), resolution: subject.resolution };
    if (cues.outOfScope === 'value') return { body: unknown('out_of_scope', { asked: 'value', subject: key }, ctx), resolution: subject.resolution };
    if (namedColumns(subject.table, rest).length) return { body: await answerAttribute('columns', subject, cues, rest, ctx), resolution: subject.resolution };
    if (cues.find && !cues.help) {
      const found = await runFind(text, cues.dashboards ? ['dashboard'] : ['table'], ctx);
      return { body: findBody(text, found, ctx) };
    }
    return { body: describe(subject, ctx), resolution: subject.resolution };
  }

  const unresolved = mentions.find((m) => m.strong && !m.tables.length);
  if (attribute) {
    if (unresolved && !(attribute === 'dashboards' && !cues.anaphora)) {
      const suggestions = (unresolved.suggestions ?? []).map((s) => s.entry.key);
      return { body: unknown('unknown_table', { named: unresolved.text, suggestions, asked: ASKED[attribute] }, ctx) };
    }
    const contextual = await contextSubject(question, ctx);
    const bySearch = runFind(searchable, ['table'], ctx, analysedCueWords);
    if (contextual && (cues.anaphora || !(await hasContent(searchable, ctx)))) {
      return attributeAnswer(attribute, contextual, cues, rest, ctx);
    }
    if (attribute === 'dashboards' && !cues.anaphora && !contextual) {
      const found = await runFind(text, ['dashboard'], ctx);
      return { body: findBody(text, found, ctx) };
    }
    if (cues.find && !cues.anaphora) {
      const found = await runFind(text, cues.dashboards ? ['dashboard'] : ['table'], ctx);
      if (found.results.length) return { body: findBody(text, found, ctx) };
    }
    const found = await bySearch;
    const top = found.results[0];
    if (found.confident && top) {
      const t = ctx.refs.loaded.get(top.key) ?? (await ctx.deps.graph.getTable(top.key));
      if (t) return attributeAnswer(attribute, { table: t, resolution: { from: 'search' } }, cues, rest, ctx);
    }
    if (contextual) return attributeAnswer(attribute, contextual, cues, rest, ctx);
    if (attribute === 'no_data') return { body: unknown('no_data', { asked: cues.noData ?? 'row_count' }) };
    return { body: unknown('no_subject', { asked: ASKED[attribute], suggestions: found.results.filter((r) => r.coverage >= CONFIDENT_COVERAGE).slice(0, 3).map((r) => r.key) }, ctx) };
  }

  if (cues.outOfScope === 'value') return { body: unknown('out_of_scope', { asked: 'value', suggestions: await suggestionsFor(searchable, ctx) }, ctx) };

  const kinds: SearchKind[] = cues.dashboards ? ['dashboard'] : ['table'];
  const found = await runFind(text, kinds, ctx);
  if (!found.confident) {
    const named = unresolved && !found.results.length ? { named: unresolved.text } : {};
    return { body: unknown('no_match', { asked: 'find', suggestions: found.results.slice(0, 3).map((r) => r.key), ...named }, ctx) };
  }
  return { body: findBody(text, found, ctx) };
}

async function attributeAnswer(attribute: Attribute, subject: Subject, cues: Cues, rest: string, ctx: Ctx): Promise<{ body: Body; resolution?: SubjectResolution }> {
  if (attribute === 'no_data') return { body: unknown('no_data', { asked: cues.noData ?? 'row_count', subject: subject.table.key }, ctx), resolution: subject.resolution };
  return { body: await answerAttribute(attribute, subject, cues, rest, ctx), resolution: subject.resolution };
}

/** Whether a message says anything beyond its cue words (something to search for). */
async function hasContent(text: string, ctx: Ctx): Promise<boolean> {
  const built = buildQuery(text, ctx.vocabulary, ctx.stats);
  return built.concepts.some((c) => c.known && c.typed.some((t) => !analysedCueWords.has(t)));
}

/** The table a follow-up refers to: the caller's context, else the thread's. */
async function contextSubject(question: Question, ctx: Ctx): Promise<Subject | undefined> {
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

/** The question pipeline behind `answer()`: message → intent → entities → store queries → structured answer. */
export async function answerQuestion(question: Question, deps: AnsweringDeps): Promise<Answer> {
  const now = deps.now?.() ?? new Date();
  const text = cleanMessage(question.text);
  const threadText = (question.thread ?? []).join(' ');
  const lang: Lang = detectLang(text, detectLang(threadText));
  const common = { lang, now: now.toISOString() };
  const refs = new Refs();
  if (!/[\p{L}\p{N}]/u.test(text)) return { ...common, refs: { tables: {}, dashboards: {}, users: {} }, ...unknown('empty') } as Answer;
  const [directory, stats] = await Promise.all([tableDirectory(deps.graph), indexStats(deps.search)]);
  const ctx: Ctx = { deps, now, timeZone: deps.timeZone ?? DEFAULT_TIME_ZONE, vocabulary: deps.vocabulary ?? bundledVocabulary(), directory, stats, refs };
  const { body, resolution } = await decide(question, text, ctx);
  return { ...common, ...body, refs: await refs.load(deps), ...(resolution ? { resolution } : {}) } as Answer;
}
