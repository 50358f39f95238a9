import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite } from '../../src/adapters/embedded/sqlite';

/**
 * Another process (a second bot, the CLI, a worker) may hold the file's write lock at the moment a store opens it:
 * the open waits for the lock, as every later statement does, instead of failing at its first pragma.
 */
describe('opening an embedded store file another process is writing', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nansen-sqlite-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for the other process’s lock, then switches to WAL and runs its schema', async () => {
    const path = join(dir, 'store.sqlite');
    const setup = new Database(path);
    setup.exec('CREATE TABLE t (x INTEGER)');
    setup.close();
    // a rollback-journal file held by a write transaction for 600 ms in another process
    const holder = spawn(
      process.execPath,
      ['-e', `const db = new (require('better-sqlite3'))(${JSON.stringify(path)}); db.exec('BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)'); process.stdout.write('locked\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600); db.exec('COMMIT'); db.close();`],
      { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held the lock`)));
    });
    const started = Date.now();
    const db = openSqlite(path, 'CREATE TABLE IF NOT EXISTS u (y INTEGER)');
    try {
      expect(Date.now() - started).toBeGreaterThan(200);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    } finally {
      db.close();
      await new Promise((r) => (holder.exitCode !== null ? r(undefined) : holder.once('exit', r)));
    }
  });
});
