/**
 * Issue 11 item 8: ~/.nansen held emails, Slack ids and the edit log readable by every local user (0755 / 0644).
 * Through the real roots' store opening: the data folder is 0700 and every SQLite file 0600, under a lax umask,
 * and an existing lax folder and file are tightened.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { openChatState } from '../../src/main/chat-state';
import { openAlertStore, openStores } from '../../src/main/stores';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('data files are private', () => {
  let root: string;
  let oldUmask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nansen-modes-'));
    oldUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(oldUmask);
    rmSync(root, { recursive: true, force: true });
  });

  async function openAll(dir: string): Promise<void> {
    const config = loadConfig({ NANSEN_DATA_DIR: dir });
    const log = silentLogger();
    const stores = await openStores(config, log);
    const state = await openChatState(config, log);
    const alerts = await openAlertStore(config, log);
    await state.userState.toggleBookmark('U1', 'hive://a.b/c');
    await Promise.all([stores.close(), state.close(), alerts.close()]);
  }

  it('creates ~/.nansen 0700 and its SQLite files 0600', async () => {
    const dir = join(root, '.nansen');
    await openAll(dir);
    expect(mode(dir)).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.sqlite')).length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
  });

  it('tightens an existing 0755 folder and 0644 file', async () => {
    const dir = join(root, '.nansen');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'graph.sqlite'), '');
    chmodSync(join(dir, 'graph.sqlite'), 0o644);
    await openAll(dir);
    expect(mode(dir)).toBe(0o700);
    for (const f of readdirSync(dir)) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
  });
});
