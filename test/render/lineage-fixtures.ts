import type { LineageGraph, LineageNode } from '../../src/core/lineage-graph';

/** A node of a hand-made lineage graph. */
export function node(key: string, role: LineageNode['role'], hop: number, extra: Partial<LineageNode> = {}): LineageNode {
  return { key, label: key, kind: role === 'dashboard' ? 'dashboard' : 'table', role, hop, deprecated: false, stale: false, removed: false, unknown: false, ...extra };
}

/** A subject with `up` parents and `down` children (one hop), each an edge to or from the subject. */
export function star(up: number, down: number, subjectLabel = 'gold.sessions'): LineageGraph {
  const nodes = [node('s', 'subject', 0, { label: subjectLabel })];
  const edges = [];
  for (let i = 0; i < up; i++) {
    nodes.push(node(`u${i}`, 'upstream', 1, { label: `raw.up_${i}` }));
    edges.push({ from: `u${i}`, to: 's' });
  }
  for (let i = 0; i < down; i++) {
    nodes.push(node(`d${i}`, 'downstream', 1, { label: `mart.down_${i}` }));
    edges.push({ from: 's', to: `d${i}` });
  }
  return { subject: 's', nodes, edges };
}
