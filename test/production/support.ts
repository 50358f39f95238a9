import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** A process started from the image layout, with its stderr (JSON log lines) collected. */
export interface Started {
  child: ChildProcess;
  log(): string;
  /** Resolves with the exit code (or the signal) once the process ends. */
  exited: Promise<number | string>;
}

export function start(node: string, cwd: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, log: () => err, exited };
}

/** Runs a command to its end (bounded), returning its exit status and output. */
export function run(node: string, cwd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): { status: number | null; out: string; err: string } {
  const r = spawnSync(node, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** Waits for a JSON log line with this `msg` and returns it. */
export async function waitForLog(p: Started, msg: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const line of p.log().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        if (o.msg === msg) return o;
      } catch {
        // a partial line
      }
    }
    if (p.child.exitCode !== null) throw new Error(`process exited (${p.child.exitCode}) before logging "${msg}":\n${p.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no "${msg}" log line in ${timeoutMs} ms:\n${p.log()}`);
}

/** GET a health endpoint: its status code and JSON body. */
export async function probe(port: number, path: '/healthz' | '/readyz'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Sends SIGTERM and returns how the process ended and how long it took. */
export async function stop(p: Started): Promise<{ code: number | string; ms: number }> {
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  const code = await Promise.race([p.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 30_000))]);
  if (code === 'timeout') p.child.kill('SIGKILL');
  return { code, ms: Date.now() - t0 };
}
