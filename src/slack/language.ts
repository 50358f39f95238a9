/**
 * Which language Nansen replies to a person in, outside answers to their questions (which follow the question):
 * their Slack locale (`users.info` with `include_locale`, cached per person), else the language of the last
 * question they asked (remembered in this process and, when given a store, recorded for the others), else
 * `NANSEN_LANGUAGE`.
 */
import type { WebClient } from '@slack/web-api';
import type { Lang } from '../text/catalogue';
import type { Logger } from '../log/logger';
import type { UserStateStore } from '../ports/user-state-store';

/** How long a person's Slack locale is trusted before it is asked again (people rarely change it). */
export const LOCALE_TTL_MS = 60 * 60 * 1000;
/** How long a failed `users.info` (a missing scope, a fault) is remembered, so a burst of clicks does not repeat it. */
const FAILURE_TTL_MS = 60 * 1000;
/** How long a reply waits for `users.info` (the Web API client retries faults for minutes). */
const LOOKUP_TIMEOUT_MS = 1500;
/** People remembered at most (locales and last questions), oldest dropped first. */
const MAX_PEOPLE = 10_000;

/** A Slack locale (`ko-KR`, `en-US`, `en-GB`) as a language Nansen speaks, or undefined for any other. */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  const primary = locale?.toLowerCase().split(/[-_]/)[0];
  return primary === 'ko' ? 'ko' : primary === 'en' ? 'en' : undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('users.info timed out')), ms).unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A small map that forgets its oldest entries past a size. */
class Recent<V> {
  private readonly map = new Map<string, V>();
  get(k: string): V | undefined {
    return this.map.get(k);
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > MAX_PEOPLE) this.map.delete(this.map.keys().next().value as string);
  }
}

export interface LanguageOptions {
  /** `NANSEN_LANGUAGE`. */
  fallback: Lang;
  now?: () => number;
  localeTtlMs?: number;
  lookupTimeoutMs?: number;
  log?: Logger;
  /**
   * Where the language of people's last questions is recorded for other processes (the alert worker, a restarted
   * bot) and read back when this one has not seen them ask.
   */
  questions?: Pick<UserStateStore, 'recordQuestionLanguage' | 'questionLanguage'>;
}

/** The part of the Web API client a locale look-up uses. */
export type UsersInfoClient = { users: Pick<WebClient['users'], 'info'> };

export class UserLanguages {
  private readonly locales = new Recent<{ lang: Lang | undefined; until: number }>();
  private readonly inflight = new Map<string, Promise<Lang | undefined>>();
  /** The language of each person's last question (this process's memory). */
  private readonly asked = new Recent<Lang>();
  private readonly now: () => number;

  constructor(private readonly options: LanguageOptions) {
    this.now = options.now ?? Date.now;
  }

  get fallback(): Lang {
    return this.options.fallback;
  }

  /**
   * Remembers the language a person just asked a question in, and records it in the store when it differs from what
   * this process knew (in the background: a failure is logged, never thrown).
   */
  noteQuestion(user: string, lang: Lang): void {
    const before = this.asked.get(user);
    this.asked.set(user, lang);
    if (before === lang || !this.options.questions) return;
    this.options.questions.recordQuestionLanguage(user, lang, new Date(this.now()).toISOString()).catch((err: unknown) => {
      this.options.log?.warn({ err, user }, 'could not record the language of a question');
    });
  }

  /** The language to reply to `user` in. Never throws: a failed look-up falls through to the next rule. */
  async of(client: UsersInfoClient, user: string | undefined): Promise<Lang> {
    if (!user) return this.options.fallback;
    return (await this.locale(client, user)) ?? this.asked.get(user) ?? (await this.recordedQuestion(user)) ?? this.options.fallback;
  }

  /** The language known for `user` now, asking Slack nothing: a cached locale, else their last question's, else `NANSEN_LANGUAGE`. */
  known(user: string | undefined): Lang {
    if (!user) return this.options.fallback;
    return this.locales.get(user)?.lang ?? this.asked.get(user) ?? this.options.fallback;
  }

  /**
   * The language without waiting on Slack (for a modal, whose trigger expires in 3 s): the cached locale, else the
   * last question's language, else `NANSEN_LANGUAGE`; a look-up starts in the background for the next time.
   */
  ofNow(client: UsersInfoClient, user: string | undefined): Lang {
    if (!user) return this.options.fallback;
    const cached = this.locales.get(user);
    if (!cached || cached.until <= this.now()) void this.locale(client, user);
    return (cached?.lang ?? this.asked.get(user)) ?? this.options.fallback;
  }

  /** The last question's language as recorded by any process; undefined when none was or the store fails. */
  private async recordedQuestion(user: string): Promise<Lang | undefined> {
    if (!this.options.questions) return undefined;
    try {
      const lang = await this.options.questions.questionLanguage(user);
      if (lang) this.asked.set(user, lang);
      return lang;
    } catch (err) {
      this.options.log?.warn({ err, user }, 'could not read the language of a last question');
      return undefined;
    }
  }

  private async locale(client: UsersInfoClient, user: string): Promise<Lang | undefined> {
    const cached = this.locales.get(user);
    if (cached && cached.until > this.now()) return cached.lang;
    const running = this.inflight.get(user);
    if (running) return running;
    const lookup = (async () => {
      try {
        const r = await withTimeout(client.users.info({ user, include_locale: true }), this.options.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS);
        const lang = langOfLocale((r.user as { locale?: string } | undefined)?.locale);
        this.locales.set(user, { lang, until: this.now() + (this.options.localeTtlMs ?? LOCALE_TTL_MS) });
        return lang;
      } catch (err) {
        this.options.log?.warn({ err, user }, 'could not look up a Slack locale');
        this.locales.set(user, { lang: undefined, until: this.now() + FAILURE_TTL_MS });
        return undefined;
      } finally {
        this.inflight.delete(user);
      }
    })();
    this.inflight.set(user, lookup);
    return lookup;
  }
}
