import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log/logger';

const TO_PINO: Record<LogLevel, string> = { [LogLevel.DEBUG]: 'debug', [LogLevel.INFO]: 'info', [LogLevel.WARN]: 'warn', [LogLevel.ERROR]: 'error' };

function fromPino(level: string): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

function text(parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
}

/**
 * Bolt's `logger` option backed by pino: Bolt's free-text lines go into a `bolt` field under a constant message,
 * at the same level, through a child logger named `slack`.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  return {
    debug: (...m: unknown[]) => child.debug({ bolt: text(m) }, 'bolt'),
    info: (...m: unknown[]) => child.info({ bolt: text(m) }, 'bolt'),
    warn: (...m: unknown[]) => child.warn({ bolt: text(m) }, 'bolt'),
    error: (...m: unknown[]) => child.error({ bolt: text(m) }, 'bolt'),
    setLevel: (level: LogLevel) => {
      child.level = TO_PINO[level];
    },
    getLevel: () => fromPino(child.level),
    setName: () => undefined,
  };
}
