/** The lineage picture in words: the comment posted with the image, and its alt text. */
import type { LineageGraph, LineageNode } from '../core/lineage-graph';
import { messagesFor, type Lang } from '../text/catalogue';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { nodeMarks } from './lineage-dot';

/** Names listed per group at most; the rest are counted. */
const PER_GROUP = 12;

interface Group {
  title: string;
  nodes: LineageNode[];
}

function groups(graph: LineageGraph, lang: Lang): Group[] {
  const m = messagesFor(lang);
  const of = (role: LineageNode['role'], hop?: number): LineageNode[] => graph.nodes.filter((n) => n.role === role && (hop === undefined || n.hop === hop));
  const maxHop = Math.max(0, ...graph.nodes.filter((n) => n.kind === 'table').map((n) => n.hop));
  const out: Group[] = [];
  for (let hop = 1; hop <= maxHop; hop++) out.push({ title: m('lineage.upstream', { n: hop }), nodes: of('upstream', hop) });
  for (let hop = 1; hop <= maxHop; hop++) out.push({ title: m('lineage.downstream', { n: hop }), nodes: of('downstream', hop) });
  out.push({ title: m('lineage.dashboards'), nodes: of('dashboard') });
  return out.filter((g) => g.nodes.length);
}

/**
 * Slack mrkdwn beside the picture: the subject, each direction by hop, the dashboards, marks in words, and how
 * many nodes the picture left out. Every name is escaped; at most 2900 characters.
 */
export function lineageListText(graph: LineageGraph, omitted: number, lang: Lang = 'en'): string {
  const m = messagesFor(lang);
  const subject = graph.nodes.find((n) => n.key === graph.subject);
  const item = (n: LineageNode): string => {
    const marks = nodeMarks(n, lang);
    return `\`${escapeMrkdwn(truncate(n.label, 80)).replace(/`/g, "'")}\`${marks.length ? ` _(${marks.join(', ')})_` : ''}`;
  };
  const lines = [m('lineage.of', { subject: subject ? item(subject) : '`?`' })];
  const found = groups(graph, lang);
  if (!found.length) lines.push(m('lineage.none'));
  for (const g of found) {
    const shown = g.nodes.slice(0, PER_GROUP).map(item).join(', ');
    lines.push(`*${g.title}:* ${shown}${g.nodes.length > PER_GROUP ? m('lineage.andMore', { n: g.nodes.length - PER_GROUP }) : ''}`);
  }
  if (omitted > 0) lines.push(m('lineage.leftOut', { n: omitted }));
  return truncate(lines.join('\n'), 2900);
}

/** Plain text for the image's alt text (Slack allows 1000 characters). */
export function lineageAltText(graph: LineageGraph, lang: Lang = 'en'): string {
  const m = messagesFor(lang);
  const subject = graph.nodes.find((n) => n.key === graph.subject)?.label ?? graph.subject;
  const counts = groups(graph, lang).map((g) => `${g.title.toLowerCase()}: ${g.nodes.slice(0, 5).map((n) => n.label).join(', ')}${g.nodes.length > 5 ? m('lineage.andMore', { n: g.nodes.length - 5 }) : ''}`);
  return truncate(`${m('lineage.alt', { subject })}${counts.length ? `. ${counts.join('; ')}` : ''}`, 1000);
}
