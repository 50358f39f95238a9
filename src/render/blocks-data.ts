import type { DataResult } from '../core/data-command';
import type { Rendered } from './blocks-common';
import { historyBlocks } from './blocks-history';
import { helpBlocks, notFoundBlocks } from './blocks-messages';
import { searchBlocks } from './blocks-search';
import { tableCardBlocks } from './table-card';
import type { Lang } from '../text/catalogue';

/** The reply to `/data ...`, in Slack and in the terminal alike. */
export function dataResultBlocks(result: DataResult, options: { now: Date; timeZone: string; shareable: boolean; columnPage?: number; lang?: Lang }): Rendered {
  switch (result.kind) {
    case 'help':
      return helpBlocks(options.lang);
    case 'search':
      return searchBlocks(result.page, { ...options, ...(result.note ? { note: result.note } : {}) });
    case 'tag':
      return searchBlocks(result.page, { ...options, tag: result.tag });
    case 'card':
      return tableCardBlocks(result.card, options);
    case 'history':
      return historyBlocks(result.history, options);
    case 'not_found':
      return notFoundBlocks(result.ref, result.suggestions, options.now, options.lang);
  }
}
