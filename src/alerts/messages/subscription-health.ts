/**
 * Every user-visible string of subscription health (membership checks at `/data subscribe`, broken deliveries),
 * per language: a view of the shared message catalogue (src/text/catalogue.ts). Placeholders are filled by the functions.
 */
import { LANGS, t, type Lang } from '../../text/catalogue';

/** Slack's error codes after which a channel's alerts cannot be delivered until a person acts. */
export type ChannelGoneCode = 'not_in_channel' | 'channel_not_found' | 'is_archived';

export interface SubscriptionHealthMessages {
  /** `/data subscribe` in a private channel (or one Nansen cannot see) that Nansen is not a member of. */
  notMember: (command: string) => string;
  /** `/data subscribe` in a public channel Nansen just joined (`conversations.join`). */
  joined: string;
  /** `/data subscribe` in an archived channel. */
  archived: string;
  /** Why deliveries stopped, per Slack error. */
  reason: Record<ChannelGoneCode, string>;
  /** The direct message to whoever made a subscription that broke (mrkdwn; `channel` is a `<#C…>` mention). */
  brokenDm: (channel: string, reason: string, patterns: string) => string;
  /** The notification text of that message (plain text: `channel` is a channel id). */
  brokenDmText: (channel: string) => string;
  /** The warning at the top of `/data subscriptions` in a broken channel. */
  brokenList: (reason: string, since: string) => string;
  /** What to do about it. */
  fix: string;
  /** Marks a subscription line in `/data subscriptions`. */
  brokenMark: string;
}

function messages(lang: Lang): SubscriptionHealthMessages {
  return {
    notMember: (command) => t(lang, 'health.notMember', { command }),
    joined: t(lang, 'health.joined'),
    archived: t(lang, 'health.archived'),
    reason: { not_in_channel: t(lang, 'health.reason.not_in_channel'), channel_not_found: t(lang, 'health.reason.channel_not_found'), is_archived: t(lang, 'health.reason.is_archived') },
    brokenDm: (channel, reason, patterns) => t(lang, 'health.brokenDm', { channel, reason, patterns }),
    brokenDmText: (channel) => t(lang, 'health.brokenDmText', { channel }),
    brokenList: (reason, since) => t(lang, 'health.brokenList', { reason, since }),
    fix: t(lang, 'health.fix'),
    brokenMark: t(lang, 'health.brokenMark'),
  };
}

export const subscriptionHealthMessages = Object.fromEntries(LANGS.map((l) => [l, messages(l)])) as Record<Lang, SubscriptionHealthMessages>;

/** Whether a Slack error means the channel cannot take alerts until a person acts. */
export function isChannelGone(code: string): code is ChannelGoneCode {
  return code === 'not_in_channel' || code === 'channel_not_found' || code === 'is_archived';
}
