import type { NameMatch, TableDirectory, TableEntry } from './directory';

/** A piece of a message that names (or looks like it names) a table. */
export interface Mention {
  /** As typed, without backticks. */
  text: string;
  /** Offsets in the cleaned message. */
  start: number;
  end: number;
  /** Looks like an identifier (`snake_case`, `schema.table`, a key, or in backticks), not an ordinary word. */
  strong: boolean;
  /** Tables it names: exact matches, or the closest name within a few edits (`corrected`). */
  tables: TableEntry[];
  corrected?: boolean;
  /** For an identifier that names no table: the closest real names. */
  suggestions?: NameMatch[];
}

const CANDIDATE = /`?([A-Za-z0-9_$]+(?:(?::\/\/|[./'-])[A-Za-z0-9_$]+)*)`?/g;

/** How many edits an identifier may carry and still name a table: more for longer names. */
export function identifierEdits(token: string): number {
  if (token.length < 5) return 0;
  if (token.length < 8) return 1;
  if (token.length < 16) return 2;
  return 3;
}

/** A web address (`gitlab.com`, `app.example.io`) names a product or a site, not a schema's table. */
const HOSTNAME = /\.(com|net|org|io|ai|co|dev|app|kr|jp|de|uk|cloud)$/i;

function looksLikeIdentifier(token: string, backticked: boolean): boolean {
  if (backticked) return true;
  if (token.includes('_') || token.includes('://')) return /[A-Za-z]/.test(token);
  if (token.includes('.')) {
    const segments = token.split('.');
    if (HOSTNAME.test(token)) return false;
    return segments.length >= 2 && segments.every((s) => s.length >= 2) && segments.some((s) => /[A-Za-z]{3,}/.test(s)) && !/^v?\d/.test(token);
  }
  return false;
}

/**
 * The table mentions of a message, in order. A strong mention (an identifier) that names no table exactly is
 * matched to the closest table name within a few edits; failing that it carries the closest names as
 * suggestions. An ordinary word counts only when it is exactly some table's name (a weak mention).
 */
export function findMentions(text: string, directory: TableDirectory): Mention[] {
  const mentions: Mention[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const raw = m[0];
    const token = m[1]!;
    const start = m.index!;
    const backticked = raw.startsWith('`') && raw.endsWith('`') && raw.length > 2;
    const strong = looksLikeIdentifier(token, backticked);
    const base = { text: token, start, end: start + raw.length, strong };
    let tables = directory.exact(token);
    if (!tables.length && token.includes('.')) tables = directory.exact(token.slice(token.lastIndexOf('.') + 1));
    if (!tables.length && token.includes('/')) tables = directory.exact(token.slice(token.lastIndexOf('/') + 1));
    if (tables.length) {
      if (strong || token.length >= 3) mentions.push({ ...base, tables });
      continue;
    }
    if (!strong) continue;
    const name = token.includes('.') ? token.slice(token.lastIndexOf('.') + 1) : token;
    const close = directory.closest(name, { maxEdits: identifierEdits(name) });
    const best = close[0];
    if (best && (close.length === 1 || close[1]!.distance > best.distance || close[1]!.entry.name === best.entry.name)) {
      mentions.push({ ...base, tables: close.filter((c) => c.entry.name === best.entry.name).map((c) => c.entry), corrected: true });
      continue;
    }
    mentions.push({ ...base, tables: [], suggestions: directory.closest(name, { limit: 3 }) });
  }
  return mentions;
}
