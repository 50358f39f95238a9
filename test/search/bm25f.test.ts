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

  it('leaves out what `accept` refuses before taking the best', () => {
    const even = index.search(clauses, 50, (key) => Number(key.slice(1)) % 2 === 0);
    expect(even).toHaveLength(50);
    expect(even).toEqual(index.search(clauses, 10_000).filter(([key]) => Number(key.slice(1)) % 2 === 0).slice(0, 50));
  });
});
