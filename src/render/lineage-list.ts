/** The lineage picture in words: the comment posted with the image, and its alt text. */
import type { LineageGraph, LineageNode } from '../core/lineage-graph';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { nodeMarks } from './lineage-dot';

/** Names listed per group at most; the rest are counted. */
const PER_GROUP = 12;

interface Group {
  title: string;
  nodes: LineageNode[];
}

function groups(graph: LineageGraph): Group[] {
  const of = (role: LineageNode['role'], hop?: number): LineageNode[] => graph.nodes.filter((n) => n.role === role && (hop === undefined || n.hop === hop));
  const maxHop = Math.max(0, ...graph.nodes.filter((n) => n.kind === 'table').map((n) => n.hop));
  const out: Group[] = [];
  for (let hop = 1; hop <= maxHop; hop++) out.push({ title: `Upstream, ${hop} hop${hop > 1 ? 's' : ''}`, nodes: of('upstream', hop) });
  for (let hop = 1; hop <= maxHop; hop++) out.push({ title: `Downstream, ${hop} hop${hop > 1 ? 's' : ''}`, nodes: of('downstream', hop) });
  out.push({ title: 'Dashboards', nodes: of('dashboard') });
  return out.filter((g) => g.nodes.length);
}

/**
 * Slack mrkdwn beside the picture: the subject, each direction by hop, the dashboards, marks in words, and how
 * many nodes the picture left out. Every name is escaped; at most 2900 characters.
 */
export function lineageListText(graph: LineageGraph, omitted: number): string {
  const subject = graph.nodes.find((n) => n.key === graph.subject);
  const item = (n: LineageNode): string => {
    const marks = nodeMarks(n);
    return `\`${escapeMrkdwn(truncate(n.label, 80)).replace(/`/g, "'")}\`${marks.length ? ` _(${marks.join(', ')})_` : ''}`;
  };
  const lines = [`*Lineage of ${subject ? item(subject) : '`?`'}*`];
  const found = groups(graph);
  if (!found.length) lines.push('No upstream or downstream tables or dashboards are recorded.');
  for (const g of found) {
    const shown = g.nodes.slice(0, PER_GROUP).map(item).join(', ');
    lines.push(`*${g.title}:* ${shown}${g.nodes.length > PER_GROUP ? ` and ${g.nodes.length - PER_GROUP} more` : ''}`);
  }
  if (omitted > 0) lines.push(`_The picture leaves out ${omitted} more._`);
  return truncate(lines.join('\n'), 2900);
}

/** Plain text for the image's alt text (Slack allows 1000 characters). */
export function lineageAltText(graph: LineageGraph): string {
  const subject = graph.nodes.find((n) => n.key === graph.subject)?.label ?? graph.subject;
  const counts = groups(graph).map((g) => `${g.title.toLowerCase()}: ${g.nodes.slice(0, 5).map((n) => n.label).join(', ')}${g.nodes.length > 5 ? ` and ${g.nodes.length - 5} more` : ''}`);
  return truncate(`Lineage graph of ${subject}${counts.length ? `. ${counts.join('; ')}` : ''}`, 1000);
}
