/**
 * A child process for crash tests: the real Bolt app in HTTP mode (test harness: embedded stores, the fake Slack
 * API on loopback) with the bot's process-level guard. Prints `READY <url>` on stdout; logs JSON lines on stderr.
 */
import pino from 'pino';
import { installProcessGuard } from '../../../src/main/process-guard';
import { startHarness } from '../../slack/harness';

async function main(): Promise<void> {
  const log = pino({ level: 'warn' }, pino.destination(2));
  installProcessGuard(log);
  const h = await startHarness({ log });
  process.stdout.write(`READY ${h.url}\n`);
  process.once('SIGTERM', () => void h.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(2);
});
