/**
 * Slack benchmark: `npm run bench:slack -- --json [--users N[,M]] [--seconds S] [--mode http|socket] [--tables T]
 * [--followups F] [--profile DIR]`.
 *
 * The bot runs as its own process (`src/main/bot.ts`, the production composition root) on the embedded store,
 * seeded with the demo catalog (plus T generated tables), talking to the fake Slack Web API on loopback. N
 * simulated people each send, for S seconds, slash commands and mentions (some follow-ups in the mention's thread)
 * with 1–2 s between actions; one mention in ten is delivered again as a retry (`X-Slack-Retry-Num`), as Slack
 * does when an ack is late. With `--followups F` (0–1), that share of all actions are thread follow-ups without a
 * mention (`message` events with `thread_ts`, as `message.channels` delivers them) in the thread of the person's
 * last answered mention. `--profile DIR` runs the bot under `--cpu-prof` and writes its profile there. Measured:
 * - ackMs: request → Bolt's acknowledgement (the HTTP response; in Socket Mode the envelope's ack), every request;
 * - answerMs: mention sent → the answer's chat.postMessage reaching the fake;
 * - errors: failed or non-200 acks, Slack API calls the fake refused (other than 429, which the bot must obey),
 *   apologies, and mentions or follow-ups left unanswered 10 s after the run; `errorKinds` counts each kind apart;
 * - duplicates: answers in a thread beyond one per message sent to Nansen there.
 * A thread's answers are matched to its messages in order (the first answer in a thread to the oldest unanswered
 * message in it), so a late answer to a mention is not taken for its follow-up's. A follow-up goes only to a thread
 * whose mention was answered: a reply in a thread Nansen never answered in is rightly left alone. The simulated
 * people are declared in the fake workspace, as they would be in a real one (`users.info` finds them).
 * Prints one JSON line per user count: `{"users":N,"ackMs":{"p50","p99"},"answerMs":{"p50","p95"},"errors","errorKinds","duplicates",...}`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importCatalog } from '../src/catalog/import';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/log/logger';
import { seedDemoCatalog } from '../src/main/shell';
import { openStores } from '../src/main/stores';
import * as P from '../tools/fake-slack/payloads';
import { FakeSlack, type RecordedCall } from '../tools/fake-slack/server';
import { generateCatalog } from './generate-catalog';
import { percentile, round2, seededRandom } from './lib';

const SECRET = 'bench-signing-secret';
/** How Nansen's English answer begins when it knows no table for a question (src/render/compose/unknown.ts). */
const NO_TABLE = "I don't know a table for that.";

const COMMANDS = ['latency by country', 'game_log.sessions', 'revenue', 'network_latency_by_country', 'help', 'history game_log.sessions', 'daily active users', 'tag latency', 'crash', 'kpi_daily_summary', 'retention by install source', 'dim_user'];
const QUESTIONS: Array<[string, string?]> = [
  ["which table shows in-game users' latency by country?", 'who owns it?'],
  ['when was game_log.sessions last updated?', 'is it hourly?'],
  ['where can I find daily revenue by country?'],
  ['who uses bi_mart.kpi_daily_summary the most?'],
  ['what is game_log.daily_active_users built from?', 'and what is built from it?'],
  ['which dashboards use game_log.network_latency_by_country?'],
  ['what does duration_sec mean in game_log.sessions?'],
  ['is there a table of client crashes by device model?'],
];

interface Run {
  users: number;
  mode: 'http' | 'socket';
  seconds: number;
  requests: number;
  mentions: number;
  /** Thread follow-ups without a mention (counted apart from mentions). */
  followups: number;
  ackMs: { p50: number; p99: number };
  answerMs: { p50: number; p95: number };
  errors: number;
  /** The errors by kind: acks that failed, Web API calls refused, apologies, messages never answered. */
  errorKinds: { acks: number; refused: number; apologies: number; unansweredMentions: number; unansweredFollowups: number };
  duplicates: number;
  /** Mentions answered "I don't know a table for that" (their threads get no follow-ups). */
  noTableAnswers: number;
  rateLimited: number;
  tables: number;
}

