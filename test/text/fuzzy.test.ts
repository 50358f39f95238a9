import { allowedEdits, closestWord, editDistance, isTransposition } from '../../src/text/fuzzy';

describe('edit distance and typo correction', () => {
  it.each([
    ['region', 'regoin', 1],
    ['version', 'verison', 1],
    ['latency', 'latnecy', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['국가', '국가별', 1],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('stops early beyond a bound', () => {
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
  });

  it('allows more edits in longer words, none in short ones', () => {
    expect(allowedEdits('dau')).toBe(0);
    expect(allowedEdits('tile')).toBe(0);
    expect(allowedEdits('regoin')).toBe(1);
    expect(allowedEdits('stickness')).toBe(2);
    expect(allowedEdits('지연시간')).toBe(1);
  });

  it('recognises swapped neighbours', () => {
    expect(isTransposition('pnig', 'ping')).toBe(true);
    expect(isTransposition('watch', 'batch')).toBe(false);
  });

  it('picks the closest, then the most frequent word', () => {
    const dict = new Map([['region', 5], ['regions', 1], ['legion', 9]]);
    expect(closestWord('regoin', dict)).toEqual({ word: 'region', distance: 1 });
    expect(closestWord('rgion', dict)?.word).toBe('region');
    expect(closestWord('mahjong', dict)).toBeUndefined();
  });
});
