/**
 * The production path without Docker: scripts/image-steps.sh builds the image's layout (context filtered by
 * .dockerignore, `npm ci` compiling native modules, `npm run build`, `npm prune --omit=dev`) under the image's
 * Node 22 when it can be installed from npm (else the host's Node, said in the output), and the bot, the worker and
 * the CLI then run from it with `node dist/...`: they start, answer /healthz and /readyz, and stop on SIGTERM.
 * Slow (one `npm ci` with a native build, a few minutes): NANSEN_SKIP_IMAGE_TEST=1 skips it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../../tools/fake-slack/server';
import { ROOT, probe, run, start, stop, waitForLog } from './support';

const skip = process.env.NANSEN_SKIP_IMAGE_TEST === '1';
const maybe = skip ? describe.skip : describe;
if (skip) process.stdout.write('image steps test skipped: NANSEN_SKIP_IMAGE_TEST=1\n');

maybe('the image’s steps, run as a script in a clean directory', () => {
  let out: string;
  let app: string;
  let node: string;
  let data: string;
  const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', NANSEN_DATA_DIR: data, NANSEN_SOURCES: join(app, 'config', 'sources.yml'), LOG_LEVEL: 'info' });

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'nansen-image-'));
    data = join(out, 'data');
    const tools = spawnSync('bash', [join(ROOT, 'scripts/tools.sh'), 'node22'], { encoding: 'utf8', timeout: 300_000 });
    const node22 = tools.status === 0 ? tools.stdout.trim() : undefined;
    if (!node22) process.stdout.write(`Node 22 could not be installed from npm (${tools.stderr.trim()}): the image's steps run under the host's ${process.version}\n`);
    const steps = spawnSync('bash', [join(ROOT, 'scripts/image-steps.sh'), ...(node22 ? ['--node22'] : []), out], { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20 });
    if (steps.status !== 0) throw new Error(`image steps failed (${steps.status ?? steps.signal}):\n${steps.stdout.slice(-4000)}\n${steps.stderr.slice(-4000)}`);
    app = join(out, 'app');
    node = node22 ? join(node22, 'bin', 'node') : process.execPath;
  }, 1_200_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('holds compiled JavaScript and production dependencies only, with better-sqlite3 built for its Node', () => {
    for (const main of ['bot', 'worker', 'cli']) expect(existsSync(join(app, 'dist/src/main', `${main}.js`))).toBe(true);
    const modules = readdirSync(join(app, 'node_modules'));
    for (const dev of ['tsx', 'typescript', 'jest', 'ts-jest', 'eslint']) expect(modules).not.toContain(dev);
    expect(existsSync(join(app, 'src'))).toBe(false);
    const r = run(node, app, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); process.stdout.write(process.version)"], baseEnv());
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^v22\./);
  });

  it('runs the CLI: import, sources, crawl', () => {
    const env = baseEnv();
    const imported = run(node, app, ['dist/src/main/cli.js', 'import', 'data/demo-catalog.json'], env);
    expect(imported.err + imported.out).toMatch(/Imported .* 30 tables/);
    expect(imported.status).toBe(0);
    const crawled = run(node, app, ['dist/src/main/cli.js', 'crawl', 'demo'], env);
    expect(crawled.status).toBe(0);
    const sources = run(node, app, ['dist/src/main/cli.js', 'sources'], env);
    expect(sources.status).toBe(0);
    expect(sources.out).toMatch(/demo\s+catalog.*ok/);
  });

  it('a bad setting stops a process with one line naming it', () => {
    const r = run(node, app, ['dist/src/main/worker.js'], { ...baseEnv(), NANSEN_HEALTH_PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/NANSEN_HEALTH_PORT/);
  });

  it('runs the worker: healthy, ready, and stopped by SIGTERM within its grace period', async () => {
    const w = start(node, app, ['dist/src/main/worker.js'], { ...baseEnv(), NANSEN_HEALTH_PORT: '0', NANSEN_SHUTDOWN_GRACE_MS: '5000' });
    try {
      const { port } = (await waitForLog(w, 'health endpoints listening (/healthz, /readyz)')) as { port: number };
      await waitForLog(w, 'crawl worker started');
      expect(await probe(port, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await probe(port, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
      const stopped = await stop(w);
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
    } finally {
      w.child.kill('SIGKILL');
    }
  });

  it('runs the bot in Socket Mode against the fake Slack, ready when its backends (Redis too) answer', async () => {
    const fake = await FakeSlack.start({ postMessageRate: false });
    const redisUrl = process.env.REDIS_URL;
    const b = start(node, app, ['dist/src/main/bot.js'], {
      ...baseEnv(),
      NANSEN_HEALTH_PORT: '0',
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_APP_TOKEN: fake.options.appToken,
      SLACK_API_URL: fake.apiUrl,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    });
    try {
      const { port } = (await waitForLog(b, 'health endpoints listening (/healthz, /readyz)')) as { port: number };
      await waitForLog(b, 'nansen bot started');
      await fake.waitForSocket();
      expect((await probe(port, '/healthz')).status).toBe(200);
      const ready = await probe(port, '/readyz');
      expect(ready).toEqual({ status: 200, body: { status: 'ready' } });
      expect((await waitForLog(b, 'ready')).checks).toEqual(redisUrl ? ['graph', 'search', 'redis'] : ['graph', 'search']);
      const stopped = await stop(b);
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
    } finally {
      b.child.kill('SIGKILL');
      await fake.close();
    }
  });
});
