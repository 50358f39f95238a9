import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Mode of the folder that holds the SQLite files: only its owner may list or enter it. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every SQLite file (and its -wal and -shm): emails, Slack ids and the edit log are the owner's only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `dir` exist with mode 0700. An existing folder owned by this user is tightened to 0700 too (a sticky
 * shared folder such as /tmp, or one owned by someone else, is left as it is).
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const st = statSync(dir);
  const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
  const sticky = (st.mode & 0o1000) !== 0;
  if (mine && !sticky && (st.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates `path` empty with mode 0600 when it does not exist, and sets 0600 when it does. */
function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if ((statSync(path).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * How hard a commit waits for the disk (SQLite's `synchronous` in WAL mode):
 * - `full`: an fsync of the WAL at every commit, so a committed write survives `kill -9`, an OS crash and a power loss;
 * - `normal`: the commit is written to the WAL (into the OS page cache) without an fsync; the WAL is synced at each
 *   checkpoint. A committed write still survives `kill -9` of the process; only an OS crash or a power loss may forget
 *   the last commits (the database itself stays consistent).
 */
export type SqliteSync = 'full' | 'normal';

/**
 * Opens (creating it and its folder if need be) one of the embedded stores' SQLite files the way they all need
 * it: WAL with `synchronous=FULL` (unless `sync` says `normal`, see `SqliteSync`), so a write acknowledged is a
 * write that survives `kill -9`, and a busy timeout so two processes on one file wait for each other instead of
 * failing. `schema` (idempotent DDL) runs once opened.
 * The folder is 0700 and the files (the database, its -wal and -shm) 0600, whatever the umask.
 */
export function openSqlite(path: string, schema?: string, sync: SqliteSync = 'full'): Database.Database {
  if (path !== ':memory:') {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(sync === 'normal' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if (path !== ':memory:') for (const extra of [`${path}-wal`, `${path}-shm`]) if (existsSync(extra)) ensurePrivateFile(extra);
  if (schema) db.exec(schema);
  return db;
}
