/**
 * Owners picked with Slack's people picker, mapped to catalog users: by the Slack id the catalog stores, then by
 * email (`users.info`, which shows it only with `users:read.email`); a Slack user the catalog does not know yet is
 * added from their Slack profile. Nothing is written here: the caller writes `upserts` once the edit is sure to go
 * ahead.
 */
import { effectiveOwners } from '../domain/model';
import type { Table, User, UserId } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import type { PeopleDirectory, ProfileLookup, SlackProfile } from '../ports/people-directory';
import { messagesFor, type Lang } from '../text/catalogue';

/** What the picker dialog sent: the Slack users picked, and the current owners without Slack that were kept. */
export interface OwnerPicks {
  slackUsers: string[];
  keep: UserId[];
}

/** A catalog user to write before the edit: a new one from Slack, or a known one (matched by email) given their Slack id. */
export interface UserUpsert {
  user: User;
  kind: 'created' | 'linked';
}

export type ResolvedPicks = { ids: UserId[]; upserts: UserUpsert[] } | { error: string };

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/** A catalog id for a new person: their email's local part (`jiwoo.kim`), else their Slack id; never one in use. */
function newUserId(profile: SlackProfile, taken: Set<string>): UserId {
  const local = (profile.email ?? '').split('@')[0]!.toLowerCase().replace(/[^a-z0-9._-]+/g, '.').replace(/^[._-]+|[._-]+$/g, '');
  const base = local || profile.slackId.toLowerCase();
  return taken.has(base) ? `${base}.${profile.slackId.toLowerCase()}` : base;
}

function lookupProblem(id: string, found: ProfileLookup, m: ReturnType<typeof messagesFor>): string | undefined {
  switch (found.kind) {
    case 'not_found':
      return m('edit.error.slackUserNotFound', { id });
    case 'failed':
      return found.code === 'missing_scope' ? m('edit.error.lookupNoScope', { id }) : m('edit.error.lookupFailed', { id, code: found.code });
    case 'found': {
      const p = found.profile;
      if (p.deleted) return m('edit.error.deactivated', { name: p.name });
      if (p.isBot) return m('edit.error.bot', { name: p.name });
      if (!p.email) return m('edit.error.noEmail', { name: p.name });
      return undefined;
    }
  }
}

/**
 * Maps the picks to the table's new owners. Current owners keep their order and newly picked ones follow, so an
 * unchanged dialog is no edit. `keep` can only keep a current owner, never add anyone: a forged value that names
 * someone else is ignored. Every problem (an unknown or deactivated Slack user, a bot, a failed or scope-limited
 * look-up) is reported in one message (in `deps.lang`, default English) and nothing is written.
 */
export async function resolveOwnerPicks(table: Table, picks: OwnerPicks, deps: { graph: GraphStore; directory?: PeopleDirectory; lang?: Lang }, maxOwners: number): Promise<ResolvedPicks> {
  const m = messagesFor(deps.lang ?? 'en');
  const current = effectiveOwners(table);
  const slackUsers = [...new Set(picks.slackUsers)];
  const bad = slackUsers.filter((s) => !SLACK_USER_ID.test(s));
  const shown = bad.slice(0, 3).map((s) => JSON.stringify(s.slice(0, 30))).join(', ');
  if (bad.length) return { error: bad.length === 1 ? m('edit.error.notSlackId', { ids: shown }) : m('edit.error.notSlackIds', { ids: shown }) };
  const keep = new Set(picks.keep.filter((id) => current.includes(id)));
  if (slackUsers.length + keep.size > maxOwners) return { error: m('edit.error.tooManyOwnersPicked', { max: maxOwners, n: slackUsers.length + keep.size }) };

  const known = await Promise.all(slackUsers.map((s) => deps.graph.getUserBySlackId(s)));
  const unknown = slackUsers.filter((_, i) => !known[i]);
  const problems: string[] = [];
  const byPick = new Map<string, UserId>();
  slackUsers.forEach((s, i) => known[i] && byPick.set(s, known[i]!.id));
  const upserts: UserUpsert[] = [];
  if (unknown.length) {
    if (!deps.directory) return { error: m('edit.error.noDirectory', { ids: unknown.join(', ') }) };
    const lookups = await Promise.all(unknown.map((s) => deps.directory!.profile(s)));
    const profiles: SlackProfile[] = [];
    unknown.forEach((s, i) => {
      const problem = lookupProblem(s, lookups[i]!, m);
      if (problem) problems.push(problem);
      else profiles.push((lookups[i] as Extract<ProfileLookup, { kind: 'found' }>).profile);
    });
    if (profiles.length) {
      const everyone = await deps.graph.listUsers();
      const byEmail = new Map(everyone.filter((u) => u.email).map((u) => [u.email!.trim().toLowerCase(), u]));
      const taken = new Set(everyone.map((u) => u.id));
      for (const p of profiles) {
        const match = byEmail.get(p.email!.toLowerCase());
        if (match) {
          byPick.set(p.slackId, match.id);
          // A catalog user matched by email learns their Slack id, so the next look-up needs no call; one who has a
          // different Slack id already keeps it (two Slack accounts, or a stale id: a person sorts that out).
          if (!match.slackId && !upserts.some((u) => u.user.id === match.id)) upserts.push({ kind: 'linked', user: { ...match, slackId: p.slackId } });
          continue;
        }
        const id = newUserId(p, taken);
        taken.add(id);
        byPick.set(p.slackId, id);
        upserts.push({ kind: 'created', user: { id, name: p.name, email: p.email!, slackId: p.slackId } });
      }
    }
  }
  if (problems.length) return { error: problems.join(' ') };
  const picked = new Set(byPick.values());
  const ids = [...current.filter((id) => keep.has(id) || picked.has(id)), ...slackUsers.map((s) => byPick.get(s)!).filter((id) => !current.includes(id))];
  const unique = [...new Set(ids)];
  if (!unique.length) return { error: m('edit.error.noOwners') };
  if (unique.length > maxOwners) return { error: m('edit.error.tooManyOwnersPicked', { max: maxOwners, n: unique.length }) };
  return { ids: unique, upserts: upserts.filter((u) => unique.includes(u.user.id)) };
}
