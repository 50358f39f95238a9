/**
 * A worker replica that loses Redis stops taking jobs and says so: /readyz turns 503 naming redis and its paused
 * jobs (with why), and the log says so; it does not fall back to local state, and it is ready again when Redis is
 * back. (That no job is taken or lost meanwhile: redis-loss-jobs.int.test.ts.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../workers/support/fakes';
import { PrivateRedis } from '../workers/support/redis';
import { deployment, type Deployment } from './support';

const ROOT = join(__dirname, '..', '..');

describe('a worker that loses Redis', () => {
  let redis: PrivateRedis;
  let dep: Deployment;
  let dir: string;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    dir = mkdtempSync(join(tmpdir(), 'nansen-redis-loss-'));
    writeFileSync(join(dir, 'sources.yml'), 'version: 1\nsources: []\n');
    dep = deployment('redis-loss', { REDIS_URL: redis.url, NANSEN_SOURCES: join(dir, 'sources.yml'), NANSEN_HEALTH_PORT: '0', NANSEN_HEALTH_HOST: '127.0.0.1', NANSEN_DATA_DIR: join(dir, 'data'), HOME: dir, LOG_LEVEL: 'info', NANSEN_DIGEST_CRON: 'off' });
  });
  afterAll(async () => {
    await dep?.cleanup().catch(() => undefined);
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns unready naming redis, logs it, and is ready again when Redis is back', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/main/worker.ts')], { cwd: ROOT, env: dep.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const port = await eventually(() => Number(/"port":(\d+),"msg":"health endpoints listening/.exec(log)?.[1]) || undefined, 60_000, 'the health endpoints');
      const ready = async (): Promise<{ status: number; body: { failed?: Array<{ name: string; error: string }> } }> => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        return { status: r.status, body: (await r.json()) as { failed?: Array<{ name: string; error: string }> } };
      };
      await eventually(async () => (await ready()).status === 200, 30_000, 'ready');
      await redis.stopServer();
      const down = await eventually(async () => {
        const r = await ready();
        return r.status === 503 && r.body.failed?.some((f) => f.name === 'jobs') ? r : undefined;
      }, 30_000, 'unready, its jobs paused');
      expect(down.body.failed!.map((f) => f.name)).toEqual(['redis', 'jobs']);
      expect(down.body.failed!.find((f) => f.name === 'jobs')!.error).toMatch(/^not taking jobs since .+: Redis does not answer/);
      await eventually(() => log.includes('"msg":"not ready: a backend does not answer"'), 10_000, 'the log line');
      await eventually(() => log.includes('"msg":"Redis lost: taking no jobs until it answers again"'), 10_000, 'the pause in the log');
      expect(child.exitCode).toBeNull();
      await redis.startServer();
      await eventually(async () => (await ready()).status === 200, 30_000, 'ready again');
      await eventually(() => log.includes('"msg":"Redis answers again: taking jobs"'), 10_000, 'the resume in the log');
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
