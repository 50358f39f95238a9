import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface WorkerEvent {
  event: string;
  pid: number;
  t: number;
  [key: string]: unknown;
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'worker-process.ts');

/** The fixture worker in a child process of its own, so a test can signal it; its stdout events are collected. */
export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as WorkerEvent);
      } catch {
        // not an event
      }
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string>): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', FIXTURE], {
      cwd: join(__dirname, '..', '..', '..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new WorkerProcess(child);
    await p.waitFor((e) => e.event === 'ready' || e.event === 'fatal', 30_000, 'the worker to start');
    const fatal = p.events.find((e) => e.event === 'fatal');
    if (fatal) throw new Error(`worker failed to start: ${String(fatal.error)}\n${p.stderr}`);
    return p;
  }

  get pid(): number {
    return this.child.pid!;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async waitFor(match: (e: WorkerEvent) => boolean, timeoutMs = 15_000, what = 'an event'): Promise<WorkerEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const found = this.events.find(match);
    if (found) return found;
    throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events)}\nstderr: ${this.stderr.slice(-2000)}`);
  }

  /** Ends the process if a test left it running (by its own pid). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
