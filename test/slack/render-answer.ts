import type { Answer } from '../../src/answering/types';
import type { Rendered } from '../../src/render/blocks-common';
import { section } from '../../src/render/blocks-common';

/** A plain rendering of answers for tests: the kind, the table and the facts tests look for. */
export function renderAnswerForSlack(a: Answer): Rendered {
  const facts: string[] = [`kind=${a.kind}`];
  if ('table' in a) facts.push(`table=${a.table}`);
  if (a.kind === 'find') facts.push(`results=${a.results.map((r) => r.key).join(',')}`);
  if (a.kind === 'last_updated') facts.push(`at=${a.at ?? ''}`);
  if (a.kind === 'cadence' || a.kind === 'last_updated') facts.push(`cadence=${a.cadence.cadence}`);
  const text = facts.join(' ');
  return { text, blocks: [section(text)] };
}
