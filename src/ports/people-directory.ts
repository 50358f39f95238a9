/** A person's Slack profile, as far as the app's scopes let it see. */
export interface SlackProfile {
  slackId: string;
  /** The real name, else the display name, else the handle. */
  name: string;
  /** Only with the `users:read.email` scope (and never for bots). */
  email?: string;
  isBot: boolean;
  /** Deactivated in the workspace. */
  deleted: boolean;
}

/**
 * What a look-up found: the profile, no such user (`user_not_found`: a wrong id, or someone from another workspace),
 * or a failure with Slack's error code (`missing_scope`, `ratelimited`, a network error, ...).
 */
export type ProfileLookup = { kind: 'found'; profile: SlackProfile } | { kind: 'not_found' } | { kind: 'failed'; code: string };

/**
 * The workspace's people directory (Slack's `users.info`). Contract: `profile` never rejects; every failure is a
 * `failed` lookup, so a caller can tell the person which user could not be looked up and why.
 */
export interface PeopleDirectory {
  profile(slackId: string): Promise<ProfileLookup>;
}
