/**
 * Korean particles chosen by how the preceding word ends when read aloud: with a final consonant (batchim) or
 * without, and for 으로/로 whether that consonant is ㄹ. Hangul is decided by its syllable; Latin letters, digits and
 * identifiers by how Koreans read them (`KST` → 케이에스티: no batchim; `3` → 삼: batchim; `table` → 테이블: ㄹ).
 * Pure functions; a word whose reading cannot be told (a Slack mention) gets both forms, `을(를)`.
 */

/** The particle pairs, written with-batchim form first, as Korean grammars list them. */
export const PARTICLES = ['이/가', '을/를', '은/는', '과/와', '으로/로', '이었/였', '이에요/예요', '이라/라', '이나/나', '이랑/랑'] as const;
export type ParticlePair = (typeof PARTICLES)[number];

/** How a word ends when read: no final consonant, ㄹ, another final consonant, or unknown. */
export type FinalSound = 'none' | 'rieul' | 'other' | 'unknown';

export function isParticlePair(s: string): s is ParticlePair {
  return (PARTICLES as readonly string[]).includes(s);
}

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** The index of ㄹ among the 28 final-consonant slots (0: none). */
const JONG_RIEUL = 8;

function hangulFinal(ch: string): FinalSound {
  const code = ch.codePointAt(0)! - HANGUL_FIRST;
  const jong = code % 28;
  return jong === 0 ? 'none' : jong === JONG_RIEUL ? 'rieul' : 'other';
}

/** How each Latin letter is named in Korean: 에이, 비, 씨, …, 엘 (ㄹ), 엠, 엔, 알 (ㄹ), …. */
const LETTER_FINAL: Record<string, FinalSound> = {
  a: 'none', b: 'none', c: 'none', d: 'none', e: 'none', f: 'none', g: 'none', h: 'none', i: 'none', j: 'none', k: 'none',
  l: 'rieul', m: 'other', n: 'other', o: 'none', p: 'none', q: 'none', r: 'rieul', s: 'none', t: 'none', u: 'none',
  v: 'none', w: 'none', x: 'none', y: 'none', z: 'none',
};

/** Sino-Korean digits: 영 일 이 삼 사 오 육 칠 팔 구. */
const DIGIT_FINAL: FinalSound[] = ['other', 'rieul', 'none', 'other', 'none', 'none', 'other', 'rieul', 'rieul', 'none'];
/** Powers of ten as read after trailing zeros: 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), 만 (ㄴ); 억 (ㄱ) and 조 past that. */
function tensFinal(zeros: number): FinalSound {
  if (zeros >= 12) return zeros % 4 === 0 ? 'none' : 'other'; // 조, 십조, 백조, 천조
  if (zeros >= 8) return 'other'; // 억, 십억, 백억, 천억
  return 'other'; // 십, 백, 천, 만, 십만, 백만, 천만
}

function numberFinal(digits: string): FinalSound {
  const n = digits.replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(n)) return 'other'; // 영
  const last = Number(n[n.length - 1]);
  if (last !== 0) return DIGIT_FINAL[last]!;
  return tensFinal(n.length - n.replace(/0+$/, '').length);
}

/**
 * An English word as Koreans write it: `table` 테이블 (ㄹ), `column` 컬럼 (ㅁ), `chat` 챗 (ㅅ), but `sessions` 세션스,
 * `log` 로그, `user` 유저 (none). A heuristic over the spelling of the ending.
 */
function englishWordFinal(word: string): FinalSound {
  const w = word.toLowerCase();
  if (/(le|l)$/.test(w)) return 'rieul';
  if (/(m|n|ng)$/.test(w)) return 'other';
  // a stop after one short vowel is written as a batchim: click 클릭, map 맵, chat 챗
  if (/(^|[^aeiou])[aeiou](ck|k|p|t)$/.test(w)) return 'other';
  return 'none';
}

/** A run of Latin letters: an acronym (all capitals, or no vowel) is spelled letter by letter, else read as a word. */
function latinFinal(run: string): FinalSound {
  const spelled = run.length <= 1 || run === run.toUpperCase() || !/[aeiouy]/i.test(run);
  if (spelled) return LETTER_FINAL[run[run.length - 1]!.toLowerCase()] ?? 'unknown';
  return englishWordFinal(run);
}

/** Markup and closing punctuation a particle goes after but that is not read: `*`, `` ` ``, `_`, quotes, brackets. */
const UNREAD_TAIL = /[\s*_~`'"”’」』\]}.,!?:;]+$/u;

/**
 * The text whose end is read, with markup and closing punctuation dropped: a Slack link `<url|label>` reads as its
 * label, a trailing parenthetical (`sessions (3 hours ago)`) is skipped back to the word before it.
 */
function readTail(text: string): string | undefined {
  let s = text;
  for (let i = 0; i < 8; i++) {
    const before = s;
    s = s.replace(UNREAD_TAIL, '');
    const link = /<[^<>|]*\|([^<>]*)>$/.exec(s);
    if (link) s = s.slice(0, link.index) + link[1];
    else if (/<[^<>]*>$/.test(s)) return undefined; // a mention: Slack shows a name Nansen does not see
    s = s.replace(/&gt;$/, '>').replace(/&lt;$/, '<').replace(/&amp;$/, '&');
    if (/\)$/.test(s)) {
      const open = s.lastIndexOf('(');
      if (open > 0) s = s.slice(0, open);
    }
    if (s === before) break;
  }
  return s.length ? s : undefined;
}

/** How `text` ends when read aloud (ignoring markup), for choosing a particle. */
export function finalSound(text: string): FinalSound {
  const s = readTail(text);
  if (!s) return 'unknown';
  const last = s[s.length - 1]!;
  const code = last.codePointAt(0)!;
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) return hangulFinal(last);
  if (/\d/.test(last)) {
    const num = /(\d+)$/.exec(s)![1]!;
    return numberFinal(num);
  }
  if (/[A-Za-z]/.test(last)) {
    const run = /([A-Za-z]+)$/.exec(s)![1]!;
    // camelCase and PascalCase: the last part is read (`purchaseAmtUsd` → Usd)
    const parts = run.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g) ?? [run];
    return latinFinal(parts[parts.length - 1]!);
  }
  return 'unknown';
}

/** The particle alone, for a word: `particle('KST', '이었/였')` is `였`; unknown endings get `을(를)`-like both forms. */
export function particle(word: string, pair: ParticlePair): string {
  const [withBatchim, without] = pair.split('/') as [string, string];
  const end = finalSound(word);
  if (end === 'unknown') return pair === '으로/로' ? '(으)로' : pair === '이었/였' ? '이었(였)' : `${withBatchim}(${without})`;
  if (pair === '으로/로') return end === 'other' ? withBatchim : without;
  return end === 'none' ? without : withBatchim;
}

/** The word followed by its particle: `josa('KST', '이었/였')` is `KST였`. */
export function josa(word: string, pair: ParticlePair): string {
  return word + particle(word, pair);
}
