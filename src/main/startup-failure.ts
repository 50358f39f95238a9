/**
 * What a composition root prints when it cannot start. Failures a person fixes in settings or infrastructure (a
 * `UserError`, an unreachable or refusing backend, a port in use, a token Slack refuses) are one line that says
 * what to fix, with secrets redacted; only a failure nobody foresaw keeps its stack, for a bug report.
 */
import { BackendUnavailableError, UserError } from '../domain/errors';
import { redactSecrets } from '../log/redact';

/** One error as the text to print on stderr after the process's name. */
export function describeStartupFailure(e: unknown): string {
  if (e instanceof UserError || e instanceof BackendUnavailableError) return redactSecrets(e.message);
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    const port = (e as { port?: unknown }).port;
    return code === 'EADDRINUSE' ? `Port ${String(port ?? '')} is already in use. Stop the other process or set PORT.` : `Not allowed to listen on port ${String(port ?? '')}. Set PORT to one above 1024.`;
  }
  if (e instanceof Error) return redactSecrets(e.stack ?? e.message);
  return redactSecrets(String(e));
}
