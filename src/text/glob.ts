/**
 * Glob matching without backtracking: `*` matches any run of characters (also none), every other character
 * matches itself. Runs in O(|glob| · |text|) time at worst and O(|glob| + |text|) space, whatever the input, so a
 * pattern a person typed can never stall the process (no regular expression is built from it).
 */

/** Matches `text` against `glob` (`*` only; no `?`, classes or escapes). Case-sensitive; callers fold case. */
export function globMatch(glob: string, text: string): boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return glob === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  // The middle parts, in order, each at its leftmost place after the previous one: leftmost placement is always
  // safe for `*`-only globs, so no choice is ever revisited.
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (!part) continue;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Folds a run of stars into one (`a**b` means `a*b`), so the count of stars reflects the pattern's real shape. */
export function collapseStars(glob: string): string {
  return glob.replace(/\*{2,}/g, '*');
}

/** The number of `*` in a glob. */
export function countStars(glob: string): number {
  let n = 0;
  for (const ch of glob) if (ch === '*') n++;
  return n;
}
