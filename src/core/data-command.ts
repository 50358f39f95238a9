import type { CoreDeps } from './deps';
import type { TableHistory } from './edits';
import { tableHistory } from './edits';
import { catalogOverview } from './overview';
import { looksLikeTableRef, resolveTableRef } from './resolve-table';
import type { ResultItem } from './results';
import { toResultItems } from './results';
import type { SearchPage } from './search-catalog';
import { SEARCH_PAGE_SIZE, searchCatalog } from './search-catalog';
import type { TableCard } from './table-card';
import { tableCardOf } from './table-card';

/** What `/data <text>` asks for. */
export type DataRequest =
  | { kind: 'help' }
  | { kind: 'history'; ref: string }
  | { kind: 'tag'; tag: string; page: number }
  /** A table's card when the words name one table, else a search. */
  | { kind: 'lookup'; text: string; page: number };

export type DataResult =
  | { kind: 'help' }
  | { kind: 'search'; page: SearchPage; note?: string }
  | { kind: 'card'; card: TableCard }
  | { kind: 'history'; history: TableHistory }
  | { kind: 'tag'; tag: string; page: SearchPage }
  | { kind: 'not_found'; ref: string; suggestions: ResultItem[] };

/** The longest `/data` text looked at; Slack allows more, a search needs far less. */
export const MAX_COMMAND_TEXT = 500;

/** Parses the text after `/data`. */
export function parseDataCommand(text: string): DataRequest {
  const t = text.trim().slice(0, MAX_COMMAND_TEXT);
  if (!t || /^(help|\?|-h|--help)$/i.test(t)) return { kind: 'help' };
  const history = /^history\s+(.+)$/i.exec(t);
  if (history) return { kind: 'history', ref: history[1]!.trim() };
  const tag = /^(?:tag\s+|#)([^\s]+)$/i.exec(t);
  if (tag) return { kind: 'tag', tag: tag[1]!.toLowerCase(), page: 0 };
  return { kind: 'lookup', text: t, page: 0 };
}

/** Runs a `/data` request against the catalog. Shared by Slack and the terminal chat. */
export async function runDataCommand(req: DataRequest, deps: Pick<CoreDeps, 'graph' | 'search' | 'now' | 'timeZone'>): Promise<DataResult> {
  switch (req.kind) {
    case 'help':
      return { kind: 'help' };
    case 'history': {
      const found = await resolveTableRef(req.ref, deps);
      if (found.kind === 'found') return { kind: 'history', history: await tableHistory(found.table.key, deps) };
      const suggestions = found.kind === 'ambiguous' ? await toResultItems(found.keys.map((key) => ({ key, kind: 'table' as const })), deps.graph) : (await searchCatalog(req.ref, 0, deps)).items.filter((i) => i.kind === 'table');
      return { kind: 'not_found', ref: req.ref, suggestions };
    }
    case 'tag':
      return { kind: 'tag', tag: req.tag, page: await tagPage(req.tag, req.page, deps) };
    case 'lookup': {
      if (req.page === 0 && looksLikeTableRef(req.text)) {
        const found = await resolveTableRef(req.text, deps);
        if (found.kind === 'found') return { kind: 'card', card: await tableCardOf(found.table, deps) };
        if (found.kind === 'ambiguous') {
          const items = await toResultItems(found.keys.slice(0, SEARCH_PAGE_SIZE * 2).map((key) => ({ key, kind: 'table' as const })), deps.graph);
          return { kind: 'search', page: { query: req.text, page: 0, pageSize: items.length, items, hasMore: false }, note: `Several tables are called ${req.text}; pick one.` };
        }
      }
      return { kind: 'search', page: await searchCatalog(req.text, req.page, deps) };
    }
  }
}

/** One page of the tables carrying a tag, most read first. */
export async function tagPage(tag: string, page: number, deps: Pick<CoreDeps, 'graph'>, pageSize = SEARCH_PAGE_SIZE): Promise<SearchPage> {
  const overview = await catalogOverview(deps.graph);
  const keys = overview.byTag.get(tag) ?? [];
  const rank = new Map(overview.popular.map((k, i) => [k, i]));
  const sorted = [...keys].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || a.localeCompare(b));
  const safe = Math.max(0, Math.min(Math.floor(page) || 0, Math.max(0, Math.ceil(sorted.length / pageSize) - 1)));
  const slice = sorted.slice(safe * pageSize, safe * pageSize + pageSize);
  const items = await toResultItems(slice.map((key) => ({ key, kind: 'table' as const })), deps.graph);
  return { query: `#${tag}`, page: safe, pageSize, items, hasMore: sorted.length > (safe + 1) * pageSize };
}
