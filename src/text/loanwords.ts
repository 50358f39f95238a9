/**
 * Korean loanwords against English metadata. Korean writes English terms of the trade in Hangul by sound
 * (`네임스페이스` namespace, `컴플라이언스` compliance, `오퍼튜니티` opportunity), so a Korean question about an English
 * catalog often holds the catalog's own words, transliterated. Both sides are reduced to a consonant skeleton in
 * the classes Korean spelling keeps apart: vowels, `h`, `w` and `y` are dropped, `r` before a consonant or at the
 * end is dropped (Korean is non-rhotic: runner → 러너), and sounds Korean merges are one class (p/f/b/v, t/d/th,
 * k/g/c/q, s/z/j/ch/sh, r/l). No word list: any catalog's English vocabulary is matched the same way.
 */

const HANGUL_BASE = 0xac00;
const HANGUL_LAST = 0xd7a3;

/** Initial consonants (choseong), in Unicode order, as skeleton classes ('' for the silent ㅇ). */
const INITIAL = ['G', 'K', 'N', 'D', 'T', 'L', 'M', 'B', 'B', 'S', 'S', '', 'S', 'S', 'S', 'K', 'T', 'P', ''];
/** Final consonants (jongseong), in Unicode order (index 0: none). A final ㅅ is a t in loanwords (인터넷 internet). */
const FINAL = ['', 'K', 'K', 'KS', 'N', 'NS', 'N', 'T', 'L', 'LK', 'LM', 'LP', 'LS', 'LT', 'LP', 'L', 'M', 'P', 'PS', 'T', 'T', 'N', 'T', 'T', 'K', 'T', 'P', ''];
/** Medial vowel ㅡ (eu): the vowel Korean adds to a lone consonant (스 s, 프 p), not one the English word says. */
const EPENTHETIC = 18;

/** The consonant skeleton of a Hangul word (`네임스페이스` → NMSPS); empty when it holds no Hangul syllable. */
export function hangulSkeleton(word: string): string {
  let out = '';
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (code < HANGUL_BASE || code > HANGUL_LAST) continue;
    const index = code - HANGUL_BASE;
    out += INITIAL[Math.floor(index / 588)]! + FINAL[index % 28]!;
  }
  return collapse(out);
}

const VOWEL = /[aeiouy]/;

/** The consonant skeleton of an English word (`namespace` → NMSPS, `runner` → LN); empty for non-letters. */
export function englishSkeleton(word: string): string {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w)) return '';
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i]!;
    const next = w[i + 1] ?? '';
    const after = w[i + 2] ?? '';
    if (VOWEL.test(c) || c === 'w' || c === 'h') continue;
    if (c === 'f' || c === 'p') out += 'P';
    else if (c === 'v' || c === 'b') out += 'B';
    else if (c === 't' && next === 'i' && VOWEL.test(after)) out += 'S'; // -tion
    else if (c === 't') out += 'T';
    else if (c === 'd') out += 'D';
    else if (c === 'c' && (next === 'e' || next === 'i' || next === 'y')) out += 'S';
    else if (c === 'c' && next === 'h') out += 'S';
    else if (c === 'g' && (next === 'e' || next === 'i' || next === 'y')) out += 'S';
    else if (c === 'g') out += 'G';
    else if (c === 'c' || c === 'k' || c === 'q') out += 'K';
    else if (c === 'x') out += 'KS';
    else if (c === 's' || c === 'z' || c === 'j') out += 'S';
    else if (c === 'r') out += VOWEL.test(next) ? 'L' : '';
    else if (c === 'l') out += 'L';
    else if (c === 'm') out += 'M';
    else if (c === 'n') out += next === 'g' && !VOWEL.test(after) ? (i++, 'N') : 'N';
  }
  return collapse(out);
}

/**
 * The syllables a Hangul word says: each syllable, less the epenthetic ones (스, 프) and a vowel-initial syllable
 * after an open one, which is a diphthong in English (파이 pi, 네임 name).
 */
export function hangulSyllables(word: string): number {
  let count = 0;
  let open = false;
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (code < HANGUL_BASE || code > HANGUL_LAST) continue;
    const index = code - HANGUL_BASE;
    const initial = Math.floor(index / 588);
    const medial = Math.floor((index % 588) / 28);
    const silentStart = initial === 11;
    if (medial !== EPENTHETIC && !(silentStart && open && count > 0)) count++;
    open = index % 28 === 0;
  }
  return count;
}

/** The syllables an English word says, roughly: its vowel groups, less a silent final e. */
export function englishSyllables(word: string): number {
  const groups = word.toLowerCase().match(/[aeiouy]+/g)?.length ?? 0;
  return groups > 1 && /[^aeiouy]e$/.test(word) ? groups - 1 : groups;
}

/** Doubled classes are one sound (`nn`, `ss`, `플라` → PLL): collapse runs. */
function collapse(skeleton: string): string {
  return skeleton.replace(/(.)\1+/g, '$1');
}

/** English letters a written Hangul syllable stands for, about (네임스페이스 namespace, 플랜 plan): breaks ties. */
const LETTERS_PER_SYLLABLE = 1.6;

/** Shortest skeleton matched by consonants alone; a shorter one (`MT` 마트 mart) must agree in its vowels too. */
export const MIN_SKELETON = 3;
/** Shortest skeleton matched at all. */
const MIN_SHORT_SKELETON = 2;

/** English vowel letters each Korean medial vowel writes, by medial index (ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ). */
const MEDIAL_VOWELS = ['ao', 'ae', 'ya', 'ye', 'uoeia', 'ea', 'yie', 'ye', 'oa', 'wo', 'w', 'w', 'yo', 'uo', 'wo', 'w', 'wi', 'uy', '', 'u', 'iey'];

