/**
 * OpenLineage intake benchmark: `npm run bench:openlineage -- [--seconds 60] [--senders 20] [--restart-seconds 30] [--backend embedded|neo4j-es] [--json]`.
 *
 * Starts the receiver as its own process (`nansen openlineage`, into empty stores), then:
 * 1. throughput: `--senders` concurrent senders post valid RunEvents for `--seconds` — START then COMPLETE of a run,
 *    each with two inputs and one output of the sender's own — and we report events/s and request latency;
 * 2. restart: the same senders for `--restart-seconds`, the receiver killed with SIGKILL half-way and started again;
 *    a sender retries an event (same runId and eventType) until it is acknowledged, as OpenLineage clients with
 *    retries do.
 * At the end the receiver is stopped and the stores are read directly: every acknowledged event must be marked
 * applied (runId + eventType) and every acknowledged COMPLETE must be a load-history entry of its output at its
 * event time. Lost events are those that are not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeTime } from '../ingest/diff';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import { openLineageRunStore } from '../src/main/openlineage';
import { openStores, type Backend } from '../src/main/stores';
import { removeBenchStores, percentile, round2, trackPeakRss } from './lib';
import { serviceEnv } from './service-env';

const ROOT = join(__dirname, '..');
const KEY = `bench-key-${randomBytes(8).toString('hex')}`;
const NAMESPACE = 'postgres://bench-pg.internal:5432';
const PRODUCER = 'https://github.com/nansen/bench/openlineage';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

interface Acked {
  runId: string;
  eventType: 'START' | 'COMPLETE';
  output: string;
  eventTime: string;
}

interface PhaseFigures {
  seconds: number;
  events: number;
  eventsPerS: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Attempts that failed (connection refused or reset, 5xx) and were retried. */
  retries: number;
  /** 4xx answers: the bench's events are valid, so any is a bug. */
  rejected: number;
  /** Acknowledged as `duplicate`: a retry of an event applied before the receiver could answer. */
  duplicates: number;
  /** From sending an event until it was acknowledged, retries included. */
  ackMs: { p95: number; max: number };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The receiver process; `start` resolves once it answers /health. */
class Receiver {
  private child: ChildProcess | undefined;
  private stderr = '';
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<number> {
    const t0 = Date.now();
    this.child = spawn(process.execPath, [...process.execArgv, join(ROOT, 'src/main/cli.ts'), 'openlineage', '--port', String(this.port)], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) => this.child!.once('exit', (code) => reject(new Error(`the receiver exited (${code}): ${this.stderr}`))));
    const up = (async (): Promise<void> => {
      while (Date.now() - t0 < 60_000) {
        if (await fetch(`${this.url}/health`).then((r) => r.ok, () => false)) return;
        await sleep(100);
      }
      throw new Error(`the receiver did not come up in 60 s: ${this.stderr}`);
    })();
    exited.catch(() => undefined);
    await Promise.race([up, exited]);
    return Date.now() - t0;
  }
  private async signal(sig: NodeJS.Signals): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.removeAllListeners('exit');
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(sig);
    await gone;
  }
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }
}

function runEvent(eventType: 'START' | 'COMPLETE', runId: string, sender: number, output: string, inputs: string[], eventTime: string): object {
  const ds = (name: string): object => ({ namespace: NAMESPACE, name });
  return {
    eventType,
    eventTime,
    producer: PRODUCER,
    schemaURL: SCHEMA_URL,
    run: { runId },
    job: { namespace: 'bench', name: `sender_${sender}.load` },
    inputs: inputs.map(ds),
    outputs: [ds(output)],
  };
}

