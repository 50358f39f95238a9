import { generateCatalog } from '../../bench/generate-catalog';
import { TableDirectory, type NameMatch } from '../../src/answering/directory';
import { splitIdentifier } from '../../src/text/analyze';
import { editDistance } from '../../src/text/fuzzy';
import { seededRandom } from '../../bench/lib';

/** The scan the index replaced: every name scored. */
function bruteForce(names: Map<string, string[]>, token: string, options: { maxEdits?: number; limit?: number }): Array<{ key: string; distance: number; similarity: number }> {
  const t = token.toLowerCase();
  const tParts = new Set(splitIdentifier(t));
  const max = options.maxEdits ?? Number.POSITIVE_INFINITY;
  const out: Array<{ key: string; distance: number; similarity: number }> = [];
  for (const [name, keys] of names) {
    const d = editDistance(t, name, max);
    if (d > max) continue;
    const nParts = splitIdentifier(name);
    const jaccard = nParts.filter((p) => tParts.has(p)).length / (new Set([...tParts, ...nParts]).size || 1);
    const similarity = 0.5 * (1 - d / Math.max(t.length, name.length, 1)) + 0.5 * jaccard;
    for (const key of keys) out.push({ key, distance: d, similarity });
  }
  out.sort((a, b) => (options.maxEdits !== undefined ? a.distance - b.distance : 0) || b.similarity - a.similarity || a.key.localeCompare(b.key));
  return out.slice(0, options.limit ?? out.length);
}

const flat = (ms: NameMatch[]) => ms.map((m) => ({ key: m.entry.key, distance: m.distance, similarity: m.similarity }));

/** A typo: one or two random edits (substitution, deletion, insertion, transposition). */
function typo(word: string, edits: number, rand: () => number): string {
  let w = word;
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rand() * w.length);
    const c = 'abcdefghijklmnopqrstuvwxyz_'[Math.floor(rand() * 27)]!;
    const op = Math.floor(rand() * 4);
    if (op === 0) w = w.slice(0, i) + c + w.slice(i + 1);
    else if (op === 1 && w.length > 3) w = w.slice(0, i) + w.slice(i + 1);
    else if (op === 2) w = w.slice(0, i) + c + w.slice(i);
    else if (i + 1 < w.length) w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  }
  return w;
}

describe('TableDirectory fuzzy lookups (indexed)', () => {
  const catalog = generateCatalog(1500, 7);
  const keys = catalog.tables.map((t) => t.key);
  const directory = new TableDirectory(keys);
  const names = new Map<string, string[]>();
  for (const e of directory.entries) names.set(e.name.toLowerCase(), [...(names.get(e.name.toLowerCase()) ?? []), e.key]);
  const rand = seededRandom(11);
  const sample = [...names.keys()].filter((_, i) => i % 25 === 0);
  const tokens = sample.flatMap((n) => [typo(n, 1, rand), typo(n, 2, rand), typo(n, 3, rand)]).concat(['duration_sec', 'sesions', 'x', 'ab', 'latncy_by_cuntry', '세션_로그']);

  it('finds exactly what a full scan finds within a number of edits', () => {
    for (const token of tokens) {
      for (const maxEdits of [1, 2, 3]) expect({ token, maxEdits, m: flat(directory.closest(token, { maxEdits })) }).toEqual({ token, maxEdits, m: bruteForce(names, token, { maxEdits }) });
    }
  });

  it('suggests the same closest names as a full scan', () => {
    let same = 0;
    for (const token of tokens) {
      const got = flat(directory.closest(token, { limit: 3 })).map((m) => m.similarity);
      const want = bruteForce(names, token, { limit: 3 }).map((m) => m.similarity);
      if (JSON.stringify(got) === JSON.stringify(want)) same++;
    }
    // candidates are the names sharing the most parts and bigrams: all but a rare tie-break agree
    expect(same / tokens.length).toBeGreaterThanOrEqual(0.98);
  });
});
