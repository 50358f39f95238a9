import { createHash } from 'node:crypto';
import { columnKey } from '../domain/keys';
import { effectiveColumnDescription, effectiveDescription } from '../domain/model';
import type { Column, Dashboard, Table } from '../domain/model';
import type { VectorSubject } from '../ports/vector-index';
import { splitIdentifier } from '../text/analyze';
import { truncate } from '../text/mrkdwn';

/**
 * The text of catalog entries as an embedding model reads it. Measured on five question sets (BENCHMARKS.md): a
 * table reads best as its name in words, its description's first 300 characters and its column names in words;
 * column descriptions in the table's text, tags and schema names made retrieval worse. A column reads best with its
 * table's name in front.
 */

/** Bumped when a passage's recipe changes, so every stored vector is seen as stale. */
const RECIPE_VERSION = 1;
const DESCRIPTION_CHARS = 300;
const COLUMN_DESCRIPTION_CHARS = 200;

const words = (identifier: string): string => splitIdentifier(identifier).join(' ');
const oneLine = (text: string | undefined, max: number): string => truncate((text ?? '').replace(/\s+/g, ' ').trim(), max);

/** A table's passage: `fct crm opportunity. <description>. Columns: opportunity id, stage name, ...` */
export function tablePassage(t: Table): string {
  const parts = [words(t.name)];
  const description = oneLine(effectiveDescription(t), DESCRIPTION_CHARS);
  if (description) parts.push(description);
  if (t.columns.length) parts.push(`Columns: ${t.columns.map((c) => words(c.name)).join(', ')}`);
  return `${parts.join('. ')}.`;
}

/** A dashboard's passage: `dashboard: Revenue Overview. <description>` */
export function dashboardPassage(d: Dashboard): string {
  const description = oneLine(d.description, DESCRIPTION_CHARS);
  return `dashboard: ${d.name}${description ? `. ${description}` : ''}`;
}

/** A column's passage: `fct crm opportunity column stage name: <description>` */
export function columnPassage(t: Pick<Table, 'name'>, c: Pick<Column, 'name' | 'humanDescription' | 'sourceDescription'>): string {
  const description = oneLine(effectiveColumnDescription(c), COLUMN_DESCRIPTION_CHARS);
  return `${words(t.name)} column ${words(c.name)}${description ? `: ${description}` : ''}`;
}

/** The digest of a passage that tells whether a stored vector is still its text's. */
export function passageHash(text: string): string {
  return createHash('sha1').update(`${RECIPE_VERSION}\n${text}`).digest('base64');
}

/** A subject to embed with the passage it is embedded from. */
export interface SubjectPassage {
  subject: VectorSubject;
  text: string;
}

/** What a table's publication asks to embed: the table and each of its columns, with their passages. */
export function tablePassages(t: Table, withColumns: boolean): SubjectPassage[] {
  return [
    { subject: { key: t.key, kind: 'table' }, text: tablePassage(t) },
    ...(withColumns ? t.columns.map((c) => ({ subject: { key: columnKey(t.key, c.name), kind: 'column' as const, parent: t.key }, text: columnPassage(t, c) })) : []),
  ];
}
