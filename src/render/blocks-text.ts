/**
 * Block Kit as terminal text: the local shell shows the same messages Slack would (headers, sections, fields,
 * context), with mrkdwn turned into plain text. Buttons have no meaning in a terminal and are left out.
 */
import type { Block } from './blocks-common';

export interface TextOptions {
  /** ANSI bold for `*bold*` and headers. */
  color?: boolean;
  /** A person's name for a Slack mention `<@U…>` (else `@U…`). */
  mentionName?: (slackId: string) => string | undefined;
}

/** Slack mrkdwn to terminal text. */
export function mrkdwnToText(text: string, options: TextOptions = {}): string {
  const bold = (s: string): string => (options.color ? `\u001b[1m${s}\u001b[22m` : s);
  return text
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `@${name ?? options.mentionName?.(id) ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s.,:;)!?]|$)/gm, (_, pre: string, inner: string) => `${pre}${bold(inner)}`)
    .replace(/(^|[\s(])_([^_\n]+)_(?=[\s.,:;)!?]|$)/gm, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/:white_check_mark:/g, '✔')
    .replace(/:warning:/g, '⚠')
    .replace(/:information_source:/g, 'ℹ')
    .replace(/:lock:/g, '🔒')
    .replace(/:bookmark:/g, '🔖')
    .replace(/:bell:/g, '🔔')
    .replace(/:no_entry:/g, '⛔')
    .replace(/:label:/g, '🏷')
    .replace(/:[a-z0-9_+-]+:/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** Renders blocks as lines of text for a terminal. */
export function blocksToText(blocks: Block[], options: TextOptions = {}): string {
  const out: string[] = [];
  const bold = (s: string): string => (options.color ? `\u001b[1m${s}\u001b[22m` : s);
  for (const b of blocks) {
    switch (b.type) {
      case 'header':
        out.push('', bold(b.text.text), '─'.repeat(Math.min(60, b.text.text.length)));
        break;
      case 'section': {
        if (out.length && out[out.length - 1] !== '') out.push('');
        if (b.text) out.push(mrkdwnToText(b.text.text, options));
        if (b.fields) out.push(...b.fields.map((f) => indent(mrkdwnToText(f.text, options).replace('\n', ': '), '  ')));
        break;
      }
      case 'context':
        out.push(
          `  ${b.elements
            .map((e) => ('text' in e && typeof e.text === 'string' ? mrkdwnToText(e.text, options) : ''))
            .filter(Boolean)
            .join(' · ')}`,
        );
        break;
      case 'divider':
        out.push('');
        break;
      default:
        break;
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
