import type { ResultItem } from '../core/results';
import type { SearchPage } from '../core/search-catalog';
import { ACTION, actionId, encodeValue } from './blocks-actions';
import type { Block, Button, Rendered } from './blocks-common';
import { actions, badgeText, button, context, people, plain, section, timeAgo } from './blocks-common';
import { escapeMrkdwn } from '../text/mrkdwn';
import { messagesFor, type Lang } from '../text/catalogue';

export interface ListOptions {
  now: Date;
  timeZone: string;
  /** Offer a "Share" button (an ephemeral reply); off once shared. */
  shareable: boolean;
  /** The reader's language (default English). */
  lang?: Lang;
}

/** One result as a section: name and badges, a line of description, last update and owners; "Open" beside it. */
export function resultBlock(item: ResultItem, n: number, now: Date, lang: Lang = 'en'): Block {
  const m = messagesFor(lang);
  const badges = badgeText(item.badges, item.deprecated);
  const dash = m('search.dashboard');
  const title = item.kind === 'dashboard' && item.url ? `*<${item.url}|${escapeMrkdwn(item.title)}>* ${dash}` : `*${escapeMrkdwn(item.title)}*${item.kind === 'dashboard' ? ` ${dash}` : ''}`;
  const meta = [item.lastUpdated ? m('search.updated', { when: timeAgo(item.lastUpdated, now, lang) }) : undefined, item.owners.length ? m('search.owner', { owners: people(item.owners, 3, lang) }) : undefined].filter(Boolean).join(' · ');
  const lines = [`${title}${badges ? `  ${badges}` : ''}`, item.description ? escapeMrkdwn(item.description) : m('search.noDescription'), meta ? `_${meta}_` : ''].filter(Boolean);
  const open = item.kind === 'table' ? button(m('search.open'), actionId(ACTION.openCard, n), encodeValue('table', { key: item.key })) : undefined;
  return section(lines.join('\n'), open);
}

/** A page of search (or tag) results with paging buttons. */
export function searchBlocks(page: SearchPage, options: ListOptions & { tag?: string; note?: string }): Rendered {
  const lang = options.lang ?? 'en';
  const m = messagesFor(lang);
  const what = options.tag ? m('search.tagged', { tag: escapeMrkdwn(options.tag) }) : `*${escapeMrkdwn(page.query)}*`;
  if (!page.items.length) {
    const text = page.page > 0 ? m('search.noMore', { what }) : m('search.nothing', { what });
    return { text: plain(text), blocks: [section(text)] };
  }
  const from = page.page * page.pageSize + 1;
  const to = from + page.items.length - 1;
  const blocks: Block[] = [section(options.note ? escapeMrkdwn(options.note) : m('search.resultsFor', { what }))];
  page.items.forEach((item, i) => blocks.push(resultBlock(item, i, options.now, lang)));
  blocks.push(context([m('search.range', { from, to, all: page.hasMore ? '' : m('search.all') })]));
  const buttons: Button[] = [];
  const pageValue = (p: number): string => (options.tag ? encodeValue('tagPage', { t: options.tag, p }) : encodeValue('searchPage', { q: page.query, p }));
  const pageAction = options.tag ? ACTION.tagPage : ACTION.searchPage;
  if (page.page > 0) buttons.push(button(m('search.previous'), actionId(pageAction, 0), pageValue(page.page - 1)));
  if (page.hasMore) buttons.push(button(m('search.next'), actionId(pageAction, 1), pageValue(page.page + 1)));
  if (options.shareable) {
    buttons.push(button(m('card.share'), ACTION.share, options.tag ? encodeValue('share', { k: 'tag', t: options.tag, p: page.page }) : encodeValue('share', { k: 'search', q: page.query, p: page.page })));
  }
  if (buttons.length) blocks.push(...actions(buttons, 'nansen.results.actions'));
  const text = escapeMrkdwn(m('search.fallback', { what: options.tag ? `#${options.tag}` : page.query, titles: page.items.map((i) => i.title).join(', ') }));
  return { text, blocks };
}
