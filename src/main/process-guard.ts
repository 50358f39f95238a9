/**
 * Process-level safety nets for the long-running roots (bot, worker). A rejected promise nobody awaited is logged
 * and the process keeps serving: the request it belonged to is lost, nothing else is. An uncaught exception leaves
 * the process in an unknown state, so it is logged and the process exits with code 1 for its supervisor to restart
 * (the only safe choice there).
 */
import type { Logger } from '../log/logger';

export interface ProcessGuardOptions {
  /** How to leave after an uncaught exception (tests replace it). */
  exit?: (code: number) => void;
}

/** Installs the handlers once; returns a function that removes them. */
export function installProcessGuard(log: Logger, options: ProcessGuardOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onRejection = (reason: unknown): void => {
    log.error({ err: reason }, 'unhandled promise rejection; still serving');
  };
  const onException = (err: Error): void => {
    log.fatal({ err }, 'uncaught exception; exiting for the supervisor to restart');
    // Give pino a moment to write the line.
    setTimeout(() => exit(1), 100).unref();
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
