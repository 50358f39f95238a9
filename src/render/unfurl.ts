import type { TableCard } from '../core/table-card';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { context, section, type Block } from './blocks-common';
import { unfurlMessages as M } from './messages/unfurl';

/** A table as a compact unfurl: title and description, then owners, last update and size in one context line. */
export function tableUnfurlBlocks(card: TableCard): Block[] {
  const m = M.en;
  const title = `*${escapeMrkdwn(card.title)}*${card.deprecated ? `  ${m.deprecated}` : ''}`;
  const description = card.description ? escapeMrkdwn(truncate(card.description.replace(/\s+/g, ' '), 280)) : m.noDescription;
  const owners = card.owners.length ? m.owners(card.owners.map((o) => escapeMrkdwn(o.name ?? o.id)).slice(0, 3).join(', ')) : m.noOwner;
  const facts = [owners, ...(card.lastUpdated ? [m.updated(card.lastUpdated.slice(0, 16).replace('T', ' ') + ' UTC')] : []), m.columns(card.columns.length), `\`${escapeMrkdwn(card.key)}\``];
  return [section(`${title}\n${description}`), context([facts.join('  ·  ')])];
}
