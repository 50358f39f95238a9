import { joinedFrom } from './analyze';

/**
 * Acronyms a person types that the catalog spells out: `NDR` for "Net Dollar Retention" in a description, `L2R`
 * for a table named `lead_to_revenue`. No list of acronyms: the letters are matched against the initials of words
 * that stand side by side in the candidate's own text, so any catalog's expansions are found.
 */

/** Words a digit stands for inside an acronym (`L2R` lead to revenue, `B4` before): its homophones. */
const DIGIT_WORDS: Readonly<Record<string, readonly string[]>> = {
  '2': ['to', 'two'],
  '4': ['for', 'four'],
};

/**
 * The acronym a typed word reads as, lower-cased (`NDR` → ndr, `L2R` → l2r), or undefined: three to five letters
 * and digits, at least two capitals and at most one small letter (`PtE`), or letters around one digit (`l2r`). A
 * word in lower case only is left to the abbreviation and spelling paths: `acct` is shorthand, not initials.
 */
export function typedAcronym(raw: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]{2,4}$/.test(raw)) return undefined;
  const letters = raw.replace(/[0-9]/g, '');
  if (letters.length < 2) return undefined;
  const capitals = (raw.match(/[A-Z]/g) ?? []).length;
  const small = (raw.match(/[a-z]/g) ?? []).length;
  const digits = raw.length - letters.length;
  const capitalised = capitals >= 2 && small <= 1;
  const aroundDigit = digits === 1 && /^[A-Za-z]+[0-9][A-Za-z]+$/.test(raw);
  return capitalised || aroundDigit ? raw.toLowerCase() : undefined;
}

function standsFor(symbol: string, word: string): boolean {
  const homophones = DIGIT_WORDS[symbol];
  if (homophones) return homophones.includes(word) || word === symbol;
  if (/[0-9]/.test(symbol)) return word === symbol;
  return word.length >= 2 && word[0] === symbol;
}

/**
 * The first `acronym.length` consecutive words of one run that have the acronym's symbols as initials (a digit
 * matches its homophones), or undefined. Each run is a stretch of text in which words really follow each other: a
 * description, or the parts of one identifier, never two neighbouring column names.
 */
export function spelledOut(acronym: string, runs: readonly (readonly string[])[]): string[] | undefined {
  const symbols = [...acronym];
  for (const run of runs) {
    outer: for (let i = 0; i + symbols.length <= run.length; i++) {
      for (let j = 0; j < symbols.length; j++) if (!standsFor(symbols[j]!, run[i + j]!)) continue outer;
      return run.slice(i, i + symbols.length);
    }
  }
  return undefined;
}

/**
 * The multi-part identifiers of an analysed field, as their parts: a field of identifiers holds each one's parts
 * followed by the parts joined (`net retention arr netretentionarr`), so a joined term closes a run of its parts.
 */
export function identifierRuns(tokens: readonly string[]): string[][] {
  const from = joinedFrom(tokens);
  return from.flatMap((start, i) => (start >= 0 ? [tokens.slice(start, i)] : []));
}
