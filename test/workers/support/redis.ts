import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A server URL for the integration tests (REDIS_URL, PG_URL, ...): from the environment, else from what scripts/services.sh started. */
export function serviceUrl(name: string): string {
  if (process.env[name]) return process.env[name]!;
  const file = join(process.env.NANSEN_SERVICES_DIR ?? '/tmp/nansen-services', 'env.json');
  if (existsSync(file)) {
    const env = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (env[name]) return env[name]!;
  }
  throw new Error(`no ${name} for the integration tests: run \`bash scripts/services.sh up\` or set ${name}`);
}

/** The shared test Redis. */
export function sharedRedisUrl(): string {
  return serviceUrl('REDIS_URL');
}

/** A name no other test uses: queues, prefixes. */
export function uniqueName(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under a prefix (what `obliterate` leaves: locks, schedulers of closed queues). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of this test's own, on a free loopback port, with an append-only file fsynced on every write
 * (as production runs it: docker-compose.yml has `--appendonly yes`), so it can be stopped and started again
 * without disturbing other tests, and without losing what it acknowledged.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'nansen-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      throw new Error('redis-server is not installed: run `bash scripts/services.sh up redis` once');
    }
    const redis = new PrivateRedis(await freePort());
    await redis.startServer();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async startServer(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir, '--logfile', join(this.dir, 'redis.log')],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: see ${join(this.dir, 'redis.log')}`);
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') {
          // Still loading the append-only file answers LOADING to everything else.
          const info = await probe.info('persistence');
          if (/loading:0/.test(info)) return;
        }
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not start within 10 s');
  }

  /** Stops the server the way a crash-free restart does (`SHUTDOWN NOSAVE`: the AOF already has everything). */
  async stopServer(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const admin = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    try {
      await admin.connect();
      await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    } catch {
      child.kill('SIGTERM');
    } finally {
      admin.disconnect();
    }
    await exited;
    this.child = undefined;
  }

  async restart(downForMs = 0): Promise<void> {
    await this.stopServer();
    if (downForMs) await new Promise((r) => setTimeout(r, downForMs));
    await this.startServer();
  }

  async stop(): Promise<void> {
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
