import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventDeduper, MemoryThreadContextStore, MemoryUserStateStore } from '../../src/adapters/memory/memory-chat-state';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import type { UserStateStore } from '../../src/ports/user-state-store';

describe('in-process de-duplication and thread memory', () => {
  it('claims an id once', async () => {
    const d = new MemoryEventDeduper();
    expect(await Promise.all([d.claim('a'), d.claim('a'), d.claim('b')])).toEqual([true, false, true]);
  });

  it('forgets after the retention window and caps its size', async () => {
    const d = new MemoryEventDeduper({ ttlMs: 20, maxEntries: 3, leaseMs: 10 });
    expect(await d.claim('x')).toBe(true);
    await d.complete('x');
    expect(await d.claim('x')).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    expect(await d.claim('x')).toBe(true);
    // An answer in progress holds its event only for the lease.
    await new Promise((r) => setTimeout(r, 15));
    expect(await d.claim('x')).toBe(true);
    const t = new MemoryThreadContextStore({ maxEntries: 2 });
    for (const k of ['1', '2', '3']) await t.set(k, { messages: [k], updatedAt: '2026-11-24T00:00:00Z' });
    expect(await t.get('1')).toBeUndefined();
    expect((await t.get('3'))?.messages).toEqual(['3']);
  });
});

describe.each<[string, () => { store: UserStateStore; done(): void }]>([
  ['memory', () => ({ store: new MemoryUserStateStore(), done: () => undefined })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'nansen-state-'));
      return { store: new SqliteUserStateStore(join(dir, 'state.sqlite')), done: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
])('user state (%s)', (_, make) => {
  it('toggles bookmarks (newest first) and subscriptions', async () => {
    const { store, done } = make();
    expect(await store.toggleBookmark('U1', 'a')).toBe(true);
    expect(await store.toggleBookmark('U1', 'b')).toBe(true);
    expect(await store.toggleBookmark('U2', 'a')).toBe(true);
    expect(await store.bookmarks('U1')).toEqual(['b', 'a']);
    expect(await store.toggleBookmark('U1', 'b')).toBe(false);
    expect(await store.bookmarks('U1')).toEqual(['a']);
    expect(await store.toggleSubscription({ user: 'U1', tableKey: 'a', channel: 'U1' }, '2026-11-24T00:00:00Z')).toBe(true);
    expect(await store.toggleSubscription({ user: 'U2', tableKey: 'a', channel: 'C9' }, '2026-11-24T00:00:01Z')).toBe(true);
    expect((await store.subscribersOf('a')).map((s) => [s.user, s.channel])).toEqual([
      ['U1', 'U1'],
      ['U2', 'C9'],
    ]);
    expect(await store.toggleSubscription({ user: 'U1', tableKey: 'a', channel: 'U1' }, '2026-11-24T00:00:02Z')).toBe(false);
    expect(await store.subscriptionsOf('U1')).toEqual([]);
    await store.close();
    done();
  });

  it('welcomes a person once, even when asked concurrently', async () => {
    const { store, done } = make();
    expect((await Promise.all([store.markWelcomed('U1', '2026-11-24T00:00:00Z'), store.markWelcomed('U1', '2026-11-24T00:00:00Z')])).sort()).toEqual([false, true]);
    expect(await store.markWelcomed('U1', '2026-11-25T00:00:00Z')).toBe(false);
    expect(await store.markWelcomed('U2', '2026-11-25T00:00:00Z')).toBe(true);
    await store.close();
    done();
  });

  it('keeps a table subscription’s language, and the language of each person’s latest question', async () => {
    const { store, done } = make();
    await store.toggleSubscription({ user: 'U1', tableKey: 'a', channel: 'U1', language: 'ko' }, '2026-11-24T00:00:00Z');
    await store.toggleSubscription({ user: 'U2', tableKey: 'a', channel: 'U2' }, '2026-11-24T00:00:01Z');
    expect((await store.subscribersOf('a')).map((s) => s.language)).toEqual(['ko', undefined]);
    expect((await store.subscriptionsOf('U1'))[0]!.language).toBe('ko');
    expect(await store.questionLanguage('U1')).toBeUndefined();
    await store.recordQuestionLanguage('U1', 'ko', '2026-11-24T00:00:00Z');
    await store.recordQuestionLanguage('U1', 'en', '2026-11-24T00:00:05Z');
    await store.recordQuestionLanguage('U2', 'ko', '2026-11-24T00:00:06Z');
    expect([await store.questionLanguage('U1'), await store.questionLanguage('U2')]).toEqual(['en', 'ko']);
    await store.close();
    done();
  });
});

describe('SqliteUserStateStore on a file from before table subscriptions kept a language', () => {
  it('adds the column and loses nothing: old rows have no language, new ones do; question languages are exported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-state-'));
    try {
      const path = join(dir, 'state.sqlite');
      const old = new Database(path);
      old.exec('CREATE TABLE subscriptions (user TEXT NOT NULL, table_key TEXT NOT NULL, channel TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (user, table_key)) WITHOUT ROWID');
      old.prepare('INSERT INTO subscriptions VALUES (?, ?, ?, ?)').run('U1', 'hive://gold.game_log/sessions', 'U1', '2026-11-01T00:00:00Z');
      old.close();
      const store = new SqliteUserStateStore(path);
      expect(await store.subscriptionsOf('U1')).toEqual([{ user: 'U1', tableKey: 'hive://gold.game_log/sessions', channel: 'U1', at: '2026-11-01T00:00:00Z' }]);
      await store.toggleSubscription({ user: 'U2', tableKey: 'hive://gold.game_log/sessions', channel: 'U2', language: 'ko' }, '2026-12-01T00:00:00Z');
      await store.recordQuestionLanguage('U2', 'ko', '2026-12-01T00:00:01Z');
      await store.close();
      // opened again (the worker after the bot): the column is there once
      const again = new SqliteUserStateStore(path);
      expect((await again.subscribersOf('hive://gold.game_log/sessions')).map((s) => [s.user, s.language])).toEqual([
        ['U1', undefined],
        ['U2', 'ko'],
      ]);
      expect(again.exportRecords().filter((r) => r.kind !== 'bookmark')).toEqual([
        { kind: 'table_subscription', subscription: { user: 'U1', tableKey: 'hive://gold.game_log/sessions', channel: 'U1', at: '2026-11-01T00:00:00Z' } },
        { kind: 'table_subscription', subscription: { user: 'U2', tableKey: 'hive://gold.game_log/sessions', channel: 'U2', at: '2026-12-01T00:00:00Z', language: 'ko' } },
        { kind: 'question_language', user: 'U2', language: 'ko', at: '2026-12-01T00:00:01Z' },
      ]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
