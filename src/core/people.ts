import type { User, UserId } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';

/** A person as the chat shows them: a Slack mention when their Slack id is known, else their name. */
export interface PersonRef {
  id: UserId;
  name?: string;
  slackId?: string;
}

/** Looks people up by catalog id, in the order given; unknown ids stay as bare ids. */
export async function resolvePeople(ids: UserId[], graph: GraphStore): Promise<PersonRef[]> {
  if (!ids.length) return [];
  const users = new Map((await graph.getUsers(ids)).map((u) => [u.id, u]));
  return ids.map((id) => toPersonRef(users.get(id) ?? { id, name: id }));
}

export function toPersonRef(u: Pick<User, 'id' | 'name' | 'slackId'>): PersonRef {
  return { id: u.id, ...(u.name ? { name: u.name } : {}), ...(u.slackId ? { slackId: u.slackId } : {}) };
}

/** The person acting, from a Slack user id. */
export interface Actor {
  /** The catalog user id, or the Slack id itself when the catalog does not know the person. */
  id: UserId;
  slackId: string;
  user?: User;
}

/** Maps a Slack user to a catalog user (`graph.getUserBySlackId`); falls back to the Slack id as the actor. */
export async function actorFromSlack(slackId: string, graph: GraphStore): Promise<Actor> {
  const user = await graph.getUserBySlackId(slackId);
  return user ? { id: user.id, slackId, user } : { id: slackId, slackId };
}

/** An actor id as people read it: a catalog user's Slack id or the bare id (an actor may be a Slack id itself). */
export async function resolveActors(ids: UserId[], graph: GraphStore): Promise<Map<UserId, PersonRef>> {
  const unique = [...new Set(ids)];
  const known = new Map((await graph.getUsers(unique)).map((u) => [u.id, toPersonRef(u)]));
  const out = new Map<UserId, PersonRef>();
  for (const id of unique) out.set(id, known.get(id) ?? (/^[UW][A-Z0-9]{6,}$/.test(id) ? { id, slackId: id } : { id }));
  return out;
}
