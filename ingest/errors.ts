import { redactSecrets } from '../src/log/redact';

/**
 * Errors of reading a source, split by what a retry can do about them. Workers map `PermanentSourceError` to
 * BullMQ's `UnrecoverableError` and let `TransientSourceError` retry with backoff. Messages never carry a
 * password: URLs in them are redacted and known secrets scrubbed.
 */
export abstract class SourceError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    /** The source id from `sources.yml`. */
    readonly source: string,
    /** A stable code: `bad_credentials`, `unknown_database`, `bad_config`, `unreachable`, `timeout`, ... */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Retrying will not help until a person fixes something (credentials, database name, config). */
export class PermanentSourceError extends SourceError {
  readonly retryable = false;
  constructor(source: string, code: string, message: string) {
    super(source, code, message);
    this.name = 'PermanentSourceError';
  }
}

/** The source could not be reached or dropped the connection; a later try may succeed. */
export class TransientSourceError extends SourceError {
  readonly retryable = true;
  constructor(source: string, code: string, message: string) {
    super(source, code, message);
    this.name = 'TransientSourceError';
  }
}

/** The password of a connection URL, when it has one (decoded), so it can be scrubbed from messages. */
export function urlPassword(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

const TRANSIENT_SYSCALL = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
/** PostgreSQL SQLSTATEs (and MySQL errnos, as text) that mean a person must fix something. */
const PERMANENT_SQL: Record<string, string> = {
  '28P01': 'bad_credentials',
  '28000': 'bad_credentials',
  '3D000': 'unknown_database',
  '42501': 'insufficient_privilege',
  '1045': 'bad_credentials',
  '1044': 'insufficient_privilege',
  '1049': 'unknown_database',
  '1142': 'insufficient_privilege',
  '1227': 'insufficient_privilege',
  ER_ACCESS_DENIED_ERROR: 'bad_credentials',
  ER_DBACCESS_DENIED_ERROR: 'insufficient_privilege',
  ER_BAD_DB_ERROR: 'unknown_database',
  ER_TABLEACCESS_DENIED_ERROR: 'insufficient_privilege',
  ER_NOT_SUPPORTED_AUTH_MODE: 'bad_credentials',
};
/** PostgreSQL classes and codes of errors that pass (shutdown, too many connections, connection exceptions). */
const TRANSIENT_SQL_PREFIX = ['08', '53', '57P'];
const TRANSIENT_MYSQL = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK']);

/**
 * Sorts an error thrown while reading a source into permanent or transient, with a message naming the source
 * and its redacted target. Unknown errors count as transient: a retry with backoff is the safer default.
 */
export function classifySourceError(error: unknown, context: { source: string; target: string; secrets?: Array<string | undefined> }): SourceError {
  if (error instanceof SourceError) return error;
  const e = error as { code?: unknown; errno?: unknown; message?: unknown; errors?: unknown[] } | undefined;
  const first = Array.isArray(e?.errors) && e?.errors.length ? (e.errors[0] as { code?: unknown }) : undefined;
  const code = String(e?.code ?? first?.code ?? '');
  const errno = e?.errno !== undefined ? String(e.errno) : '';
  const raw = error instanceof Error ? error.message || code : String(error);
  const detail = redactSecrets(raw, context.secrets ?? []);
  const where = `source ${context.source} (${context.target})`;
  const permanent = PERMANENT_SQL[code] ?? PERMANENT_SQL[errno];
  if (permanent) return new PermanentSourceError(context.source, permanent, `${where}: ${describe(permanent)}: ${detail}`);
  if (code === 'ENOTFOUND') return new PermanentSourceError(context.source, 'bad_config', `${where}: unknown host: ${detail}`);
  if (code === 'ETIMEDOUT' || /timeout/i.test(raw)) return new TransientSourceError(context.source, 'timeout', `${where}: timed out: ${detail}`);
  if (TRANSIENT_SYSCALL.has(code) || TRANSIENT_MYSQL.has(code)) return new TransientSourceError(context.source, 'unreachable', `${where}: unreachable: ${detail}`);
  if (TRANSIENT_SQL_PREFIX.some((p) => code.startsWith(p))) return new TransientSourceError(context.source, 'unavailable', `${where}: unavailable: ${detail}`);
  if (/terminated|connection (lost|closed|ended)|ECONNRESET|socket hang up|Connection terminated/i.test(raw)) {
    return new TransientSourceError(context.source, 'connection_lost', `${where}: connection lost: ${detail}`);
  }
  return new TransientSourceError(context.source, 'failed', `${where}: ${detail}`);
}

function describe(code: string): string {
  switch (code) {
    case 'bad_credentials':
      return 'authentication failed (check the user and password in the URL\'s environment variable)';
    case 'unknown_database':
      return 'the database does not exist';
    case 'insufficient_privilege':
      return 'the user lacks a privilege the crawl needs';
    default:
      return code;
  }
}
