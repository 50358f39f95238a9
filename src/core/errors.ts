import { randomBytes } from 'node:crypto';
import { UserError } from '../domain/errors';
import type { Logger } from '../log/logger';
import { t, type Lang } from '../text/catalogue';
import { LocalizedUserError } from '../text/localized-error';

/** What a person is told when something fails. */
export interface FailureNotice {
  text: string;
  /** The `UserError` code, when the failure was the person's to fix. */
  code?: string;
  /** The reference id quoted to the person and written to the log, for unexpected failures. */
  ref?: string;
}

/** A short random reference id (`ref 7f3a9c21`) tying an apology to its log line. */
export function referenceId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Turns an error into what the person sees. A `UserError` is shown as-is (a `LocalizedUserError` in `lang`) and not
 * logged as a failure; anything else is logged once here, with a reference id, and the person gets a short apology
 * that quotes it (in `lang`).
 */
export function explainFailure(err: unknown, log: Logger, where: Record<string, unknown> = {}, lang: Lang = 'en'): FailureNotice {
  if (err instanceof LocalizedUserError) return { text: err.messageIn(lang), code: err.code };
  if (err instanceof UserError) return { text: err.message, code: err.code };
  const ref = referenceId();
  log.error({ err, ref, ...where }, 'unexpected error');
  return { text: t(lang, 'error.unexpected', { ref }), ref };
}
