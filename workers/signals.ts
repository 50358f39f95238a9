import type { Logger } from '../src/log/logger';

/**
 * On SIGTERM or SIGINT: stop once (a second signal while stopping is logged and ignored; the grace period inside
 * `stop` bounds the wait), then exit 0, or 1 if stopping failed. SIGHUP calls `reload` when given.
 */
export function handleSignals(handlers: { stop(): Promise<void>; reload?(): Promise<unknown> }, logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'already stopping: waiting for crawls in progress');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    handlers.stop().then(
      () => {
        logger.info('worker stopped');
        exit(0);
      },
      (err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'worker did not stop cleanly');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  if (handlers.reload) {
    const reload = handlers.reload;
    process.on('SIGHUP', () => {
      if (stopping) return;
      logger.info('reloading sources');
      reload().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'sources not reloaded'));
    });
  }
}
