import type { Table } from '../domain/model';
import { analyze, words } from '../text/analyze';
import { conceptMatch, type Concept } from './query';

/**
 * The grain a question asks for: "usage per project, daily", "프로젝트 단위로", "국가별", "parent account 기준으로".
 * Near-duplicate tables of one subject (staging, fact, mart, report) differ mostly in what one row is, and a table
 * says its grain in its leading key columns (`suggestion_id, ...`; `report_date, project_id, ...`). A grain word found
 * there ranks the table that is at that grain above the ones that only mention the word somewhere else.
 */

/** Words before the thing a row is per: "per project", "by country", "each lead". */
const BEFORE = new Set(['per', 'by', 'each', 'every']);
/** Words after it: "charge level", "프로젝트 단위로", "계정 기준으로". */
const AFTER = /^(level|grain|단위|기준)/;
/** A Korean suffix on it: "국가별", "일별로". */
const SUFFIX = /^[\uac00-\ud7a3]+별(로|로는|로도)?$/;
/** A match at least this strong says a grain: the typed word, or a synonym this strong (`daily` for 일별); weaker ones do not. */
const STRONG_SYNONYM = 0.7;
/** Columns that say a table's grain: the first few, where models put their keys and dates. */
const LEADING_COLUMNS = 3;

/** Indexes of the raw words (see `words`) that name a grain in a message. */
export function grainWords(text: string): Set<number> {
  const raw = words(text).map((w) => w.toLowerCase());
  const out = new Set<number>();
  raw.forEach((w, i) => {
    if (BEFORE.has(w) && i + 1 < raw.length) out.add(i + 1);
    if (AFTER.test(w) && i > 0) out.add(i - 1);
    if (SUFFIX.test(w) && w.length > 1) out.add(i);
  });
  return out;
}

/** The concepts typed as a grain (a concept typed twice, "suggestions ... per suggestion", is one concept). */
export function grainConcepts(text: string, concepts: readonly Concept[]): Concept[] {
  const marked = grainWords(text);
  if (!marked.size) return [];
  const raw = words(text);
  const terms = new Set([...marked].flatMap((i) => analyze(raw[i] ?? '')));
  return concepts.filter((c) => c.words.some((w) => marked.has(w)) || (c.typed.length > 0 && c.typed.every((t) => terms.has(t))));
}

/** A key column: what one row is identified by (`suggestion_id`, `dim_project_id`, `behavior_pk`). */
const KEY_COLUMN = /(^|_)(id|pk|sk|key)$/i;

/** The terms in which a table says its grain: the names of the keys among its leading columns. */
export function grainTerms(table: Pick<Table, 'columns'>): Set<string> {
  const keys = table.columns.slice(0, LEADING_COLUMNS).filter((c) => KEY_COLUMN.test(c.name));
  return new Set(keys.flatMap((c) => analyze(c.name)));
}

/** Share (by weight) of the grain concepts that a table's grain terms say, typed or through a synonym. */
export function grainShare(grain: readonly Concept[], terms: ReadonlySet<string>): number {
  const total = grain.reduce((s, c) => s + c.weight, 0);
  if (!total) return 0;
  const matched = grain.filter((c) => conceptMatch(c, terms).strength >= STRONG_SYNONYM);
  return matched.reduce((s, c) => s + c.weight, 0) / total;
}
