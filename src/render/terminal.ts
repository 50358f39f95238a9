import type { Answer } from '../answering/types';
import type { ComposeOptions, Style } from './compose/types';
import { compose } from './compose';

export interface TerminalOptions extends ComposeOptions {
  /** Wrap ANSI bold/dim around emphasis (default false: plain text). */
  color?: boolean;
}

/** Control characters a catalog value must never smuggle into a terminal (escape sequences and the like). */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function style(color: boolean): Style {
  const wrap = (on: string, off: string) => (x: string) => (color && x ? `\u001b[${on}m${x}\u001b[${off}m` : x);
  return {
    bold: wrap('1', '22'),
    code: (x) => clean(x),
    italic: wrap('2', '22'),
    link: (url, label) => `${clean(label)} <${clean(url)}>`,
    escape: clean,
    user: (id, ref) => (ref ? `${clean(ref.name)} (${clean(id)})` : clean(id)),
  };
}

/** Renders an answer as readable plain text for the terminal, in the question's language. */
export function renderTerminal(answer: Answer, options: TerminalOptions = {}): string {
  const c = compose(answer, style(!!options.color), options);
  const lines: string[] = [c.title, ...c.intro];
  const numbered = answer.kind === 'find' || answer.kind === 'frequent_users';
  c.items.forEach((item, i) => {
    const [first, ...more] = item.text.split('\n');
    const marker = numbered ? `${String(i + 1).padStart(2)}. ` : '  - ';
    lines.push(`${marker}${first}`);
    for (const m of more) lines.push(`      ${m}`);
    if (item.note) lines.push(`      ${options.color ? `\u001b[2m${item.note}\u001b[22m` : item.note}`);
  });
  if (c.notes.length) lines.push('', ...c.notes);
  if (c.footer.length) lines.push('', ...c.footer.map((f) => `(${f})`));
  return lines.join('\n');
}
