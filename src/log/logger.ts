import pino from 'pino';

export type Logger = pino.Logger;

/**
 * The process logger: JSON lines on stderr (stdout belongs to the terminal chat and to benchmark JSON).
 * Messages are constant; data goes in fields: `log.info({ source, tables }, 'crawl published')`.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({ level: options.level ?? 'info', name: options.name ?? 'nansen', redact: { paths: ['*.password', '*.token', 'password', 'token', '*.secret'], censor: '[redacted]' } }, pino.destination(2));
}

/** A logger that writes nothing, for tests and quiet tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
