import type { Answer } from './types';

/** One question of an evaluation set (`*.questions.jsonl`, format v1). */
export interface EvalQuestion {
  id: string;
  lang: string;
  ask: string;
  thread?: string[];
  expect: { kind: string; [field: string]: unknown };
}

/** One structured answer line of an evaluation run, in the shared answer format. */
export interface EvalAnswer {
  id: string;
  kind: string;
  [field: string]: unknown;
}

/** An `Answer` in the shared answer format (`shared/eval/FORMAT.md`). */
export function toEvalAnswer(id: string, a: Answer): EvalAnswer {
  switch (a.kind) {
    case 'find':
      return { id, kind: 'find', tables: a.results.map((r) => r.key) };
    case 'last_updated':
      return { id, kind: 'last_updated', table: a.table, ...(a.at ? { at: a.at } : {}) };
    case 'cadence':
      return { id, kind: 'cadence', table: a.table, cadence: a.cadence.cadence };
    case 'owners':
      return { id, kind: 'owners', table: a.table, users: a.users };
    case 'frequent_users':
      return { id, kind: 'frequent_users', table: a.table, users: a.users.map((u) => u.user) };
    case 'columns':
      return { id, kind: 'columns', table: a.table, ...(a.column ? { column: a.column } : {}) };
    case 'lineage':
      return { id, kind: 'lineage', table: a.table, direction: a.direction, tables: a.tables };
    case 'dashboards':
      return { id, kind: 'dashboards', table: a.table, dashboards: a.dashboards };
    case 'describe':
      return { id, kind: 'describe', table: a.table };
    case 'help':
      return { id, kind: 'help' };
    case 'greeting':
      return { id, kind: 'greeting' };
    case 'person':
      return { id, kind: 'person', user: a.user, tables: a.relation === 'owns' ? a.owned : a.used.map((u) => u.table) };
    case 'unknown':
      return { id, kind: 'unknown', suggestions: a.suggestions };
  }
}

export interface Judgement {
  ok: boolean;
  rank?: number;
  why: string;
}

export interface ScoreReport {
  questions: number;
  overall: number | null;
  find: { r1: number | null; r3: number | null; r5: number | null; mrr: number | null };
  byKind: Record<string, number | null>;
  byLang: Record<string, number | null>;
  failures: Array<{ id: string; ask: string; why: string }>;
}

// The scoring below mirrors shared/eval/score.mjs line for line: the same judgements, shares and rounding.

const sameSet = (a: unknown = [], b: unknown = []): boolean => {
  const x = a as string[];
  const y = b as string[];
  return x.length === y.length && [...x].sort().join('\n') === [...y].sort().join('\n');
};
const sameTime = (a: unknown, b: unknown): boolean => !!(a && b && Date.parse(a as string) === Date.parse(b as string));
const namesSomething = (a: EvalAnswer): boolean =>
  ['tables', 'users', 'dashboards'].some((k) => Array.isArray(a[k]) && (a[k] as unknown[]).length > 0) || !!a.table || !!a.at || !!a.column;

/** Judges one answer against its question, as score.mjs does. */
export function judge(q: EvalQuestion, a: EvalAnswer | undefined): Judgement {
  const e = q.expect;
  if (!a) return { ok: false, why: 'no answer' };
  if (e.kind === 'unknown') return { ok: a.kind === 'unknown' || !namesSomething(a), why: 'invented an answer' };
  if (a.kind !== e.kind) return { ok: false, why: `understood as ${a.kind}` };
  const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
  switch (e.kind) {
    case 'find': {
      const ranked = list(a.tables);
      const accepted = list(e.tables);
      const rank = ranked.findIndex((k) => accepted.includes(k)) + 1;
      return { ok: rank === 1, rank, why: rank ? `first acceptable at ${rank}` : 'no acceptable table ranked' };
    }
    case 'last_updated':
      return { ok: a.table === e.table && sameTime(a.at, e.at), why: `${String(a.table)} ${String(a.at)}` };
    case 'cadence':
      return { ok: a.table === e.table && a.cadence === e.cadence, why: `${String(a.table)} ${String(a.cadence)}` };
    case 'owners':
      return { ok: a.table === e.table && sameSet(a.users, e.users), why: `${String(a.table)} ${String(a.users)}` };
    case 'frequent_users':
      return { ok: a.table === e.table && list(a.users)[0] === list(e.users)[0], why: `${String(a.table)} ${String(a.users)}` };
    case 'columns':
      return { ok: a.table === e.table && a.column === e.column, why: `${String(a.table)} ${String(a.column)}` };
    case 'lineage':
      return { ok: a.table === e.table && a.direction === e.direction && sameSet(a.tables, e.tables), why: `${String(a.direction)} ${String(a.tables)}` };
    case 'dashboards':
      return { ok: a.table === e.table && sameSet(a.dashboards, e.dashboards), why: `${String(a.dashboards)}` };
    default:
      return { ok: false, why: `unknown expected kind ${e.kind}` };
  }
}

const share = (xs: boolean[]): number | null => (xs.length ? xs.filter(Boolean).length / xs.length : null);
const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

/** Scores answers against questions exactly as score.mjs does. */
export function scoreAnswers(questions: EvalQuestion[], answers: EvalAnswer[]): ScoreReport {
  const byId = new Map(answers.map((a) => [a.id, a]));
  const results = questions.map((q) => ({ q, ...judge(q, byId.get(q.id)) }));
  const finds = results.filter((r) => r.q.expect.kind === 'find');
  const byKind: Record<string, boolean[]> = {};
  for (const r of results) (byKind[r.q.expect.kind] ??= []).push(r.ok);
  const byLang: Record<string, boolean[]> = {};
  for (const r of results) (byLang[r.q.lang] ??= []).push(r.ok);
  const rankOf = (r: { rank?: number }): number => r.rank ?? 0;
  return {
    questions: results.length,
    overall: round(share(results.map((r) => r.ok))),
    find: {
      r1: round(share(finds.map((r) => rankOf(r) === 1))),
      r3: round(share(finds.map((r) => rankOf(r) >= 1 && rankOf(r) <= 3))),
      r5: round(share(finds.map((r) => rankOf(r) >= 1 && rankOf(r) <= 5))),
      mrr: round(finds.length ? finds.reduce((s, r) => s + (rankOf(r) ? 1 / rankOf(r) : 0), 0) / finds.length : null),
    },
    byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, round(share(v))])),
    byLang: Object.fromEntries(Object.entries(byLang).map(([k, v]) => [k, round(share(v))])),
    failures: results.filter((r) => !r.ok).map((r) => ({ id: r.q.id, ask: r.q.ask, why: r.why })),
  };
}

/** Parses JSON Lines, naming the file and line of a bad one. */
export function parseJsonl<T>(text: string, file: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch (e) {
        throw new Error(`${file}:${i + 1}: ${(e as Error).message}`);
      }
    });
}
