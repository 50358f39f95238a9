import { analyze, splitIdentifier } from '../text/analyze';

/**
 * Variants of a table: `dim_crm_account_daily_snapshot` is `dim_crm_account` kept day by day, `fct_trips_legacy`
 * is `fct_trips` as it was. A variant's name is its base table's name with words added at the end. When a question
 * uses none of those words and the variant covers nothing of the question that its base does not, the question is
 * about the base: the variant ranks right after it. A question that says the added words ("daily snapshot of
 * accounts") matches them, and the variant keeps its place.
 */

/** A ranked result with what the re-ordering needs of it. */
export interface VariantCandidate {
  key: string;
  /** The table's name; undefined for what is not a table. */
  name?: string;
  /** Labels of the question's concepts the result covers. */
  covers: readonly string[];
}

/** The words a variant's name adds after its base's name, or undefined when `name` is not a variant of `base`. */
export function addedWords(name: string, base: string): string[] | undefined {
  const n = splitIdentifier(name);
  const b = splitIdentifier(base);
  if (n.length <= b.length || b.some((w, i) => n[i] !== w)) return undefined;
  return n.slice(b.length);
}

/**
 * The results reordered so that a variant the question does not ask for comes right after its base, when the base
 * is among them and ranked lower. `asked` holds the analysed terms of every way the question says anything.
 */
export function variantsAfterBase<T extends VariantCandidate>(ranked: readonly T[], asked: ReadonlySet<string>): T[] {
  const order = [...ranked];
  // each move puts a variant after its base, further down; a result can move at most once per base below it
  for (let moves = 0; moves < ranked.length * ranked.length; moves++) {
    const move = firstMove(order, asked);
    if (!move) break;
    const [variant] = order.splice(move.from, 1);
    order.splice(move.to - 1, 0, variant!);
  }
  return order;
}

/** The first result that should go after a base ranked below it: its index, and the index just after the base. */
function firstMove(order: readonly VariantCandidate[], asked: ReadonlySet<string>): { from: number; to: number } | undefined {
  for (let i = 0; i < order.length; i++) {
    const variant = order[i]!;
    if (!variant.name) continue;
    for (let j = i + 1; j < order.length; j++) {
      const base = order[j]!;
      if (!base.name) continue;
      const added = addedWords(variant.name, base.name);
      if (!added) continue;
      const asksForAdded = analyze(added.join(' ')).some((t) => asked.has(t));
      const coversMore = variant.covers.some((c) => !base.covers.includes(c));
      if (!asksForAdded && !coversMore) return { from: i, to: j + 1 };
    }
  }
  return undefined;
}
