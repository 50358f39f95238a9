import { UnrecoverableError } from 'bullmq';
import { PermanentSourceError, TransientSourceError } from '../ingest/errors';
import { UserError } from '../src/domain/errors';
import { redactSecrets } from '../src/log/redact';

/**
 * How a crawl failure is handled: `permanent` fails the job at once (bad credentials, a source that is not in
 * `sources.yml`, a missing dbt target, a bad config); `transient` is retried with exponential backoff (a source or
 * store that is down or timing out); `aborted` means the crawl was cancelled (shutdown, lost lock) and is left
 * for BullMQ to return or retry.
 */
export type CrawlErrorKind = 'permanent' | 'transient' | 'aborted';

/** SQLSTATEs and driver codes that retrying cannot fix: authentication, authorisation, unknown database. */
const PERMANENT_CODES = new Set([
  // PostgreSQL
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification (no pg_hba entry, unknown role)
  '3D000', // invalid_catalog_name (database does not exist)
  '42501', // insufficient_privilege
  // MySQL / MariaDB (mysql2)
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
  'ER_TABLEACCESS_DENIED_ERROR',
  // files (dbt target, catalog file)
  'ENOENT',
  'EACCES',
  'EISDIR',
  // Neo4j
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
]);

/** Names of error classes that mean "do not retry"; the pipeline's own permanent error belongs here. */
const PERMANENT_NAMES = new Set(['UnrecoverableError', 'PermanentSourceError', 'PermanentCrawlError', 'SourceConfigError', 'UserError', 'ZodError']);

/**
 * Decides whether a crawl failure is worth retrying. The one place to adjust when the pipeline or a connector
 * grows a new kind of error. Walks the `cause` chain, so a wrapped driver error is classified by its cause.
 */
export function classifyCrawlError(err: unknown): CrawlErrorKind {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') break;
    const o = e as { name?: unknown; code?: unknown; retryable?: unknown };
    if (o.name === 'AbortError') return 'aborted';
    if (e instanceof PermanentSourceError || e instanceof UnrecoverableError || e instanceof UserError) return 'permanent';
    if (e instanceof TransientSourceError) return 'transient';
    if (o.retryable === true) return 'transient';
    if (o.retryable === false) return 'permanent';
    if (typeof o.name === 'string' && PERMANENT_NAMES.has(o.name)) return 'permanent';
    if (typeof o.code === 'string' && PERMANENT_CODES.has(o.code)) return 'permanent';
  }
  return 'transient';
}

/** The abort reason a crawl sees when the worker stops: it is returned to the queue, not failed. */
export const SHUTDOWN_REASON = 'worker shutting down';

/** Whether a crawl was stopped because the worker is shutting down. */
export function isShutdownAbort(signal: AbortSignal | undefined): boolean {
  return !!signal?.aborted && signal.reason === SHUTDOWN_REASON;
}

/** Another crawl of the same source holds its lock; the job is put back to run later. */
export class SourceBusyError extends Error {
  constructor(
    readonly sourceId: string,
    readonly holder: string,
  ) {
    super(`a crawl of ${sourceId} is already running (${holder})`);
    this.name = 'SourceBusyError';
  }
}

/** The crawl lost its lock on the source (Redis unreachable for too long, job taken over): it stops. */
export class SourceLockLostError extends Error {
  readonly retryable = true;
  constructor(readonly sourceId: string) {
    super(`lost the crawl lock of ${sourceId}`);
    this.name = 'SourceLockLostError';
  }
}

/**
 * An error message safe for logs, job records and the status store: passwords in URLs (`user:secret@host`)
 * and `password=...` pairs are masked, whatever the driver put in its message.
 */
export function safeErrorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  return redactSecrets(raw);
}

/**
 * The crawl wrote its schema changes but their alert could not be handed over (queue or alert store unreachable).
 * The job is retried; the retry finds the changes its crawl already recorded in the graph and queues them then.
 */
export class AlertsNotQueuedError extends Error {
  readonly retryable = true;
  constructor(
    readonly sourceId: string,
    readonly crawlId: string,
    cause: unknown,
  ) {
    super(`the schema-change alert of crawl ${crawlId} of ${sourceId} was not queued: ${safeErrorMessage(cause)}`, { cause });
    this.name = 'AlertsNotQueuedError';
  }
}
