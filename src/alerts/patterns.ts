import { UserError } from '../domain/errors';
import { parseTableKey } from '../domain/keys';
import { collapseStars, countStars, globMatch } from '../text/glob';
import { t, type Lang } from '../text/catalogue';

/**
 * What a channel subscribes to:
 * - `key`    a table key or a glob over keys (`hive://gold.game_log/sessions`, `hive://gold.*`, `pg://main.sales/*`);
 * - `name`   `schema.table`, either part may hold `*` (`game_log.sessions`, `game_log.*`);
 * - `tag`    every table carrying a tag (`tag:latency`).
 */
export type SubscriptionPattern =
  | { kind: 'key'; text: string; glob: boolean }
  | { kind: 'name'; text: string; glob: boolean }
  | { kind: 'tag'; text: string; tag: string };

/** What a pattern is matched against: a table's key and its effective tags. */
export interface PatternTarget {
  key: string;
  tags?: readonly string[];
}

/** The longest pattern accepted, in characters. */
export const MAX_PATTERN = 200;
/** The most `*` a pattern may hold (after runs of stars are folded into one). */
export const MAX_STARS = 8;

/**
 * Parses the text a person typed after `/data subscribe`. Returns the normalised pattern; throws a `UserError`
 * (`bad_pattern`) that says what forms are accepted.
 */
export function parsePattern(raw: string, lang: Lang = 'en'): SubscriptionPattern {
  const badPattern = (raw: string): UserError => new UserError('bad_pattern', t(lang, 'error.badPattern', { pattern: raw.trim() }));
  const text = collapseStars(raw.trim().replace(/^`+|`+$/g, '').replace(/^<|>$/g, '').trim());
  if (!text) throw badPattern(raw);
  if (text.length > MAX_PATTERN) throw new UserError('bad_pattern', t(lang, 'error.patternTooLong', { max: MAX_PATTERN }));
  if (countStars(text) > MAX_STARS) throw new UserError('bad_pattern', t(lang, 'error.patternStars', { max: MAX_STARS }));
  if (/\s/.test(text)) throw badPattern(raw);
  const tag = /^tag:(.+)$/i.exec(text);
  if (tag) {
    const name = tag[1]!.trim().toLowerCase();
    if (!/^[\p{L}\p{N}_.:-]+$/u.test(name)) throw badPattern(raw);
    return { kind: 'tag', text: `tag:${name}`, tag: name };
  }
  if (text.includes('://')) {
    const glob = text.includes('*');
    if (!glob && !parseTableKey(text)) throw badPattern(raw);
    if (glob && !/^[^:/*]+:\/\/./.test(text)) throw badPattern(raw);
    return { kind: 'key', text, glob };
  }
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1 || text.includes('/')) throw badPattern(raw);
  return { kind: 'name', text, glob: text.includes('*') };
}

/** Whether a table matches a pattern. Names and tags compare without regard to case; keys exactly. */
export function matchesPattern(pattern: SubscriptionPattern, target: PatternTarget): boolean {
  switch (pattern.kind) {
    case 'key':
      return pattern.glob ? globMatch(pattern.text, target.key) : pattern.text === target.key;
    case 'name': {
      const parts = parseTableKey(target.key);
      if (!parts) return false;
      const name = `${parts.schema}.${parts.name}`;
      return pattern.glob ? globMatch(pattern.text.toLowerCase(), name.toLowerCase()) : pattern.text.toLowerCase() === name.toLowerCase();
    }
    case 'tag':
      return (target.tags ?? []).some((t) => t.toLowerCase() === pattern.tag);
    default: {
      const never: never = pattern;
      return never;
    }
  }
}

/** Whether a pattern names exactly one table (no glob, not a tag). */
export function isSingleTable(pattern: SubscriptionPattern): boolean {
  return pattern.kind !== 'tag' && !pattern.glob;
}
