import type { User } from '../domain/model';
import type { GraphStore } from '../ports/graph-store';
import { stripKoreanParticle } from '../text/analyze';

/** A person named in a message. */
export interface PersonMention {
  user: User;
  /** As typed. */
  text: string;
}

const norm = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
/** A message's words as people's names and ids are written: letters and digits, with `.`, `_`, `-` inside ids. */
const WORD = /[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)*/gu;
const MAX_NAME_WORDS = 4;

/** The catalog's people by the ways a message names them: full name, user id, the e-mail's local part. */
export class PeopleDirectory {
  private readonly byForm = new Map<string, User>();
  private readonly ambiguous = new Set<string>();

  constructor(users: User[]) {
    for (const user of users) {
      const forms = new Set([user.name, user.id, user.email?.split('@')[0]].filter((f): f is string => !!f && f.length >= 4).map(norm));
      for (const form of forms) {
        const other = this.byForm.get(form);
        if (other && other.id !== user.id) this.ambiguous.add(form);
        else this.byForm.set(form, user);
      }
    }
  }

  /** The person a message names, the longest name first; undefined when none (or two different people). */
  find(text: string): PersonMention | undefined {
    if (!this.byForm.size) return undefined;
    // a Korean particle sticks to a name in any script ("Hana Cho가", "조하나가"): cut at the script change, strip it
    const words = (text.normalize('NFKC').toLowerCase().match(WORD) ?? [])
      .slice(0, 400)
      .flatMap((w) => w.match(/[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+/g) ?? [])
      .map((w) => (/^[\uac00-\ud7a3]+$/.test(w) ? stripKoreanParticle(w) : w));
    let best: PersonMention | undefined;
    const people = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      // a table name (`hana_cho_events`) is one word here, so it never reads as a person
      for (let n = Math.min(MAX_NAME_WORDS, words.length - i); n >= 1; n--) {
        const form = words.slice(i, i + n).join(' ');
        const user = this.ambiguous.has(form) ? undefined : this.byForm.get(form);
        if (!user) continue;
        people.add(user.id);
        if (!best || form.length > best.text.length) best = { user, text: form };
        break;
      }
    }
    return people.size === 1 ? best : undefined;
  }
}

const TTL_MS = 30_000;
const cache = new WeakMap<GraphStore, { at: number; directory: Promise<PeopleDirectory> }>();

/** The people directory of a graph, read once and reused for a while. */
export function peopleDirectory(graph: GraphStore, nowMs = Date.now()): Promise<PeopleDirectory> {
  const hit = cache.get(graph);
  if (hit && nowMs - hit.at < TTL_MS) return hit.directory;
  const directory = graph.listUsers().then((users) => new PeopleDirectory(users));
  cache.set(graph, { at: nowMs, directory });
  directory.catch(() => cache.delete(graph));
  return directory;
}
