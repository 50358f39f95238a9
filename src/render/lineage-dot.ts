/**
 * The lineage picture as Graphviz DOT: pure, from a gathered `LineageGraph`. Node ids are generated (`n0`, `n1`…);
 * names from the catalog only ever appear inside quoted, escaped labels, so no name can change the graph.
 */
import type { LineageGraph, LineageNode } from '../core/lineage-graph';
import { messagesFor, type Lang } from '../text/catalogue';

/** How much the picture may show. */
export interface LineageDotOptions {
  /** Nodes drawn at most, the subject included (default 40); the rest are counted in a "+N more" note. */
  maxNodes?: number;
  /** Characters of a label at most (default 48). */
  maxLabel?: number;
}

/** The DOT text, and what was left out of it. */
export interface LineageDot {
  dot: string;
  /** Nodes drawn (the subject included). */
  shown: LineageNode[];
  /** Nodes of the graph not drawn. */
  omitted: number;
}

export const LINEAGE_MAX_NODES = 40;
/**
 * Fonts by script. Latin labels name one font that Graphviz has metrics for, so boxes fit their text. Shaping text
 * with a CJK font costs ~30 ms a label (its tables are huge), so only labels with CJK characters ask for one; without
 * it installed, the renderer falls back to what it has.
 */
const FONT = 'DejaVu Sans';
const CJK_FONT = 'Noto Sans CJK KR,Noto Sans CJK JP,NanumGothic,DejaVu Sans,sans-serif';
const CJK = /[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]/;

/**
 * Escapes text for a double-quoted DOT string used as a label: backslashes (DOT's escape character, and `\N`,
 * `\G`… would substitute names), quotes, line breaks (kept as centred line breaks), other control characters
 * (dropped). `<>{}|` are literal in a quoted label of a non-record shape, which is all this module draws.
 */
export function escapeDotLabel(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\p{Cc}|[\u2028\u2029]/gu, '');
}

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/**
 * The words under a node's name: what the marks mean, so the picture needs no legend. The picture itself keeps
 * English (a server without a CJK font would draw Korean as boxes); the list beside it is in the reader's `lang`.
 */
export function nodeMarks(n: LineageNode, lang: Lang = 'en'): string[] {
  const m = messagesFor(lang);
  const marks: string[] = [];
  if (n.deprecated) marks.push(m('lineage.mark.deprecated'));
  if (n.stale) marks.push(m('lineage.mark.stale'));
  if (n.removed) marks.push(m('lineage.mark.removed'));
  if (n.unknown) marks.push(m('lineage.mark.unknown'));
  return marks;
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v : `"${escapeDotLabel(v)}"`}`)
    .join(', ');
}

function nodeAttrs(n: LineageNode, maxLabel: number): Record<string, string | number> {
  const marks = nodeMarks(n);
  const label = [clip(n.label, maxLabel), ...(n.kind === 'dashboard' ? ['dashboard'] : []), ...(marks.length ? [`(${marks.join(', ')})`] : [])].join('\n');
  const a: Record<string, string | number> = { label, tooltip: clip(n.key, 200) };
  // Graphviz measures CJK text with a Latin font's widths: wider margins keep it inside its box
  if (CJK.test(label)) Object.assign(a, { fontname: CJK_FONT, margin: '0.32,0.08' });
  if (n.kind === 'dashboard') Object.assign(a, { shape: 'note', fillcolor: '#fff4d6' });
  if (n.role === 'subject') Object.assign(a, { fillcolor: '#cfe3ff', penwidth: 2.5 });
  const style = ['filled', ...(n.kind === 'table' ? ['rounded'] : []), ...(n.deprecated || n.removed ? ['dashed'] : n.unknown ? ['dotted'] : [])];
  a.style = style.join(',');
  if (n.deprecated || n.removed) Object.assign(a, { fillcolor: '#e6e6e6', fontcolor: '#666666', color: '#888888' });
  else if (n.stale) Object.assign(a, { fillcolor: n.role === 'subject' ? '#ffe0b3' : '#fff0dc', color: '#d97a00', penwidth: 2 });
  return a;
}

/**
 * Draws the graph left to right (upstream on the left, the subject in the middle, downstream and dashboards on the
 * right). Keeps the first `maxNodes` nodes (the graph lists the nearest first), draws only edges between kept
 * nodes, and notes how many were left out.
 */
export function lineageDot(graph: LineageGraph, options: LineageDotOptions = {}): LineageDot {
  const maxNodes = Math.max(1, options.maxNodes ?? LINEAGE_MAX_NODES);
  const maxLabel = Math.max(8, options.maxLabel ?? 48);
  const subject = graph.nodes.find((n) => n.key === graph.subject);
  const rest = graph.nodes.filter((n) => n.key !== graph.subject);
  const shown = [...(subject ? [subject] : []), ...rest].slice(0, maxNodes);
  const omitted = graph.nodes.length - shown.length;
  const ids = new Map(shown.map((n, i) => [n.key, `n${i}`]));
  const lines = [
    'digraph lineage {',
    `  graph [${attrs({ rankdir: 'LR', fontname: FONT, fontsize: 12, nodesep: 0.25, ranksep: 0.6, bgcolor: 'white', pad: 0.2 })}];`,
    `  node [${attrs({ shape: 'box', style: 'rounded,filled', fillcolor: '#f7f7f7', color: '#555555', fontname: FONT, fontsize: 11, margin: '0.2,0.08' })}];`,
    `  edge [${attrs({ color: '#777777', arrowsize: 0.7 })}];`,
  ];
  for (const n of shown) lines.push(`  ${ids.get(n.key)} [${attrs(nodeAttrs(n, maxLabel))}];`);
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from && to && from !== to) lines.push(`  ${from} -> ${to};`);
  }
  if (omitted > 0) {
    lines.push(`  more [${attrs({ shape: 'plaintext', style: '', label: `+${omitted} more not shown`, fontcolor: '#555555' })}];`);
    if (ids.has(graph.subject)) lines.push(`  ${ids.get(graph.subject)} -> more [style=invis];`);
  }
  lines.push('}');
  return { dot: `${lines.join('\n')}\n`, shown, omitted };
}
