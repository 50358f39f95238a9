import { lineageAltText, lineageListText } from '../../src/render/lineage-list';
import { node, star } from './lineage-fixtures';

describe('lineageListText', () => {
  it('lists each direction by hop and the dashboards, with the marks in words', () => {
    const g = star(1, 1);
    g.nodes.push(node('far', 'downstream', 2, { label: 'mart.far', stale: true }), node('kpi', 'dashboard', 1, { label: 'KPI' }));
    g.nodes[1]!.deprecated = true;
    expect(lineageListText(g, 3).split('\n')).toEqual([
      '*Lineage of `gold.sessions`*',
      '*Upstream, 1 hop:* `raw.up_0` _(deprecated)_',
      '*Downstream, 1 hop:* `mart.down_0`',
      '*Downstream, 2 hops:* `mart.far` _(stale)_',
      '*Dashboards:* `KPI`',
      '_The picture leaves out 3 more._',
    ]);
  });

  it('escapes names: no mention, link or code break from a table name', () => {
    const g = star(1, 0, '<!channel> `x` <https://evil|click>');
    const text = lineageListText(g, 0);
    expect(text).not.toMatch(/<!channel>|<https:/);
    expect(text.split('\n')[0]!.match(/`/g)).toHaveLength(2);
  });

  it('says when nothing is recorded, counts beyond 12 a group, and stays short', () => {
    expect(lineageListText(star(0, 0), 0)).toContain('No upstream or downstream tables or dashboards are recorded.');
    expect(lineageListText(star(20, 0), 0)).toContain('and 8 more');
    expect(lineageListText(star(500, 500, 'x'.repeat(100)), 0).length).toBeLessThanOrEqual(2900);
    expect(lineageAltText(star(500, 500)).length).toBeLessThanOrEqual(1000);
  });
});
