/**
 * Issue 11 item 7: bad settings are found at start and reported in one line that says what to fix, never a stack
 * trace: a port in use, a Socket Mode token Slack refuses, an unreachable Neo4j or Elasticsearch, a wrong Redis
 * password (WRONGPASS, on the real Redis), an unknown time zone. Each runs the real bot root as a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../../tools/fake-slack/server';

const ROOT = join(__dirname, '../..');
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';

function runBot(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-start-'));
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, NANSEN_DATA_DIR: dir, LOG_LEVEL: 'fatal', SLACK_BOT_TOKEN: 'xoxb-fake-bot-token' };
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/main/bot.ts')], { env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
}

/** One line, the given reason, no stack frames. */
function expectOneLine(r: { code: number | null; stderr: string }, reason: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('the bot fails to start in one clear line', () => {
  let fake: FakeSlack;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    fake = await FakeSlack.start({ postMessageRate: false });
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((r) => busy.close(r));
  });

  it('port in use', async () => {
    expectOneLine(await runBot({ SLACK_SIGNING_SECRET: 's', PORT: String(busyPort), HOST: '127.0.0.1', SLACK_API_URL: fake.apiUrl }), /Port \d+ is already in use/);
  });

  it('a Socket Mode token Slack refuses', async () => {
    expectOneLine(await runBot({ SLACK_BOT_TOKEN: fake.options.botToken, SLACK_APP_TOKEN: 'xapp-wrong', SLACK_API_URL: fake.apiUrl }), /Slack refused SLACK_APP_TOKEN \(invalid_auth\)/);
  });

  it('an unreachable Neo4j', async () => {
    expectOneLine(await runBot({ SLACK_SIGNING_SECRET: 's', NANSEN_BACKEND: 'neo4j-es', NEO4J_URL: 'bolt://127.0.0.1:1', ELASTICSEARCH_URL: 'http://127.0.0.1:1' }), /(Neo4j|Elasticsearch) at .* is unavailable/i);
  });

  it('a wrong Redis password says WRONGPASS', async () => {
    const url = new URL(REDIS);
    url.username = 'nansen-nobody';
    url.password = 'wrong-password';
    const r = await runBot({ SLACK_SIGNING_SECRET: 's', REDIS_URL: url.toString() });
    expectOneLine(r, /Redis at .* is unavailable: WRONGPASS/);
    expect(r.stderr).not.toContain('wrong-password');
  });

  it('an unknown time zone', async () => {
    expectOneLine(await runBot({ SLACK_SIGNING_SECRET: 's', NANSEN_TIMEZONE: 'Mars/Phobos' }), /NANSEN_TIMEZONE/);
  });
});
