import { Parser } from 'node-sql-parser';

/** A table a statement reads, as the statement names it (schema absent when unqualified). */
export interface TableRef {
  schema?: string;
  name: string;
}

export type ParsedReads = { ok: true; reads: TableRef[] } | { ok: false };

/** Statements that can read tables; others (DDL, SET, BEGIN, COMMENT, ...) are not parsed at all. */
const READING_STATEMENT = /^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(select|with|insert|update|delete|merge|table|values|copy\s*\()/i;

/** Whether a statement's first keyword makes it worth parsing for reads. */
export function mayRead(sql: string): boolean {
  return READING_STATEMENT.test(sql);
}

/**
 * Reads tables from SQL text with node-sql-parser: the tables a statement selects from (in joins, subqueries,
 * `INSERT ... SELECT`, `UPDATE ... WHERE x IN (SELECT ...)`), minus the names of its CTEs. Returns
 * `{ ok: false }` for text the parser cannot handle (the caller counts it and moves on).
 */
export class QueryReadsParser {
  private readonly parser = new Parser();
  private readonly cache = new Map<string, ParsedReads>();

  constructor(private readonly dialect: 'Postgresql' | 'MySQL' | 'MariaDB' = 'Postgresql') {}

  reads(sql: string): ParsedReads {
    const cached = this.cache.get(sql);
    if (cached) return cached;
    const result = this.parse(sql);
    this.cache.set(sql, result);
    return result;
  }

  private parse(sql: string): ParsedReads {
    let parsed: { tableList: string[]; ast: unknown };
    try {
      parsed = this.parser.parse(sql, { database: this.dialect });
    } catch {
      return { ok: false };
    }
    const ctes = new Set<string>();
    collectCteNames(parsed.ast, ctes, 0);
    const reads: TableRef[] = [];
    const seen = new Set<string>();
    for (const entry of parsed.tableList) {
      const first = entry.indexOf('::');
      const second = entry.indexOf('::', first + 2);
      if (first < 0 || second < 0) continue;
      const type = entry.slice(0, first);
      const schema = entry.slice(first + 2, second);
      const name = entry.slice(second + 2);
      if (type !== 'select' || !name) continue;
      const ref: TableRef = schema && schema !== 'null' ? { schema, name } : { name };
      if (!ref.schema && ctes.has(name)) continue;
      const id = `${ref.schema ?? ''}\u0000${ref.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      reads.push(ref);
    }
    return { ok: true, reads };
  }
}

function collectCteNames(node: unknown, out: Set<string>, depth: number): void {
  if (!node || typeof node !== 'object' || depth > 64) return;
  if (Array.isArray(node)) {
    for (const n of node) collectCteNames(n, out, depth + 1);
    return;
  }
  const o = node as Record<string, unknown>;
  if (Array.isArray(o.with)) {
    for (const w of o.with as Array<{ name?: unknown }>) {
      const n = w?.name;
      if (typeof n === 'string') out.add(n);
      else if (n && typeof n === 'object' && typeof (n as { value?: unknown }).value === 'string') out.add((n as { value: string }).value);
    }
  }
  for (const v of Object.values(o)) if (v && typeof v === 'object') collectCteNames(v, out, depth + 1);
}
