import { escapeDotLabel, lineageDot } from '../../src/render/lineage-dot';
import { dotToSvg } from '../../src/render/lineage-image';
import { node, star } from './lineage-fixtures';

/** The label of the node drawn for `key` (`n0`, `n1`… in the order drawn), as DOT text. */
function labelLine(dot: string, id: string): string {
  const line = dot.split('\n').find((l) => l.startsWith(`  ${id} [`));
  if (!line) throw new Error(`no node ${id} in\n${dot}`);
  return line;
}

/** The text of every <text> element of an SVG, XML entities decoded. */
function svgTexts(svg: string): string[] {
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#45;/g, '-').replace(/&amp;/g, '&');
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]!));
}

describe('escapeDotLabel', () => {
  it.each([
    ['plain', 'gold.sessions', 'gold.sessions'],
    ['quote', 'a"b', 'a\\"b'],
    ['backslash', 'a\\b', 'a\\\\b'],
    ['backslash before a quote', 'a\\"', 'a\\\\\\"'],
    ['graphviz escapes stay literal', '\\N \\G \\l', '\\\\N \\\\G \\\\l'],
    ['newline becomes a DOT line break', 'a\nb', 'a\\nb'],
    ['CRLF too', 'a\r\nb', 'a\\nb'],
    ['control characters dropped', 'a\u0000b\u0007c\u001b[31m', 'abc[31m'],
    ['record and HTML characters are literal', '<b>{x|y}</b>', '<b>{x|y}</b>'],
  ])('%s', (_, input, expected) => {
    expect(escapeDotLabel(input)).toBe(expected);
  });
});

describe('lineageDot', () => {
  it('draws the subject, both directions and dashboards, with edges in the direction data flows', () => {
    const g = star(1, 1);
    g.nodes.push(node('u1x', 'upstream', 2, { label: 'raw.far_up' }), node('d1x', 'downstream', 2, { label: 'mart.far_down' }), node('dash', 'dashboard', 1, { label: 'KPI board' }));
    g.edges.push({ from: 'u1x', to: 'u0' }, { from: 'd0', to: 'd1x' }, { from: 's', to: 'dash' });
    const { dot, shown, omitted } = lineageDot(g);
    expect(omitted).toBe(0);
    expect(shown.map((n) => n.key)).toEqual(['s', 'u0', 'd0', 'u1x', 'd1x', 'dash']);
    expect(dot).toMatch(/^digraph lineage \{/);
    expect(dot).toContain('rankdir="LR"');
    // ids are n<i> in the order shown: s=n0 u0=n1 d0=n2 u1x=n3 d1x=n4 dash=n5
    for (const e of ['n1 -> n0;', 'n0 -> n2;', 'n3 -> n1;', 'n2 -> n4;', 'n0 -> n5;']) expect(dot).toContain(e);
    expect(labelLine(dot, 'n0')).toContain('penwidth=2.5');
    expect(labelLine(dot, 'n5')).toContain('shape="note"');
    expect(labelLine(dot, 'n5')).toContain('label="KPI board\\ndashboard"');
  });

  it('marks deprecated, stale, removed and unknown nodes in words and in style', () => {
    const g = star(0, 0);
    g.nodes.push(
      node('dep', 'upstream', 1, { label: 'raw.old', deprecated: true }),
      node('st', 'upstream', 1, { label: 'raw.late', stale: true }),
      node('rm', 'downstream', 1, { label: 'mart.gone', removed: true }),
      node('unk', 'upstream', 1, { label: 'hive://x.y/z', unknown: true }),
    );
    const { dot } = lineageDot(g);
    expect(labelLine(dot, 'n1')).toMatch(/label="raw\.old\\n\(deprecated\)".*style="filled,rounded,dashed"/);
    expect(labelLine(dot, 'n2')).toMatch(/label="raw\.late\\n\(stale\)".*color="#d97a00"/);
    expect(labelLine(dot, 'n3')).toMatch(/label="mart\.gone\\n\(removed\)".*dashed/);
    expect(labelLine(dot, 'n4')).toMatch(/label="hive:\/\/x\.y\/z\\n\(not in catalog\)".*dotted/);
    expect(labelLine(dot, 'n0')).not.toMatch(/deprecated|stale/);
  });

  it('caps the nodes drawn, keeps the subject and the nearest, and says how many more there are', () => {
    const g = star(30, 30);
    // the subject listed last must still be drawn
    g.nodes.push(g.nodes.shift()!);
    const { dot, shown, omitted } = lineageDot(g, { maxNodes: 40 });
    expect(shown).toHaveLength(40);
    expect(shown[0]!.key).toBe('s');
    expect(omitted).toBe(21);
    expect(dot).toContain('label="+21 more not shown"');
    expect(dot.match(/^ {2}n\d+ \[/gm)).toHaveLength(40);
    // no edge to a node not drawn
    for (const m of dot.matchAll(/n(\d+) -> n(\d+)/g)) expect(Math.max(Number(m[1]), Number(m[2]))).toBeLessThan(40);
  });

  it('defaults to at most 40 nodes', () => {
    expect(lineageDot(star(100, 100)).shown).toHaveLength(40);
    expect(lineageDot(star(5, 5)).omitted).toBe(0);
  });

  it('clips long labels', () => {
    const { dot } = lineageDot(star(0, 0, `gold.${'x'.repeat(300)}`), { maxLabel: 30 });
    const label = /label="([^"]*)"/.exec(labelLine(dot, 'n0'))![1]!;
    expect([...label].length).toBe(30);
    expect(label.endsWith('…')).toBe(true);
  });

  const HOSTILE = [
    'evil"]; n0 -> n0; x [label="pwned',
    'back\\slash\\" and \\N\\G\\E',
    'new\nline\r\nand\ttab',
    '<b>html</b> {record|port} <f0>',
    '}\ndigraph x {',
    '세션 "로그" \\ 테이블',
    '// comment /* open',
  ];

  it.each(HOSTILE)('keeps a hostile name inside its label: %j', (name) => {
    const g = star(1, 0, name);
    g.nodes[1]!.label = name;
    const { dot } = lineageDot(g, { maxLabel: 200 });
    // outside DOT's quoted strings, only the generated statements: two nodes, one edge, and nothing injected
    const code = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(code.match(/^ {2}n\d+ \[/gm)).toHaveLength(2);
    expect(code.match(/->/g)).toHaveLength(1);
    expect(code).toContain('  n1 -> n0;');
    expect(code.match(/[{}]/g)).toHaveLength(2);
  });

  it('hostile names reach the picture as the text they are', async () => {
    const g = star(HOSTILE.length, 0, 'gold.sessions');
    HOSTILE.forEach((name, i) => (g.nodes[i + 1]!.label = name));
    const svg = await dotToSvg(lineageDot(g, { maxLabel: 200 }).dot);
    const texts = svgTexts(svg);
    expect((svg.match(/class="node"/g) ?? []).length).toBe(HOSTILE.length + 1);
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(HOSTILE.length);
    for (const name of HOSTILE) {
      const flat = name.replace(/\s+/g, ' ').trim();
      expect(texts).toContain(flat);
    }
  });
});
