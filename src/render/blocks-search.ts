import type { ResultItem } from '../core/results';
import type { SearchPage } from '../core/search-catalog';
import { ACTION, actionId, encodeValue } from './blocks-actions';
import type { Block, Button, Rendered } from './blocks-common';
import { actions, badgeText, button, context, people, plain, section, timeAgo } from './blocks-common';
import { escapeMrkdwn } from '../text/mrkdwn';

export interface ListOptions {
  now: Date;
  timeZone: string;
  /** Offer a "Share" button (an ephemeral reply); off once shared. */
  shareable: boolean;
}

/** One result as a section: name and badges, a line of description, last update and owners; "Open" beside it. */
export function resultBlock(item: ResultItem, n: number, now: Date): Block {
  const badges = badgeText(item.badges, item.deprecated);
  const title = item.kind === 'dashboard' && item.url ? `*<${item.url}|${escapeMrkdwn(item.title)}>* (dashboard)` : `*${escapeMrkdwn(item.title)}*${item.kind === 'dashboard' ? ' (dashboard)' : ''}`;
  const meta = [item.lastUpdated ? `updated ${timeAgo(item.lastUpdated, now)}` : undefined, item.owners.length ? `owner ${people(item.owners, 3)}` : undefined].filter(Boolean).join(' · ');
  const lines = [`${title}${badges ? `  ${badges}` : ''}`, item.description ? escapeMrkdwn(item.description) : '_no description yet_', meta ? `_${meta}_` : ''].filter(Boolean);
  const open = item.kind === 'table' ? button('Open', actionId(ACTION.openCard, n), encodeValue('table', { key: item.key })) : undefined;
  return section(lines.join('\n'), open);
}

/** A page of search (or tag) results with paging buttons. */
export function searchBlocks(page: SearchPage, options: ListOptions & { tag?: string; note?: string }): Rendered {
  const what = options.tag ? `tables tagged *#${escapeMrkdwn(options.tag)}*` : `*${escapeMrkdwn(page.query)}*`;
  if (!page.items.length) {
    const text = page.page > 0 ? `No more results for ${what}.` : `Nothing in the catalog matched ${what}. Try other or fewer words, a table name, or \`/data help\`.`;
    return { text: plain(text), blocks: [section(text)] };
  }
  const from = page.page * page.pageSize + 1;
  const to = from + page.items.length - 1;
  const blocks: Block[] = [section(options.note ? escapeMrkdwn(options.note) : `Results for ${what}`)];
  page.items.forEach((item, i) => blocks.push(resultBlock(item, i, options.now)));
  blocks.push(context([`Results ${from}–${to}${page.hasMore ? '' : ' (all)'} · \`/data <table>\` opens a card`]));
  const buttons: Button[] = [];
  const pageValue = (p: number): string => (options.tag ? encodeValue('tagPage', { t: options.tag, p }) : encodeValue('searchPage', { q: page.query, p }));
  const pageAction = options.tag ? ACTION.tagPage : ACTION.searchPage;
  if (page.page > 0) buttons.push(button('◀ Previous', actionId(pageAction, 0), pageValue(page.page - 1)));
  if (page.hasMore) buttons.push(button('Next ▶', actionId(pageAction, 1), pageValue(page.page + 1)));
  if (options.shareable) {
    buttons.push(button('Share in channel', ACTION.share, options.tag ? encodeValue('share', { k: 'tag', t: options.tag, p: page.page }) : encodeValue('share', { k: 'search', q: page.query, p: page.page })));
  }
  if (buttons.length) blocks.push(...actions(buttons, 'nansen.results.actions'));
  const text = escapeMrkdwn(`Results for ${options.tag ? `#${options.tag}` : page.query}: ${page.items.map((i) => i.title).join(', ')}`);
  return { text, blocks };
}