function userId(i: number): string {
  return `U${String(i).padStart(9, '0')}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function seed(dataDir: string, extraTables: number): Promise<number> {
  const stores = await openStores(loadConfig({ ...process.env, NANSEN_DATA_DIR: dataDir, NANSEN_BACKEND: 'embedded' }), silentLogger(), 'embedded');
  try {
    let tables = await seedDemoCatalog(stores, new Date());
    if (extraTables > 0) tables += (await importCatalog(generateCatalog(extraTables), stores, { batchSize: 1000 })).tables;
    return tables;
  } finally {
    await stores.close();
  }
}

function startBot(env: Record<string, string>, profileDir?: string): ChildProcess {
  // tsx's CLI runs the script in a child of its own; profiling needs the bot's own process, so tsx is a loader there
  const args = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--import', 'tsx', join(__dirname, '../src/main/bot.ts')] : [require.resolve('tsx/cli'), join(__dirname, '../src/main/bot.ts')];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString();
    if (/"level":(50|60)/.test(text) || !text.startsWith('{')) process.stderr.write(`[bot] ${text}`);
  });
  return child;
}

async function waitForBot(fake: FakeSlack, mode: 'http' | 'socket', url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('the bot exited during start-up');
    if (mode === 'socket') {
      if (fake.socketClients > 0) return;
    } else {
      const r = await P.postSigned(url, SECRET, JSON.stringify({ type: 'url_verification', challenge: 'ready', token: 'x' }), { contentType: 'application/json' }).catch(() => undefined);
      if (r?.status === 200) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bot did not start within 60 s');
}

interface RunOptions {
  users: number;
  seconds: number;
  mode: 'http' | 'socket';
  extraTables: number;
  /** Share of actions that are thread follow-ups without a mention. */
  followups: number;
  profileDir?: string;
}

async function runOnce(o: RunOptions): Promise<Run> {
  const { users, seconds, mode, extraTables } = o;
  const dataDir = mkdtempSync(join(tmpdir(), 'nansen-bench-slack-'));
  const fake = await FakeSlack.start({ postMessageRate: { perSecond: 1, burst: 1 } });
  let child: ChildProcess | undefined;
  try {
    const tables = await seed(dataDir, extraTables);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/slack/events`;
    child = startBot({
      NANSEN_DATA_DIR: dataDir,
      NANSEN_BACKEND: 'embedded',
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      ...(mode === 'socket' ? { SLACK_APP_TOKEN: fake.options.appToken, SLACK_SIGNING_SECRET: '' } : { SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: '' }),
    }, o.profileDir);
    await waitForBot(fake, mode, url, child);

    for (let i = 0; i < users; i++) fake.addUser({ id: userId(i), name: `bench.user${i}` });
    const ackMs: number[] = [];
    const answerMs: number[] = [];
    const kinds = { acks: 0, refused: 0, apologies: 0, unansweredMentions: 0, unansweredFollowups: 0 };
    let requests = 0;
    let mentions = 0;
    let followups = 0;
    let duplicates = 0;
    let noTable = 0;
    /** Per thread (`channel:thread_ts`), the messages sent to Nansen there and not answered yet, oldest first. */
    const waiting = new Map<string, Array<{ at: number; followUp: boolean; answered: (text: string) => void }>>();
    const onCall = (c: RecordedCall): void => {
      if (c.status === 429) return;
      if (c.status !== 200 || c.response.ok === false) kinds.refused++;
      const text = JSON.stringify(c.args.blocks ?? c.args.text ?? '');
      if (text.includes('something went wrong')) kinds.apologies++;
      if (c.method !== 'chat.postMessage' || typeof c.args.thread_ts !== 'string') return;
      const queue = waiting.get(`${String(c.args.channel)}:${c.args.thread_ts}`);
      if (!queue) return;
      const oldest = queue.shift();
      if (!oldest) return void duplicates++;
      answerMs.push(performance.now() - oldest.at);
      oldest.answered(typeof c.args.text === 'string' ? c.args.text : '');
    };
    fake.on('call', onCall);
    /** Registers a message to Nansen in a thread; resolves with the answer's text, or undefined after 10 s without. */
    const expectAnswer = (key: string, followUp: boolean): Promise<string | undefined> => {
      const queue = waiting.get(key) ?? [];
      waiting.set(key, queue);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 10_000);
        queue.push({ at: performance.now(), followUp, answered: (text) => (clearTimeout(timer), resolve(text)) });
      });
    };

    const ack = async (send: () => Promise<{ status?: number; ms: number }>): Promise<void> => {
      requests++;
      try {
        const r = await send();
        if (r.status !== undefined && r.status !== 200) kinds.acks++;
        ackMs.push(r.ms);
      } catch {
        kinds.acks++;
      }
    };
    const command = (user: string, channel: string, text: string) => {
      const fields = P.slashCommand({ text, userId: user, channelId: channel, triggerId: fake.issueTriggerId(), responseUrl: fake.responseUrl() });
      return mode === 'http' ? ack(() => P.postCommand(url, SECRET, fields)) : ack(() => fake.pushEnvelope('slash_commands', fields).then((a) => ({ ms: a.latencyMs })));
    };
    const event = (envelope: Record<string, unknown>, retry?: number) =>
      mode === 'http'
        ? ack(() => P.postEvent(url, SECRET, envelope, retry ? { num: retry } : undefined))
        : ack(() => fake.pushEnvelope('events_api', envelope, retry ? { retryAttempt: retry, retryReason: 'timeout' } : {}).then((a) => ({ ms: a.latencyMs })));
    /**
     * Resolves with the thread's ts once answered (undefined after 10 s without), and whether the answer is about a
     * table: only then has "is it hourly?" a referent there (without one, a reply about "it" is rightly left alone,
     * see `isNoiseUnaddressed` in src/slack/conversation.ts).
     */
    const mention = async (user: string, channel: string, text: string, threadTs: string | undefined, rand: () => number): Promise<{ thread?: string; aboutTable: boolean }> => {
      const m = P.appMention({ text, user, channel, ...(threadTs ? { threadTs } : {}) });
      const thread = threadTs ?? String(m.ts);
      const answered = expectAnswer(`${channel}:${thread}`, false);
      mentions++;
      const envelope = P.eventCallback(m);
      await event(envelope);
      if (rand() < 0.1) await event(envelope, 1);
      const reply = await answered;
      if (reply === undefined) return { aboutTable: false };
      if (reply.startsWith(NO_TABLE)) noTable++;
      return { thread, aboutTable: !reply.startsWith(NO_TABLE) };
    };

    /** A reply in a thread Nansen answered in, without a mention; answered like a mention, in that thread. */
    const followUp = async (user: string, channel: string, text: string, threadTs: string): Promise<void> => {
      const m = P.channelMessage({ text, user, channel, threadTs });
      const answered = expectAnswer(`${channel}:${threadTs}`, true);
      followups++;
      await event(P.eventCallback(m));
      await answered;
    };
    const FOLLOW_UPS = ['is it hourly?', 'who owns it?', 'what is it built from?', 'who uses it the most?', 'when was it last updated?', 'which dashboards use it?'];

    const end = Date.now() + seconds * 1000;
    const person = async (i: number): Promise<void> => {
      const rand = seededRandom(1000 + i);
      const user = userId(i);
      const channel = `C${String(i).padStart(9, '0')}`;
      await new Promise((r) => setTimeout(r, rand() * 1000));
      let lastThread: string | undefined;
      while (Date.now() < end) {
        if (o.followups > 0) {
          // a mention answered about a table opens a thread for later follow-ups; the other actions split between commands and mentions
          if (lastThread && rand() < o.followups) await followUp(user, channel, FOLLOW_UPS[Math.floor(rand() * FOLLOW_UPS.length)]!, lastThread);
          else if (rand() < 0.5) await command(user, channel, COMMANDS[Math.floor(rand() * COMMANDS.length)]!);
          else {
            const asked = await mention(user, channel, QUESTIONS[Math.floor(rand() * QUESTIONS.length)]![0], undefined, rand);
            lastThread = asked.aboutTable ? asked.thread : undefined;
          }
        } else if (rand() < 0.5) {
          await command(user, channel, COMMANDS[Math.floor(rand() * COMMANDS.length)]!);
        } else {
          const [q, follow] = QUESTIONS[Math.floor(rand() * QUESTIONS.length)]!;
          const { thread: ts } = await mention(user, channel, q, undefined, rand);
          if (ts && follow && Date.now() < end) {
            await new Promise((r) => setTimeout(r, 1000 + rand() * 1000));
            await mention(user, channel, follow, ts, rand);
          }
        }
        await new Promise((r) => setTimeout(r, 1000 + rand() * 1000));
      }
    };
    await Promise.all(Array.from({ length: users }, (_, i) => person(i)));
    // every wait above ended (answered or 10 s); a little longer for late duplicates
    await new Promise((r) => setTimeout(r, 500));
    fake.off('call', onCall);
    for (const queue of waiting.values()) for (const m of queue) kinds[m.followUp ? 'unansweredFollowups' : 'unansweredMentions']++;
    return {
      users,
      ackMs: { p50: round2(percentile(ackMs, 50)), p99: round2(percentile(ackMs, 99)) },
      answerMs: { p50: round2(percentile(answerMs, 50)), p95: round2(percentile(answerMs, 95)) },
      errors: Object.values(kinds).reduce((a, b) => a + b, 0),
      errorKinds: kinds,
      duplicates,
      noTableAnswers: noTable,
      mode,
      seconds,
      requests,
      mentions,
      followups,
      rateLimited: fake.calls.filter((c) => c.status === 429).length,
      tables,
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '30' },
      mode: { type: 'string', default: 'http' },
      tables: { type: 'string', default: '0' },
      followups: { type: 'string', default: '0' },
      profile: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const counts = values.users.split(',').map(Number);
  const seconds = Number(values.seconds);
  const tables = Number(values.tables);
  if (counts.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--users takes positive whole numbers (10 or 10,100)');
  if (!(seconds > 0)) throw new Error('--seconds takes a positive number');
  if (!Number.isInteger(tables) || tables < 0) throw new Error('--tables takes a whole number');
  if (values.mode !== 'http' && values.mode !== 'socket') throw new Error('--mode takes http or socket');
  const followups = Number(values.followups);
  if (!(followups >= 0 && followups < 1)) throw new Error('--followups takes a share from 0 to below 1 (0.5: half the actions)');
  for (const users of counts) {
    const r = await runOnce({ users, seconds, mode: values.mode, extraTables: tables, followups, ...(values.profile ? { profileDir: values.profile } : {}) });
    if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else
      process.stdout.write(
        `${users} users, ${r.seconds} s, ${r.mode}: ack p50 ${r.ackMs.p50} ms, p99 ${r.ackMs.p99} ms · answer p50 ${r.answerMs.p50} ms, p95 ${r.answerMs.p95} ms · ${r.requests} requests, ${r.mentions} mentions, ${r.followups} follow-ups · errors ${r.errors}, duplicates ${r.duplicates}, 429s ${r.rateLimited}\n`,
      );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:slack failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