/** Runs `senders` senders until `seconds` pass; `during` runs alongside (the restart). */
async function phase(receiver: Receiver, senders: number, seconds: number, acked: Acked[], during?: () => Promise<void>): Promise<PhaseFigures> {
  const latencies: number[] = [];
  const ackTimes: number[] = [];
  let retries = 0;
  let rejected = 0;
  let duplicates = 0;
  const started = Date.now();
  const end = started + seconds * 1000;

  const post = async (body: object): Promise<'applied' | 'duplicate'> => {
    const t0 = performance.now();
    for (;;) {
      const a0 = performance.now();
      try {
        const res = await fetch(`${receiver.url}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
        const answer = (await res.json()) as { status?: string; error?: string };
        if (res.status === 200 && (answer.status === 'applied' || answer.status === 'duplicate')) {
          latencies.push(performance.now() - a0);
          ackTimes.push(performance.now() - t0);
          return answer.status;
        }
        if (res.status < 500) {
          rejected++;
          throw new Error(`the receiver refused a valid event (${res.status}): ${answer.error ?? ''}`);
        }
      } catch (e) {
        if (rejected) throw e;
      }
      retries++;
      if (Date.now() > end + 120_000) throw new Error('an event was not acknowledged within 120 s after the phase ended');
      await sleep(100);
    }
  };

  const sender = async (s: number): Promise<void> => {
    let n = 0;
    let last = 0;
    const time = (): string => {
      last = Math.max(Date.now(), last + 1); // distinct event times, so every COMPLETE is a load entry of its own
      return new Date(last).toISOString();
    };
    while (Date.now() < end) {
      const runId = randomUUID();
      const output = `warehouse.bench_out.s${s}_t${n % 5}`;
      const inputs = [`warehouse.bench_src.t${(s * 7 + n) % 50}`, `warehouse.bench_src.t${(s * 13 + n * 3) % 50}`];
      for (const eventType of ['START', 'COMPLETE'] as const) {
        const eventTime = time();
        if ((await post(runEvent(eventType, runId, s, output, inputs, eventTime))) === 'duplicate') duplicates++;
        acked.push({ runId, eventType, output: `postgres://warehouse.bench_out/s${s}_t${n % 5}`, eventTime });
      }
      n++;
    }
  };

  const before = acked.length;
  await Promise.all([...Array.from({ length: senders }, (_, s) => sender(s)), during?.()]);
  const wall = (Date.now() - started) / 1000;
  const events = acked.length - before;
  return {
    seconds: round2(wall),
    events,
    eventsPerS: round2(events / wall),
    latencyMs: { p50: round2(percentile(latencies, 50)), p95: round2(percentile(latencies, 95)), p99: round2(percentile(latencies, 99)), max: round2(percentile(latencies, 100)) },
    retries,
    rejected,
    duplicates,
    ackMs: { p95: round2(percentile(ackTimes, 95)), max: round2(percentile(ackTimes, 100)) },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '60' }, 'restart-seconds': { type: 'string', default: '30' }, senders: { type: 'string', default: '20' }, backend: { type: 'string', default: 'embedded' }, json: { type: 'boolean', default: false } },
  });
  const seconds = Number(values.seconds);
  const restartSeconds = Number(values['restart-seconds']);
  const senders = Number(values.senders);
  if (!(seconds > 0) || !(restartSeconds >= 0) || !Number.isInteger(senders) || senders < 1) throw new Error('--seconds > 0, --restart-seconds ≥ 0 and --senders ≥ 1');
  const backend = values.backend as Backend;
  if (backend !== 'embedded' && backend !== 'neo4j-es') throw new Error('--backend takes embedded or neo4j-es');
  const say = (s: string): void => void (values.json || process.stderr.write(`${s}\n`));

  const dataDir = mkdtempSync(join(tmpdir(), 'nansen-bench-ol-'));
  const tag = randomBytes(4).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...serviceEnv(),
    NANSEN_DATA_DIR: dataDir,
    NANSEN_BACKEND: backend,
    NEO4J_KEYSPACE: `bench-ol-${tag}`,
    ELASTICSEARCH_INDEX_PREFIX: `bench-ol-${tag}`,
    NANSEN_OPENLINEAGE_API_KEYS: KEY,
    LOG_LEVEL: 'warn', // the per-event info line is not what is measured
  };
  delete env.REDIS_URL; // no schema changes to announce: the events carry no schema facet
  delete env.NANSEN_EMBEDDINGS_URL;
  const config = loadConfig(env);
  const receiver = new Receiver(env, await freePort());
  const acked: Acked[] = [];
  const memory = trackPeakRss();
  try {
    say(`starting the receiver (${backend})`);
    const startMs = await receiver.start();
    say(`${senders} senders for ${seconds} s`);
    const throughput = await phase(receiver, senders, seconds, acked);
    let restart: (PhaseFigures & { killedAfterS: number; downS: number; restartMs: number }) | undefined;
    if (restartSeconds > 0) {
      say(`${senders} senders for ${restartSeconds} s, the receiver killed (SIGKILL) half-way and started again`);
      let killedAfterS = 0;
      let downS = 0;
      let restartMs = 0;
      const t0 = Date.now();
      const figures = await phase(receiver, senders, restartSeconds, acked, async () => {
        await sleep((restartSeconds * 1000) / 2);
        killedAfterS = (Date.now() - t0) / 1000;
        await receiver.kill();
        const down = Date.now();
        restartMs = await receiver.start();
        downS = (Date.now() - down) / 1000;
      });
      restart = { ...figures, killedAfterS: round2(killedAfterS), downS: round2(downS), restartMs };
    }
    await receiver.stop();

    say(`checking ${acked.length} acknowledged events in the stores`);
    const runs = await openLineageRunStore(config);
    const stores = await openStores(config, silentLogger(), backend);
    let notApplied = 0;
    let missingLoads = 0;
    try {
      for (const a of acked) if (!(await runs.applied(a.runId, a.eventType))) notApplied++;
      const completes = acked.filter((a) => a.eventType === 'COMPLETE');
      const tables = new Map((await stores.graph.getTables([...new Set(completes.map((a) => a.output))])).map((t) => [t.key, new Set(t.updates)]));
      for (const a of completes) if (!tables.get(a.output)?.has(normalizeTime(a.eventTime))) missingLoads++;
    } finally {
      await stores.close();
      await runs.close();
    }
    const result = {
      backend,
      senders,
      receiverStartMs: startMs,
      throughput,
      ...(restart ? { restart } : {}),
      check: { acknowledged: acked.length, completes: acked.filter((a) => a.eventType === 'COMPLETE').length, notApplied, missingLoads, lost: notApplied + missingLoads },
      benchPeakRssMb: memory.stop(),
    };
    process.stdout.write(`${values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2)}\n`);
    if (result.check.lost) process.exitCode = 1;
  } finally {
    await receiver.kill();
    if (backend === 'neo4j-es') {
      await removeBenchStores(config);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:openlineage failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
