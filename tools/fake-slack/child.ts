/** Starts a TypeScript program as a child process (through tsx) and waits for its `READY <value>` line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ReadyChild {
  child: ChildProcess;
  /** What followed `READY ` on the child's stdout. */
  ready: string;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** Whether it has exited, and how. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stop(): Promise<void>;
}

export function startChild(script: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<ReadyChild> {
  const tsx = join(__dirname, '../../node_modules/.bin/tsx');
  const child = spawn(tsx, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.on('exit', (code, signal) => (exit = { code, signal }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${script} not ready in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`child ${script} exited before it was ready: ${err}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        ready: m[1]!,
        stderr: () => err,
        exited: () => exit,
        stop: () =>
          new Promise<void>((done) => {
            if (exit) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      });
    });
  });
}
