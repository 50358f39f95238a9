/**
 * Two bot processes (src/main/bot.ts, HTTP mode) behind one Redis answer each Slack event exactly once: the same
 * event delivered to both, and Slack's retries of it delivered to either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as P from '../../tools/fake-slack/payloads';
import { FakeSlack } from '../../tools/fake-slack/server';
import { eventually, sleep } from '../workers/support/fakes';
import { deletePrefix, sharedRedisUrl, uniqueName } from '../workers/support/redis';
import { runCli } from './support';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'two-bots-signing-secret';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('two bot processes behind one Redis', () => {
  let dir: string;
  let fake: FakeSlack;
  let prefix: string;
  const bots: Array<{ child: ChildProcess; port: number; log(): string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-bots-'));
    prefix = uniqueName('bots');
    fake = await FakeSlack.start({ postMessageRate: false });
    const imported = await runCli(['import', join(ROOT, 'data/demo-catalog.json')], { NANSEN_DATA_DIR: dir, PATH: process.env.PATH ?? '' });
    expect(imported.code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/main/bot.ts')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: dir, NANSEN_DATA_DIR: dir, REDIS_URL: sharedRedisUrl(), NANSEN_REDIS_PREFIX: prefix, SLACK_BOT_TOKEN: fake.options.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      bots.push({ child, port, log: () => err });
    }
    await eventually(() => bots.every((b) => b.log().includes('nansen bot started')), 150_000, 'both bots to start');
  }, 180_000);

  afterAll(async () => {
    for (const b of bots) b.child.kill('SIGTERM');
    await Promise.all(bots.map((b) => new Promise((r) => (b.child.exitCode !== null ? r(undefined) : b.child.once('exit', r)))));
    await fake?.close();
    await deletePrefix(sharedRedisUrl(), prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = (bot: number, body: string, retry?: number): Promise<P.SignedResponse> =>
    P.postSigned(`http://127.0.0.1:${bots[bot]!.port}/slack/events`, SECRET, body, { contentType: 'application/json', ...(retry ? { headers: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } } : {}) });
  const answersTo = (ts: string): number => fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts).length;

  it('the same event delivered to both at once is answered once', async () => {
    const mention = P.appMention({ text: 'who owns game_log.sessions?', channel: 'C0BOTS0001' });
    const body = JSON.stringify(P.eventCallback(mention, { eventId: `Ev${Date.now()}A` }));
    const res = await Promise.all([deliver(0, body), deliver(1, body)]);
    expect(res.map((r) => r.status)).toEqual([200, 200]);
    await eventually(() => answersTo(mention.ts as string) >= 1, 20_000, 'an answer');
    await sleep(1500);
    expect(answersTo(mention.ts as string)).toBe(1);
  });

  it('Slack’s retries, delivered to either bot, are not answered again', async () => {
    const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0BOTS0002' });
    const body = JSON.stringify(P.eventCallback(mention, { eventId: `Ev${Date.now()}B` }));
    expect((await deliver(0, body)).status).toBe(200);
    await eventually(() => answersTo(mention.ts as string) >= 1, 20_000, 'an answer');
    for (const [bot, retry] of [[1, 1], [0, 2], [1, 3]] as const) expect((await deliver(bot, body, retry)).status).toBe(200);
    await sleep(1500);
    expect(answersTo(mention.ts as string)).toBe(1);
  });
});
