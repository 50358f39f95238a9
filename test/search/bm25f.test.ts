import { Bm25fIndex } from '../../src/search/bm25f';
import type { SearchFields } from '../../src/ports/search-index';
import { seededRandom } from '../../tools/random';

const WORDS = ['revenue', 'daily', 'country', 'latency', 'user', 'session', 'crash', 'device', 'refund', 'guild'];

function fields(rand: () => number): SearchFields {
  const pick = (n: number): string => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  return { name: pick(2), columns: pick(6), description: pick(4), tags: pick(1), path: 'game prod' };
}

describe('Bm25fIndex.search', () => {
  const rand = seededRandom(5);
  const index = new Bm25fIndex();
  // few words and short fields: many documents score exactly alike
  for (let i = 0; i < 3000; i++) index.put(`t${i}`, fields(rand));
  const clauses = [
    { term: 'revenue', boost: 1 },
    { term: 'country', boost: 0.5 },
  ];

  it('the best k are the first k of the full ranking, for any k', () => {
    const all = index.search(clauses, 10_000);
    expect(all.length).toBeGreaterThan(1000);
    for (let i = 1; i < all.length; i++) expect(all[i]![1]).toBeLessThanOrEqual(all[i - 1]![1]);
    for (const k of [1, 7, 150, 999]) expect(index.search(clauses, k)).toEqual(all.slice(0, k));
  });

  it('equal scores keep the order in which documents were added', () => {
    const same = new Bm25fIndex();
    const text: SearchFields = { name: 'daily revenue', columns: '', description: '', tags: '', path: '' };
    for (const key of ['c', 'a', 'b', 'd']) same.put(key, text);
    same.put('other', { ...text, name: 'daily latency' });
    expect(same.search([{ term: 'revenue', boost: 1 }], 3).map(([key]) => key)).toEqual(['c', 'a', 'b']);
  });

  it('keeps to the groups asked for before taking the best', () => {
    const grouped = new Bm25fIndex();
    const r = seededRandom(9);
    for (let i = 0; i < 3000; i++) grouped.put(`t${i}`, fields(r), i % 3);
    const all = grouped.search(clauses, 10_000);
    const inGroup = (groups: number[]) => ([key]: [string, number]) => groups.includes(Number(key.slice(1)) % 3);
    for (const groups of [[0], [1, 2], [2]]) {
      const kept = grouped.search(clauses, 50, new Set(groups));
      expect(kept).toHaveLength(50);
      expect(kept).toEqual(all.filter(inGroup(groups)).slice(0, 50));
    }
    expect(grouped.search(clauses, 10_000, new Set([0, 1, 2]))).toEqual(all);
    expect(grouped.search(clauses, 10_000, new Set([7]))).toEqual([]);
  });

  it('a replaced or deleted document leaves its group, also after compaction', () => {
    const g = new Bm25fIndex();
    const text: SearchFields = { name: 'daily revenue', columns: '', description: '', tags: '', path: '' };
    g.put('a', text, 1);
    g.put('b', text, 0);
    g.put('a', text, 0);
    // group 1 is empty now: asking for group 0 alone is asking for everything
    expect(g.search([{ term: 'revenue', boost: 1 }], 10, new Set([0])).map(([k]) => k).sort()).toEqual(['a', 'b']);
    expect(g.search([{ term: 'revenue', boost: 1 }], 10, new Set([1]))).toEqual([]);
    for (let i = 0; i < 1200; i++) g.put(`x${i}`, text, 2);
    for (let i = 0; i < 1200; i++) g.delete(`x${i}`);
    g.put('c', text, 1);
    expect(g.search([{ term: 'revenue', boost: 1 }], 10, new Set([1])).map(([k]) => k)).toEqual(['c']);
    expect(g.search([{ term: 'revenue', boost: 1 }], 10, new Set([0])).map(([k]) => k).sort()).toEqual(['a', 'b']);
  });
});
