import type { TableSubscription, UserStateStore } from '../../ports/user-state-store';
import type { SubscriptionLanguage } from '../../ports/alert-store';
import type { ThreadContext, ThreadContextStore } from '../../ports/thread-context-store';
import { EVENT_LEASE_MS, type EventDeduper } from '../../ports/event-deduper';

/** A map whose entries expire `ttlMs` after they were last written; old entries are swept as new ones arrive. */
class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const now = Date.now();
      for (const [k, e] of this.entries) {
        if (this.entries.size <= this.maxEntries && e.expiresAt > now) break;
        this.entries.delete(k);
      }
    }
  }
}

/** Thread memory in the process: lost on restart. */
export class MemoryThreadContextStore implements ThreadContextStore {
  private readonly map: ExpiringMap<ThreadContext>;
  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.map = new ExpiringMap(options.ttlMs ?? 7 * 24 * 3_600_000, options.maxEntries ?? 50_000);
  }
  async get(key: string): Promise<ThreadContext | undefined> {
    const c = this.map.get(key);
    return c ? { ...c, messages: [...c.messages] } : undefined;
  }
  async set(key: string, context: ThreadContext): Promise<void> {
    this.map.set(key, { ...context, messages: [...context.messages] });
  }
  async close(): Promise<void> {}
}

/** De-duplication in the process: enough for one bot process, forgotten on restart. */
export class MemoryEventDeduper implements EventDeduper {
  private readonly seen: ExpiringMap<true>;
  private readonly leases = new Map<string, number>();
  private readonly leaseMs: number;
  constructor(options: { ttlMs?: number; maxEntries?: number; leaseMs?: number } = {}) {
    this.seen = new ExpiringMap(options.ttlMs ?? 24 * 3_600_000, options.maxEntries ?? 200_000);
    this.leaseMs = options.leaseMs ?? EVENT_LEASE_MS;
  }
  async claim(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    const now = Date.now();
    if ((this.leases.get(id) ?? 0) > now) return false;
    this.leases.set(id, now + this.leaseMs);
    if (this.leases.size > 10_000) for (const [k, until] of this.leases) if (until <= now) this.leases.delete(k);
    return true;
  }
  async complete(id: string): Promise<void> {
    this.leases.delete(id);
    this.seen.set(id, true);
  }
  async close(): Promise<void> {}
}

/** Bookmarks and subscriptions in the process, for tests and the terminal chat. */
export class MemoryUserStateStore implements UserStateStore {
  private readonly marks = new Map<string, string[]>();
  private readonly subs: TableSubscription[] = [];
  private readonly welcomed = new Set<string>();
  private readonly questionLanguages = new Map<string, SubscriptionLanguage>();

  async markWelcomed(user: string): Promise<boolean> {
    if (this.welcomed.has(user)) return false;
    this.welcomed.add(user);
    return true;
  }

  async bookmarks(user: string): Promise<string[]> {
    return [...(this.marks.get(user) ?? [])];
  }
  async toggleBookmark(user: string, tableKey: string): Promise<boolean> {
    const list = this.marks.get(user) ?? [];
    const i = list.indexOf(tableKey);
    if (i >= 0) list.splice(i, 1);
    else list.unshift(tableKey);
    this.marks.set(user, list);
    return i < 0;
  }
  async subscriptionsOf(user: string): Promise<TableSubscription[]> {
    return this.subs.filter((s) => s.user === user).map((s) => ({ ...s }));
  }
  async subscribersOf(tableKey: string): Promise<TableSubscription[]> {
    return this.subs.filter((s) => s.tableKey === tableKey).map((s) => ({ ...s }));
  }
  async toggleSubscription(sub: Omit<TableSubscription, 'at'>, at: string): Promise<boolean> {
    const i = this.subs.findIndex((s) => s.user === sub.user && s.tableKey === sub.tableKey);
    if (i >= 0) {
      this.subs.splice(i, 1);
      return false;
    }
    this.subs.push({ ...sub, at });
    return true;
  }
  async recordQuestionLanguage(user: string, language: SubscriptionLanguage): Promise<void> {
    this.questionLanguages.set(user, language);
  }
  async questionLanguage(user: string): Promise<SubscriptionLanguage | undefined> {
    return this.questionLanguages.get(user);
  }
  async close(): Promise<void> {}
}
