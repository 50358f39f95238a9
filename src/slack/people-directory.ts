import type { WebClient } from '@slack/web-api';
import type { PeopleDirectory, ProfileLookup } from '../ports/people-directory';

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { real_name?: string; display_name?: string; email?: string };
}

/**
 * The people directory through `users.info` (scope `users:read`; the email only with `users:read.email`). Slack's
 * `user_not_found` and `user_not_visible` mean no such person for this app; any other error, a network failure
 * included, is a failed lookup with its code.
 */
export function slackPeopleDirectory(client: WebClient): PeopleDirectory {
  return {
    async profile(slackId: string): Promise<ProfileLookup> {
      let user: SlackUser | undefined;
      try {
        user = ((await client.users.info({ user: slackId })) as { user?: SlackUser }).user;
      } catch (err) {
        const code = (err as { data?: { error?: unknown }; code?: unknown } | undefined)?.data?.error ?? (err as { code?: unknown } | undefined)?.code;
        if (code === 'user_not_found' || code === 'user_not_visible') return { kind: 'not_found' };
        return { kind: 'failed', code: typeof code === 'string' ? code : 'unknown_error' };
      }
      if (!user) return { kind: 'not_found' };
      const name = [user.profile?.real_name, user.real_name, user.profile?.display_name, user.name].find((n): n is string => typeof n === 'string' && n.trim().length > 0);
      const email = user.profile?.email?.trim();
      return {
        kind: 'found',
        profile: { slackId, name: name?.trim() ?? slackId, ...(email ? { email } : {}), isBot: user.is_bot === true, deleted: user.deleted === true },
      };
    },
  };
}
