import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Opens (creating it and its folder if need be) one of the embedded stores' SQLite files the way they all need
 * it: WAL with `synchronous=FULL`, so a write acknowledged is a write that survives `kill -9`, and a busy timeout
 * so two processes on one file wait for each other instead of failing. `schema` (idempotent DDL) runs once opened.
 */
export function openSqlite(path: string, schema?: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if (schema) db.exec(schema);
  return db;
}
