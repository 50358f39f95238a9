import { installProcessGuard } from '../../src/main/process-guard';
import { silentLogger } from '../../src/log/logger';

/** Issue 11 item 5: process-level handlers log and keep serving, or exit cleanly for the supervisor. */
describe('installProcessGuard', () => {
  it('logs an unhandled rejection and keeps serving; exits 1 after an uncaught exception', async () => {
    const log = silentLogger();
    const errors: string[] = [];
    log.error = ((_o: unknown, msg?: string) => errors.push(String(msg))) as typeof log.error;
    log.fatal = ((_o: unknown, msg?: string) => errors.push(String(msg))) as typeof log.fatal;
    const exits: number[] = [];
    const remove = installProcessGuard(log, { exit: (c) => exits.push(c) });
    try {
      process.emit('unhandledRejection', new Error('lost'), Promise.resolve());
      expect(errors).toEqual(['unhandled promise rejection; still serving']);
      expect(exits).toEqual([]);
      process.emit('uncaughtException', new Error('broken'));
      await new Promise((r) => setTimeout(r, 150));
      expect(exits).toEqual([1]);
    } finally {
      remove();
    }
  });
});
