/**
 * Every user-visible string of subscription health (membership checks at `/data subscribe`, broken deliveries),
 * in English and Korean, for the shared message catalogue to fold in. Placeholders are filled by the functions.
 */

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

export const subscriptionHealthMessages: { en: SubscriptionHealthMessages; ko: SubscriptionHealthMessages } = {
  en: {
    notMember: (command) => `I'm not a member of this channel, so I could not post its alerts and did not subscribe it. Invite me with \`/invite @Nansen\`, then run \`${command}\` again.`,
    joined: 'I joined this channel so that I can post its alerts.',
    archived: 'This channel is archived: no alerts can be posted here.',
    reason: {
      not_in_channel: 'Nansen is no longer a member of the channel',
      channel_not_found: 'the channel was deleted, or Nansen cannot see it',
      is_archived: 'the channel was archived',
    },
    brokenDm: (channel, reason, patterns) => `:warning: Schema-change alerts to ${channel} stopped: ${reason}. Its subscriptions (${patterns}) are marked broken and nothing more will be posted there.`,
    brokenDmText: (channel) => `Schema-change alerts to channel ${channel} stopped`,
    brokenList: (reason, since) => `:warning: *Alerts to this channel are broken* since ${since}: ${reason}.`,
    fix: 'Invite Nansen back (`/invite @Nansen`) and run `/data subscribe <pattern>` in the channel again, or `/data unsubscribe all` there.',
    brokenMark: ' — :warning: broken',
  },
  ko: {
    notMember: (command) => `저는 이 채널의 멤버가 아니라서 알림을 보낼 수 없어, 구독하지 않았습니다. \`/invite @Nansen\`으로 저를 초대한 뒤 \`${command}\`를 다시 실행해 주세요.`,
    joined: '이 채널에 알림을 보낼 수 있도록 채널에 참여했습니다.',
    archived: '보관된 채널이라 여기에는 알림을 보낼 수 없습니다.',
    reason: {
      not_in_channel: 'Nansen이 더 이상 채널 멤버가 아닙니다',
      channel_not_found: '채널이 삭제되었거나 Nansen이 볼 수 없습니다',
      is_archived: '채널이 보관되었습니다',
    },
    brokenDm: (channel, reason, patterns) => `:warning: ${channel} 채널로 가는 스키마 변경 알림이 멈췄습니다: ${reason}. 이 채널의 구독(${patterns})은 고장으로 표시되었고, 더 이상 알림을 보내지 않습니다.`,
    brokenDmText: (channel) => `채널 ${channel}의 스키마 변경 알림이 멈췄습니다`,
    brokenList: (reason, since) => `:warning: *이 채널의 알림이 고장 났습니다* (${since}부터): ${reason}.`,
    fix: 'Nansen을 다시 초대하고(`/invite @Nansen`) 채널에서 `/data subscribe <패턴>`을 다시 실행하거나, 그 채널에서 `/data unsubscribe all`을 실행해 주세요.',
    brokenMark: ' — :warning: 고장',
  },
};

/** Whether a Slack error means the channel cannot take alerts until a person acts. */
export function isChannelGone(code: string): code is ChannelGoneCode {
  return code === 'not_in_channel' || code === 'channel_not_found' || code === 'is_archived';
}
