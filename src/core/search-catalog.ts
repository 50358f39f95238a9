import { searchCatalog as searchAnswering } from '../answering/answer';
import { analyze } from '../text/analyze';
import type { CoreDeps } from './deps';
import type { ResultItem } from './results';
import { toResultItems } from './results';

/** One page of catalog search results. */
export interface SearchPage {
  query: string;
  /** 0-based. */
  page: number;
  pageSize: number;
  items: ResultItem[];
  hasMore: boolean;
}

export const SEARCH_PAGE_SIZE = 5;
/** Results beyond this many are not paged to: refine the words instead. */
export const SEARCH_MAX_RESULTS = 50;

/** Words that carry no meaning in a catalog search ("which table has latency by country"). */
const STOPWORDS = new Set(['a', 'an', 'the', 'of', 'by', 'for', 'in', 'on', 'to', 'and', 'or', 'with', 'per', 'is', 'are', 'which', 'what', 'where', 'show', 'shows', 'me', 'find', 'table', 'tables', 'data', 'any', 'there', 'that', 'has', 'have']);

/** The search terms of a person's words: analysed like documents are, stopwords dropped unless nothing else is left. */
export function queryTerms(words: string): string[] {
  const all = [...new Set(analyze(words))];
  const meaningful = all.filter((t) => !STOPWORDS.has(t));
  return meaningful.length ? meaningful : all;
}

/**
 * Ranked catalog search, one page at a time: the same analysis, vocabulary and (with an embeddings server) hybrid
 * ranking as questions, so `/data 국가별 매출` finds what "국가별 매출 테이블 있어요?" finds.
 */
export async function searchCatalog(words: string, page: number, deps: Pick<CoreDeps, 'graph' | 'search' | 'now' | 'vocabulary' | 'meaning' | 'timeZone'>, pageSize = SEARCH_PAGE_SIZE): Promise<SearchPage> {
  const query = words.trim();
  const safePage = Math.max(0, Math.min(Math.floor(page) || 0, Math.floor((SEARCH_MAX_RESULTS - 1) / pageSize)));
  if (!queryTerms(query).length) return { query, page: 0, pageSize, items: [], hasMore: false };
  const limit = Math.min(SEARCH_MAX_RESULTS, (safePage + 1) * pageSize + 1);
  const hits = await searchAnswering(query, { graph: deps.graph, search: deps.search, now: deps.now, timeZone: deps.timeZone, ...(deps.vocabulary ? { vocabulary: deps.vocabulary } : {}), ...(deps.meaning ? { meaning: deps.meaning } : {}) }, { limit });
  const slice = hits.slice(safePage * pageSize, safePage * pageSize + pageSize);
  const items = await toResultItems(slice.map((h) => ({ key: h.key, kind: h.kind })), deps.graph);
  return { query, page: safePage, pageSize, items, hasMore: hits.length > (safePage + 1) * pageSize };
}