/** The spoken vowels of a Hangul word, as the English letters each may be written with ('' for epenthetic ones). */
function hangulVowels(word: string): string[] {
  const out: string[] = [];
  let open = false;
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (code < HANGUL_BASE || code > HANGUL_LAST) continue;
    const index = code - HANGUL_BASE;
    const medial = Math.floor((index % 588) / 28);
    const silentStart = Math.floor(index / 588) === 11;
    if (silentStart && open && out.length) out[out.length - 1] += MEDIAL_VOWELS[medial]!; // 라인 "lai": line
    else if (medial !== EPENTHETIC) out.push(MEDIAL_VOWELS[medial]!);
    open = index % 28 === 0;
  }
  return out;
}

/** The letters ㅓ writes only before an r (서버 server, 퍼 per, 버스 is bus): elsewhere e and i are other vowels. */
const EO_BEFORE_R = 'ei';
const EO = MEDIAL_VOWELS[4]!;

/** Whether an English word's vowel groups are the ones a Hangul word says, one for one (마트 mart, 러너 runner). */
function vowelsAgree(korean: string, english: string): boolean {
  const spoken = hangulVowels(korean);
  const groups = [...english.matchAll(/[aeiouy]+/g)].slice(0, englishSyllables(english));
  return (
    spoken.length === groups.length &&
    groups.every((g, i) => {
      const letter = g[0][0]!;
      const says = spoken[i]!;
      if (says === EO && EO_BEFORE_R.includes(letter)) return english[g.index + g[0].length] === 'r';
      return says.includes(letter) || (letter === 'y' && says.includes('i'));
    })
  );
}

const skeletonIndexes = new WeakMap<ReadonlyMap<string, number>, Map<string, string[]>>();

function skeletonIndex(vocabulary: ReadonlyMap<string, number>): Map<string, string[]> {
  let index = skeletonIndexes.get(vocabulary);
  if (index) return index;
  index = new Map();
  for (const term of vocabulary.keys()) {
    if (term.length < 4 || !/^[a-z]+$/.test(term)) continue;
    const skeleton = englishSkeleton(term);
    if (skeleton.length < MIN_SHORT_SKELETON) continue;
    const list = index.get(skeleton);
    if (list) list.push(term);
    else index.set(skeleton, [term]);
  }
  skeletonIndexes.set(vocabulary, index);
  return index;
}

const SILENT_INITIAL = 11;
const H_INITIAL = 18;

/**
 * Whether a Hangul word and an English one start alike: a silent ㅇ with a vowel or a glide (w, y, a silent h), ㅎ
 * with h or wh, any other consonant with a consonant. The skeleton drops vowels and h, so without this `aren` and
 * `hiring` would be read for 러너.
 */
function startsAlike(korean: string, english: string): boolean {
  const initial = Math.floor((korean.codePointAt(0)! - HANGUL_BASE) / 588);
  if (initial === SILENT_INITIAL) return /^[aeiouhwy]/.test(english);
  if (initial === H_INITIAL) return /^[hw]/.test(english);
  return !/^[aeiouhwy]/.test(english);
}

/**
 * Particles no loanword ends with (`터치포인트를`, `오퍼튜니티에`): taken off before the word is read by sound. Those
 * that do end loanwords (이 플레이, 로 매크로, 가 요가, 도) stay, and the leading-part search below handles them.
 */
const PARTICLES_NO_LOANWORD_ENDS_WITH = ['에서부터', '으로부터', '에서는', '에게서', '별로는', '에서', '에게', '으로', '까지', '부터', '처럼', '보다', '이랑', '별로', '별', '를', '을', '은', '는', '의', '에', '과', '와', '랑'];

function withoutParticle(word: string): string {
  for (const particle of PARTICLES_NO_LOANWORD_ENDS_WITH) {
    if (word.endsWith(particle) && [...word].length - [...particle].length >= 2) return word.slice(0, -particle.length);
  }
  return word;
}

/**
 * The English terms of a vocabulary that a Hangul word transliterates, most common first: the whole word (less a
 * particle no loanword ends with), or else its longest leading part of two or more syllables (`디멘전인데` →
 * dimension). At most `limit`; empty when none.
 */
export function transliterations(word: string, vocabulary: ReadonlyMap<string, number>, limit = 3): string[] {
  const index = skeletonIndex(vocabulary);
  const chars = [...withoutParticle(word)];
  // one syllable says too little (돈 money reads as "down"): two at least
  for (let end = chars.length; end >= 2; end--) {
    const part = chars.slice(0, end).join('');
    const skeleton = hangulSkeleton(part);
    if (skeleton.length < MIN_SHORT_SKELETON) break;
    const short = skeleton.length < MIN_SKELETON;
    const syllables = hangulSyllables(part);
    const letters = LETTERS_PER_SYLLABLE * end;
    const terms = (index.get(skeleton) ?? [])
      .map((term) => ({ term, off: Math.abs(englishSyllables(term) - syllables), vowels: vowelsAgree(part, term), length: Math.abs(term.length - letters), df: vocabulary.get(term) ?? 0 }))
      .filter((t) => startsAlike(part, t.term) && (short ? t.off === 0 && t.vowels : t.off <= 1))
      .sort((a, b) => a.off - b.off || Number(b.vowels) - Number(a.vowels) || a.length - b.length || b.df - a.df || a.term.localeCompare(b.term));
    if (terms.length) return terms.filter((t) => t.off === terms[0]!.off && t.vowels === terms[0]!.vowels).slice(0, limit).map((t) => t.term);
  }
  return [];
}
