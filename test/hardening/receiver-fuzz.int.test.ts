/**
 * Issue 11 item 5: one signed malformed body used to kill the HTTP bot (Bolt reads `body.ssl_check` of a JSON
 * `null`). The real Bolt app runs in a child process; 1 000 signed malformed bodies must leave it serving.
 */
import { join } from 'node:path';
import { startChild, type ReadyChild } from '../../tools/fake-slack/child';
import { malformedBodies } from '../../tools/fake-slack/malformed';
import * as P from '../../tools/fake-slack/payloads';
import { isWellFormedBody } from '../../src/slack/receiver-guard';
import { SECRET } from '../slack/harness';

/** A signed post that gives up after 6 s (Bolt answers an unacknowledged request after 3 s): -1 for no answer. */
function post(url: string, body: string, contentType: string): Promise<{ status: number }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ status: number }>((resolve) => (timer = setTimeout(() => resolve({ status: -1 }), 6000)));
  const sent = P.postSigned(url, SECRET, body, { contentType }).catch(() => ({ status: -1 }));
  return Promise.race([sent, late]).finally(() => clearTimeout(timer));
}

describe('isWellFormedBody', () => {
  it.each([
    ['null', 'application/json', false],
    ['[]', 'application/json', false],
    ['{"a":1}', 'application/json', true],
    ['payload=null', 'application/x-www-form-urlencoded', false],
    ['payload=%7B%7D', 'application/x-www-form-urlencoded', true],
    ['command=%2Fdata', 'application/x-www-form-urlencoded', true],
  ])('%s (%s) → %s', (body, type, ok) => expect(isWellFormedBody(body, type)).toBe(ok));
});

describe('the HTTP bot under 1 000 signed malformed bodies', () => {
  let bot: ReadyChild;
  beforeAll(async () => {
    bot = await startChild(join(__dirname, 'support/http-bot.ts'));
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('answers JSON null and payload=null with 400 and keeps serving', async () => {
    for (const [body, contentType] of [['null', 'application/json'], ['payload=null', 'application/x-www-form-urlencoded']] as const) {
      const r = await post(bot.ready, body, contentType);
      expect(r.status).toBe(400);
    }
    expect(bot.exited()).toBeUndefined();
  });

  it('zero crashes, zero unhandled errors, and a real command still answered', async () => {
    const bodies = malformedBodies(1000);
    const statuses = new Map<number, number>();
    // Bodies no listener acknowledges wait for Bolt's 3 s timeout (then 404), so they go 250 at a time.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        const r = await post(bot.ready, b.body, b.contentType);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 250 }, worker));
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.exited()).toBeUndefined();
    expect(statuses.get(-1) ?? 0).toBe(0);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    expect(bot.stderr()).not.toMatch(/unhandled promise rejection|uncaught exception/);
    const ok = await P.postCommand(bot.ready, SECRET, P.slashCommand({ text: 'help', triggerId: 't', responseUrl: 'http://127.0.0.1:1/r' }));
    expect(ok.status).toBe(200);
  }, 60_000);
});
