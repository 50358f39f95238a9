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
