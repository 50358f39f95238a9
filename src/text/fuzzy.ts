/**
 * Edit distance for typo tolerance: optimal string alignment (Levenshtein plus adjacent transpositions, so
 * `regoin` is one edit from `region`), computed on code points so Hangul syllables count as one character.
 */

/**
 * The edit distance between two strings, or `max + 1` as soon as it is known to exceed `max` (cheap rejection of
 * far-apart words when scanning a vocabulary).
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (!s.length) return t.length;
  if (!t.length) return s.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * How many edits a word of this length may carry and still be corrected: none below 5 characters (too many
 * short words are one edit apart: tile/time, down/don), one up to 8, two from 9. Hangul syllables carry more information each, so
 * a Korean word of 3+ syllables may carry one.
 */
export function allowedEdits(word: string): number {
  const n = [...word].length;
  if (/[\uac00-\ud7a3]/.test(word)) return n >= 3 ? 1 : 0;
  if (n < 5) return 0;
  if (n < 9) return 1;
  return 2;
}

/** Whether `b` is `a` with two adjacent characters swapped (the commonest typo, and rarely another real word). */
export function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

export interface Correction {
  word: string;
  distance: number;
}

/**
 * The closest word of `dictionary` to `word` within `maxEdits`, preferring fewer edits, then the more frequent
 * word, then the alphabetically first (deterministic). `undefined` when nothing is close enough.
 */
export function closestWord(word: string, dictionary: ReadonlyMap<string, number>, maxEdits = allowedEdits(word)): Correction | undefined {
  if (maxEdits <= 0) return undefined;
  const len = [...word].length;
  let best: { word: string; distance: number; freq: number } | undefined;
  for (const [candidate, freq] of dictionary) {
    const clen = [...candidate].length;
    if (Math.abs(clen - len) > maxEdits || clen < 3) continue;
    const d = editDistance(word, candidate, best ? Math.min(best.distance, maxEdits) : maxEdits);
    if (d > maxEdits) continue;
    if (!best || d < best.distance || (d === best.distance && (freq > best.freq || (freq === best.freq && candidate < best.word)))) {
      best = { word: candidate, distance: d, freq };
    }
  }
  return best && { word: best.word, distance: best.distance };
}
