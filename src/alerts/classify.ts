import type { IsoTime, SchemaChange } from '../domain/model';
import { compareTypes, sameType, type TypeShift } from './types';

/**
 * How much a change matters to the people reading a table:
 * - `breaking`: a query that worked may now fail or return something else (a table or column removed or renamed,
 *   a type narrowed or changed, a column that may now hold nulls);
 * - `additive`: everything that worked still works (a table or column added, a type widened, a column made NOT NULL);
 * - `informational`: nothing about the data changed (a description or comment at the source, a type respelled).
 */
export type Severity = 'breaking' | 'additive' | 'informational';

export const SEVERITIES: readonly Severity[] = ['breaking', 'additive', 'informational'];

/** What changed, with the detail a reader needs; `column_renamed` is inferred from a remove and an add. */
export type ChangeDetail =
  | { kind: 'table_added' }
  | { kind: 'table_removed' }
  | { kind: 'column_added'; column: string; type?: string }
  | { kind: 'column_removed'; column: string; type?: string }
  | { kind: 'column_renamed'; from: string; to: string; type?: string }
  | { kind: 'column_type_changed'; column: string; from: string; to: string; shift: TypeShift }
  /** `nullable` is the new state, undefined when the source's words were not understood. */
  | { kind: 'column_nullability_changed'; column: string; nullable?: boolean; from?: string; to?: string }
  | { kind: 'description_changed'; column?: string; from?: string; to?: string };

/** One change as alerts show it. */
export interface ClassifiedChange {
  severity: Severity;
  detail: ChangeDetail;
  tableKey: string;
  source: string;
  crawlId: string;
  at: IsoTime;
  /** Ids of the `SchemaChange`s this stands for (two for a rename). */
  changeIds: string[];
}

export function severityRank(s: Severity): number {
  return s === 'breaking' ? 0 : s === 'additive' ? 1 : 2;
}

/** Reads the nullability words the crawl writes (`nullable` / `not null`) and common spellings of them. */
export function parseNullable(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase().replace(/[_-]/g, ' ');
  if (['nullable', 'null', 'true', 'yes', 'y', 'optional'].includes(t)) return true;
  if (['not null', 'non null', 'notnull', 'false', 'no', 'n', 'required'].includes(t)) return false;
  return undefined;
}

/** The severity of one change taken alone (no rename inference). */
export function severityOf(detail: ChangeDetail): Severity {
  switch (detail.kind) {
    case 'table_removed':
    case 'column_removed':
    case 'column_renamed':
      return 'breaking';
    case 'table_added':
    case 'column_added':
      return 'additive';
    case 'column_type_changed':
      return detail.shift === 'widened' ? 'additive' : detail.shift === 'same' ? 'informational' : 'breaking';
    case 'column_nullability_changed':
      // A column that may now hold nulls breaks readers that relied on NOT NULL (dbt counts it as a breaking
      // contract change); a new NOT NULL only adds a guarantee.
      return detail.nullable === true ? 'breaking' : detail.nullable === false ? 'additive' : 'informational';
    case 'description_changed':
      return 'informational';
    default: {
      const never: never = detail;
      return never;
    }
  }
}

