import type { WebClient } from '@slack/web-api';

/** Whether Nansen can post in a channel, after joining it when it may. */
export type Membership = { status: 'member' } | { status: 'joined' } | { status: 'not_member' } | { status: 'archived' };

interface ChannelInfo {
  is_member?: boolean;
  is_archived?: boolean;
  is_private?: boolean;
  is_channel?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
}

/**
 * Checks that Nansen is a member of `channel` (`conversations.info`) and joins it when it is a public channel it
 * is not in (`conversations.join`, scope `channels:join`). A private channel Nansen is not in answers
 * `channel_not_found`, as Slack hides it: that is `not_member` too. Direct messages need no membership.
 */
export async function ensureMembership(client: WebClient, channel: string): Promise<Membership> {
  if (/^D/.test(channel)) return { status: 'member' };
  let info: ChannelInfo | undefined;
  try {
    info = ((await client.conversations.info({ channel })) as { channel?: ChannelInfo }).channel;
  } catch (err) {
    if (slackCode(err) === 'channel_not_found') return { status: 'not_member' };
    throw err;
  }
  if (!info) return { status: 'not_member' };
  if (info.is_archived) return { status: 'archived' };
  if (info.is_member || info.is_im) return { status: 'member' };
  if (info.is_private || info.is_mpim) return { status: 'not_member' };
  try {
    await client.conversations.join({ channel });
    return { status: 'joined' };
  } catch (err) {
    const code = slackCode(err);
    if (code === 'is_archived') return { status: 'archived' };
    if (code === 'method_not_supported_for_channel_type' || code === 'channel_not_found' || code === 'missing_scope' || code === 'restricted_action') return { status: 'not_member' };
    throw err;
  }
}

function slackCode(err: unknown): string | undefined {
  const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}
