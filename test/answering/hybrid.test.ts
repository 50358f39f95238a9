import { fuse, type FusionInput } from '../../src/answering/hybrid';

const keys = (xs: Array<{ key: string }>) => xs.map((x) => x.key);

describe('fuse', () => {
  const base: FusionInput[] = [
    { key: 'a', lexical: 3, similarity: 0.8, prior: 1 },
    { key: 'b', lexical: 2, similarity: 0.81, prior: 1 },
    { key: 'c', lexical: 0, similarity: 0.79, prior: 1 },
  ];

  it('ranks by words first when the meanings are close', () => {
    expect(keys(fuse(base, 0.75))).toEqual(['a', 'b', 'c']);
  });

  it('lets meaning decide when the lexical weight is low', () => {
    expect(keys(fuse(base, 0.1))[0]).toBe('b');
  });

  it('counts a candidate the dense path did not return as the least similar one', () => {
    const withMissing = [...base, { key: 'd', lexical: 1, prior: 1 }];
    const fused = fuse(withMissing, 0.5);
    const c = fused.find((f) => f.key === 'c')!;
    const d = fused.find((f) => f.key === 'd')!;
    expect(d.score).toBeGreaterThan(c.score);
  });

  it('lifts a table whose best column matches the question, only when columns have weight', () => {
    const withColumns = base.map((c) => ({ ...c, columnSimilarity: c.key === 'b' ? 0.9 : 0.7 }));
    expect(keys(fuse(withColumns, 0.75, 0))[0]).toBe('a');
    expect(keys(fuse(withColumns, 0.75, 0.5))[0]).toBe('b');
  });

  it('sinks a deprecated table on the dense side by its prior', () => {
    const same = [
      { key: 'x', lexical: 1, similarity: 0.8, prior: 0.2 },
      { key: 'y', lexical: 1, similarity: 0.8, prior: 1 },
    ];
    expect(keys(fuse(same, 0.5))).toEqual(['y', 'x']);
  });

  it('orders ties by key and answers nothing for no candidates', () => {
    expect(keys(fuse([{ key: 'b', lexical: 1, prior: 1 }, { key: 'a', lexical: 1, prior: 1 }], 0.5))).toEqual(['a', 'b']);
    expect(fuse([], 0.5)).toEqual([]);
  });
});
