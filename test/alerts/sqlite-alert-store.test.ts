import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import { alertStoreContract } from './alert-store.contract';

alertStoreContract('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-alerts-'));
  let clock = Date.now();
  const store = new SqliteAlertStore({ path: join(dir, 'alerts.sqlite'), now: () => clock });
  await store.init();
  return {
    store,
    async expireLeases(ms) {
      clock += ms;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteAlertStore durability', () => {
  it('keeps subscriptions and the ledger across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-alerts-'));
    try {
      const path = join(dir, 'alerts.sqlite');
      const a = new SqliteAlertStore({ path });
      await a.init();
      await a.subscribe({ channel: 'C1', pattern: 'x.*', mode: 'daily', createdAt: '2026-11-24T00:00:00Z' });
      await a.claimDelivery('k', 't', 1000);
      await a.completeDelivery('k', 't', { channel: 'C1', ts: '1.1', at: '2026-11-24T00:00:00Z' });
      await a.close();
      const b = new SqliteAlertStore({ path });
      await b.init();
      expect((await b.listSubscriptions('C1'))[0]!.mode).toBe('daily');
      expect((await b.getDelivery('k'))!.state).toBe('sent');
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteAlertStore on a file from before subscriptions kept a language', () => {
  it('adds the column and loses nothing: old rows have no language, new ones do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-alerts-'));
    try {
      const path = join(dir, 'alerts.sqlite');
      const old = new Database(path);
      old.exec('CREATE TABLE subscriptions (channel TEXT NOT NULL, pattern TEXT NOT NULL, mode TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (channel, pattern))');
      old.prepare('INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?)').run('C1', 'game_log.*', 'daily', 'U1', '2026-11-01T00:00:00Z', 1);
      old.close();
      const store = new SqliteAlertStore({ path });
      await store.init();
      expect(await store.listSubscriptions('C1')).toEqual([{ channel: 'C1', pattern: 'game_log.*', mode: 'daily', createdBy: 'U1', createdAt: '2026-11-01T00:00:00Z' }]);
      await store.subscribe({ channel: 'C1', pattern: 'tag:x', mode: 'live', createdAt: '2026-12-01T00:00:00Z', language: 'ko' });
      expect((await store.listSubscriptions('C1')).map((s) => s.language)).toEqual([undefined, 'ko']);
      await store.close();
      // opened again (the worker after the bot): the column is there once
      const again = new SqliteAlertStore({ path });
      await again.init();
      expect((await again.allSubscriptions()).length).toBe(2);
      expect(again.exportRecords().filter((r) => r.kind === 'subscription').map((r) => r.kind === 'subscription' && r.subscription.language)).toEqual([undefined, 'ko']);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
