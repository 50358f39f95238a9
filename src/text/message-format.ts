/**
 * The template language of the message catalogue (src/text/catalogue.ts):
 * - `{name}`: a parameter, as given (already escaped mrkdwn or plain text, as the message needs);
 * - `{name|을/를}`: the parameter followed by the Korean particle its reading calls for (`{table|을/를}`);
 * - `{n|plural:column|columns}`: the English word for the count `n` (the count itself is `{n}`).
 * Placeholder names are checked at compile time (from the English entry) and, for every language, by a unit test.
 */
import { isParticlePair, josa } from './korean-particles';

export type ParamValue = string | number;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?:\|([^{}]*))?\}/g;

/** The placeholder names of a template, in order of first use. */
export function placeholderNames(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

/** The modifiers (`을/를`, `plural:…`) a template uses that the formatter does not know. */
export function unknownModifiers(template: string): string[] {
  const bad: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const mod = m[2];
    if (mod === undefined || isParticlePair(mod) || /^plural:[^|]*\|[^|]*$/.test(mod)) continue;
    bad.push(mod);
  }
  return bad;
}

/** Fills a template; a parameter that is missing is left visible as `{name}` (the completeness test keeps that from shipping). */
export function formatMessage(template: string, params: Record<string, ParamValue | undefined> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string, mod?: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    const text = String(v);
    if (mod === undefined) return text;
    if (mod.startsWith('plural:')) {
      const [one, other] = mod.slice('plural:'.length).split('|') as [string, string];
      return Number(v) === 1 ? one : other;
    }
    return isParticlePair(mod) ? josa(text, mod) : text;
  });
}