function detailOf(c: SchemaChange): ChangeDetail {
  switch (c.kind) {
    case 'table_added':
      return { kind: 'table_added' };
    case 'table_removed':
      return { kind: 'table_removed' };
    case 'column_added':
      return { kind: 'column_added', column: c.column ?? '?', ...(c.newValue ? { type: c.newValue } : {}) };
    case 'column_removed':
      return { kind: 'column_removed', column: c.column ?? '?', ...(c.oldValue ? { type: c.oldValue } : {}) };
    case 'column_type_changed': {
      const from = c.oldValue ?? '?';
      const to = c.newValue ?? '?';
      return { kind: 'column_type_changed', column: c.column ?? '?', from, to, shift: c.oldValue && c.newValue ? compareTypes(from, to) : 'changed' };
    }
    case 'column_nullability_changed': {
      const nullable = parseNullable(c.newValue);
      return { kind: 'column_nullability_changed', column: c.column ?? '?', ...(nullable === undefined ? {} : { nullable }), ...defined({ from: c.oldValue, to: c.newValue }) };
    }
    case 'description_changed':
      return { kind: 'description_changed', ...defined({ column: c.column, from: c.oldValue, to: c.newValue }) };
    default: {
      const never: never = c.kind;
      return never;
    }
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Similarity of two column names in [0, 1] (1 − normalised edit distance), to pair renames when several fit. */
function similarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 1;
  const prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (x[i - 1] === y[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return 1 - prev[y.length]! / Math.max(x.length, y.length, 1);
}

/**
 * Classifies the changes of one or more crawls. Within one crawl and table, a column removed and a column added
 * with the same type are reported as one rename (breaking); when several columns of one type are removed and
 * added together, they are paired by name similarity. Column changes of a table that was itself added or removed
 * in the same crawl are folded into that table change. The result is ordered by severity (breaking first), then
 * in the order the changes came. Pure.
 */
export function classifyChanges(changes: readonly SchemaChange[]): ClassifiedChange[] {
  const groups = new Map<string, SchemaChange[]>();
  for (const c of changes) {
    const k = `${c.crawlId}\u0000${c.tableKey}`;
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const out: Array<ClassifiedChange & { order: number }> = [];
  let order = 0;
  for (const group of groups.values()) {
    const tableLevel = group.find((c) => c.kind === 'table_added' || c.kind === 'table_removed');
    const seen = new Set<string>();
    const unique = group.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
    const kept = tableLevel ? unique.filter((c) => c === tableLevel || (c.kind === 'description_changed' && !c.column)) : unique;
    const renames = pairRenames(kept);
    const paired = new Set<SchemaChange>();
    for (const [removed, added] of renames) {
      paired.add(removed).add(added);
      const detail: ChangeDetail = { kind: 'column_renamed', from: removed.column ?? '?', to: added.column ?? '?', ...(added.newValue ? { type: added.newValue } : {}) };
      out.push({ ...base(removed), severity: 'breaking', detail, changeIds: [removed.id, added.id], order: order++ });
    }
    for (const c of kept) {
      if (paired.has(c)) continue;
      const detail = detailOf(c);
      out.push({ ...base(c), severity: severityOf(detail), detail, changeIds: [c.id], order: order++ });
    }
  }
  out.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.order - b.order);
  return out.map(({ order: _order, ...c }) => c);
}

function base(c: SchemaChange): Pick<ClassifiedChange, 'tableKey' | 'source' | 'crawlId' | 'at'> {
  return { tableKey: c.tableKey, source: c.source, crawlId: c.crawlId, at: c.at };
}

function pairRenames(changes: SchemaChange[]): Array<[SchemaChange, SchemaChange]> {
  const removed = changes.filter((c) => c.kind === 'column_removed' && c.column && c.oldValue);
  const added = changes.filter((c) => c.kind === 'column_added' && c.column && c.newValue);
  if (!removed.length || !added.length) return [];
  const candidates: Array<{ r: SchemaChange; a: SchemaChange; score: number }> = [];
  for (const r of removed) for (const a of added) if (sameType(r.oldValue!, a.newValue!)) candidates.push({ r, a, score: similarity(r.column!, a.column!) });
  candidates.sort((x, y) => y.score - x.score);
  const usedR = new Set<SchemaChange>();
  const usedA = new Set<SchemaChange>();
  const pairs: Array<[SchemaChange, SchemaChange]> = [];
  for (const { r, a } of candidates) {
    if (usedR.has(r) || usedA.has(a)) continue;
    usedR.add(r);
    usedA.add(a);
    pairs.push([r, a]);
  }
  return pairs;
}

/** Counts of changes per severity. */
export function severityCounts(changes: readonly ClassifiedChange[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { breaking: 0, additive: 0, informational: 0 };
  for (const c of changes) counts[c.severity]++;
  return counts;
}

/** The highest severity among changes (breaking > additive > informational). */
export function worstSeverity(changes: readonly ClassifiedChange[]): Severity {
  let worst: Severity = 'informational';
  for (const c of changes) if (severityRank(c.severity) < severityRank(worst)) worst = c.severity;
  return worst;
}
