/**
 * Two bot processes (src/main/bot.ts, HTTP mode) behind one Redis answer each Slack event exactly once: the same
 * event delivered to both, and Slack's retries of it delivered to either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as P from '../../tools/fake-slack/payloads';
import { FakeSlack } from '../../tools/fake-slack/server';
import { eventually, sleep } from '../workers/support/fakes';
import { deletePrefix, sharedRedisUrl, uniqueName } from '../workers/support/redis';
import { runCli } from './support';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'two-bots-signing-secret';

/** The port a bot logged it listens on (it is started on port 0, so no other process can take it first). */
function listeningPort(log: string): number | undefined {
  for (const line of log.split('\n')) {
    if (!line.includes('slack app listening')) continue;
    const port = (JSON.parse(line) as { port?: unknown }).port;
    if (typeof port === 'number' && port > 0) return port;
  }
  return undefined;
}

describe('two bot processes behind one Redis', () => {
  let dir: string;
  let fake: FakeSlack;
  let prefix: string;
  const bots: Array<{ child: ChildProcess; port(): number; log(): string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-bots-'));
    prefix = uniqueName('bots');
    fake = await FakeSlack.start({ postMessageRate: false });
    const imported = await runCli(['import', join(ROOT, 'data/demo-catalog.json')], { NANSEN_DATA_DIR: dir, PATH: process.env.PATH ?? '' });
    expect(imported.code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/main/bot.ts')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: dir, NANSEN_DATA_DIR: dir, REDIS_URL: sharedRedisUrl(), NANSEN_REDIS_PREFIX: prefix, SLACK_BOT_TOKEN: fake.options.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NANSEN_ANSWER_THREADS: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      bots.push({ child, port: () => listeningPort(err) ?? 0, log: () => err });
    }
    const exitedEarly = (): (typeof bots)[number] | undefined => bots.find((b) => b.child.exitCode !== null || b.child.signalCode !== null);
    const started = await eventually(() => exitedEarly() ?? bots.every((b) => b.log().includes('nansen bot started') && b.port() > 0), 150_000, 'both bots to start').catch(
      (e: Error) => new Error(`${e.message}\n${bots.map((b, i) => `bot ${i} log:\n${b.log().slice(-4000)}`).join('\n')}`),
    );
    if (started instanceof Error) throw started;
    if (typeof started === 'object') throw new Error(`a bot exited (${started.child.exitCode ?? started.child.signalCode}) before it started:\n${started.log().slice(-4000)}`);
  }, 180_000);

  afterAll(async () => {
    for (const b of bots) b.child.kill('SIGTERM');
    await Promise.all(bots.map((b) => new Promise((r) => (b.child.exitCode !== null ? r(undefined) : b.child.once('exit', r)))));
    await fake?.close();
    await deletePrefix(sharedRedisUrl(), prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = (bot: number, body: string, retry?: number): Promise<P.SignedResponse> =>
    P.postSigned(`http://127.0.0.1:${bots[bot]!.port()}/slack/events`, SECRET, body, { contentType: 'application/json', ...(retry ? { headers: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } } : {}) });
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
