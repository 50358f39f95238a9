import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../domain/errors';
import { analyze, analyzeTokens } from './analyze';

/**
 * The question vocabulary: synonym groups (English and Korean data words, abbreviations, translations) and stop
 * words. It is data — `data/vocabulary/*.yml` plus whatever a deployment adds through `NANSEN_VOCABULARY` — and
 * every word in it is analysed like catalog text, so entries match what the search index holds.
 */

const GroupSchema = z.union([
  z.array(z.string().min(1)).min(2),
  z.strictObject({ terms: z.array(z.string().min(1)).min(2), weight: z.number().gt(0).lte(1).optional() }),
]);

const FileSchema = z.strictObject({
  synonyms: z.array(GroupSchema).optional(),
  stopwords: z.union([z.array(z.string()), z.record(z.string(), z.array(z.string()))]).optional(),
  /** Default weight of this file's groups. */
  weight: z.number().gt(0).lte(1).optional(),
});

export type VocabularyFile = z.infer<typeof FileSchema>;

/** The weight of a synonym when a group gives none: a typed word always weighs 1. */
export const DEFAULT_SYNONYM_WEIGHT = 0.7;

/** One way to say a concept: an analysed term sequence, with how much it counts for the word typed. */
export interface Alternative {
  /** The member's parts (`p50` → p, 50): all present means the member is present. */
  terms: string[];
  /** Compound forms of the member's words (`p50`), searched too: they match the word written whole. */
  joined: string[];
  weight: number;
}

interface Member {
  terms: string[];
  joined: string[];
}

interface Group {
  members: Member[];
  weight: number;
}

const key = (terms: string[]): string => terms.join(' ');

/** A loaded vocabulary. Immutable; build with `Vocabulary.fromFiles` or `loadVocabulary`. */
export class Vocabulary {
  /** Analysed stop words. */
  readonly stopwords: ReadonlySet<string>;
  /** Every analysed term the vocabulary knows, for typo correction. */
  readonly terms: ReadonlyMap<string, number>;
  /** The longest member, in terms. */
  readonly maxPhraseLength: number;
  private readonly groupsByMember = new Map<string, number[]>();
  private readonly expansionCache = new Map<string, Alternative[]>();

  private constructor(
    private readonly groups: Group[],
    stopwords: Set<string>,
  ) {
    this.stopwords = stopwords;
    const terms = new Map<string, number>();
    let longest = 1;
    groups.forEach((g, i) => {
      for (const m of g.members) {
        longest = Math.max(longest, m.terms.length);
        const list = this.groupsByMember.get(key(m.terms)) ?? [];
        if (!list.includes(i)) list.push(i);
        this.groupsByMember.set(key(m.terms), list);
        for (const t of [...m.terms, ...m.joined]) terms.set(t, (terms.get(t) ?? 0) + 1);
      }
    });
    for (const s of stopwords) terms.set(s, (terms.get(s) ?? 0) + 1);
    this.terms = terms;
    this.maxPhraseLength = longest;
  }

  /** Builds a vocabulary from parsed files; later files add to earlier ones. */
  static fromFiles(files: VocabularyFile[]): Vocabulary {
    const groups: Group[] = [];
    const stopwords = new Set<string>();
    for (const file of files) {
      const fileWeight = file.weight ?? DEFAULT_SYNONYM_WEIGHT;
      for (const g of file.synonyms ?? []) {
        const raw = Array.isArray(g) ? g : g.terms;
        const weight = Array.isArray(g) ? fileWeight : (g.weight ?? fileWeight);
        const seen = new Set<string>();
        const members: Member[] = [];
        for (const phrase of raw) {
          const tokens = analyzeTokens(phrase);
          const terms = tokens.filter((t) => !t.joined).map((t) => t.term);
          if (!terms.length || seen.has(key(terms))) continue;
          seen.add(key(terms));
          members.push({ terms, joined: tokens.filter((t) => t.joined).map((t) => t.term) });
        }
        if (members.length >= 2) groups.push({ members, weight });
      }
      const lists = Array.isArray(file.stopwords) ? [file.stopwords] : Object.values(file.stopwords ?? {});
      for (const word of lists.flat()) for (const t of analyze(word)) stopwords.add(t);
    }
    return new Vocabulary(groups, stopwords);
  }

  /** Whether an analysed term sequence is a member of some group. */
  isPhrase(terms: string[]): boolean {
    return this.groupsByMember.has(key(terms));
  }

  /** The longest member that starts at `terms[start]`, as its length in terms (0 when none does). */
  phraseAt(terms: string[], start: number): number {
    for (let len = Math.min(this.maxPhraseLength, terms.length - start); len >= 1; len--) {
      if (this.groupsByMember.has(key(terms.slice(start, start + len)))) return len;
    }
    return 0;
  }

  /**
   * The other ways to say `terms`: the members of every group it belongs to, at the group's weight (the best
   * weight when several groups share a member), best first. The phrase itself is left out. One hop only: a
   * synonym's synonyms drift too far ("cost" → "price" is fine, "price" → "ad spend" is not).
   */
  alternatives(terms: string[]): Alternative[] {
    const k = key(terms);
    const cached = this.expansionCache.get(k);
    if (cached) return cached;
    const best = new Map<string, { member: Member; weight: number }>();
    for (const gi of this.groupsByMember.get(k) ?? []) {
      const g = this.groups[gi]!;
      for (const m of g.members) {
        const mk = key(m.terms);
        if (mk === k) continue;
        if ((best.get(mk)?.weight ?? 0) < g.weight) best.set(mk, { member: m, weight: g.weight });
      }
    }
    const result = [...best.values()]
      .map(({ member, weight }) => ({ terms: member.terms, joined: member.joined, weight }))
      .sort((a, b) => b.weight - a.weight || key(a.terms).localeCompare(key(b.terms)));
    this.expansionCache.set(k, result);
    return result;
  }
}

const VOCABULARY_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);

/** Reads one vocabulary file, or every vocabulary file of a folder (sorted by name). */
export function readVocabularyFiles(path: string): VocabularyFile[] {
  if (!existsSync(path)) throw new UserError('bad_vocabulary', `${path}: no such vocabulary file or folder`);
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((f) => VOCABULARY_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort()
      .flatMap((f) => readVocabularyFiles(join(path, f)));
  }
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UserError('bad_vocabulary', `${path}: cannot be read (${(e as Error).message})`);
  }
  const parsed = FileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('bad_vocabulary', `${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return [parsed.data];
}

/** The vocabulary folder shipped with Nansen (`data/vocabulary`), found by walking up from this file. */
export function bundledVocabularyDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'vocabulary');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return resolve(__dirname, '..', '..', 'data', 'vocabulary');
}

/**
 * Loads the bundled vocabulary plus the extra files or folders named in `extra` (a deployment's
 * `NANSEN_VOCABULARY`, read by the composition root). Throws a `UserError` naming a bad file.
 */
export function loadVocabulary(extra: string[] = []): Vocabulary {
  const files = [bundledVocabularyDir(), ...extra].flatMap(readVocabularyFiles);
  return Vocabulary.fromFiles(files);
}

let bundled: Vocabulary | undefined;

/** The bundled vocabulary alone, loaded once on first use: what answering uses when it is given none. */
export function bundledVocabulary(): Vocabulary {
  bundled ??= loadVocabulary();
  return bundled;
}
