/**
 * Text that leaves Nansen for Slack: catalog values and people's words are escaped before they go into mrkdwn,
 * and long text is cut to Slack's limits. `escapeMrkdwn` is the one escaping function: blocks, fallback `text`,
 * alerts and every other outgoing text go through it; `outgoingMessage` applies it at the edge where Nansen posts.
 */

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters (`&`, `<`, `>`), so text can never form a
 * mention (`<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>`, `<@U…>`) or a link (`<url|label>`), and strips NUL.
 * Idempotent: an `&amp;`, `&lt;` or `&gt;` already there is kept as it is, so text escaped once can be escaped again
 * at the edge without showing entities to the reader.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(NUL, '')
    .replace(/&(?!(?:amp|lt|gt);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Removes NUL characters from every string inside a value (blocks, views), leaving its shape as it is. */
export function stripNul<T>(value: T): T {
  if (typeof value === 'string') return value.replace(NUL, '') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => stripNul(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = stripNul(v);
    return out as T;
  }
  return value;
}

/**
 * A message as it leaves for Slack: its fallback `text` (used by notifications and by "Share in channel") escaped
 * with `escapeMrkdwn`, so it can never ping a channel or carry a disguised link, and NUL stripped everywhere.
 * Blocks are escaped where they are built (they hold the mentions and links Nansen means to send).
 */
export function outgoingMessage<M extends { text: string }>(message: M): M {
  return { ...stripNul(message), text: escapeMrkdwn(message.text) };
}

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
