/**
 * Text that leaves Nansen for Slack: catalog values and people's words are escaped before they go into mrkdwn,
 * and long text is cut to Slack's limits.
 */

/** Escapes the three characters Slack's mrkdwn treats as control characters, so text can never form a mention or a link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
