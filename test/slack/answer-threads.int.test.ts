/**
 * Answering in worker threads (src/main/answer-pool.ts) behind the real Bolt app: a burst of slow answers does not
 * hold up the acks, the answers are the ones the acknowledging thread would have given, and an edit made on the
 * app's thread is in the next answer. The catalog is the demo one plus generated tables, so answering costs CPU.
 */
import { answer as answerHere } from '../../src/answering/answer';
import type { AnsweringDeps, Question } from '../../src/answering/types';
import { importCatalog } from '../../src/catalog/import';
import { loadConfig } from '../../src/config/config';
import { parseDataCommand, runDataCommand } from '../../src/core/data-command';
import { submitEdit } from '../../src/core/edits';
import { pooledDataCommand, startAnswerPool, type AnswerPool } from '../../src/main/answer-pool';
import * as P from '../../tools/fake-slack/payloads';
import { generateCatalog } from '../../bench/generate-catalog';
import { blocksText, LATENCY, MINSU, startHarness, type Harness } from './harness';
import { renderAnswerForSlack } from './render-answer';

const EXTRA_TABLES = 10_000;
/** Questions of the Slack bench: names that are no table (fuzzy matching), searches, lineage, owners. */
const QUESTIONS = [
  "which table shows in-game users' latency by country?",
  'when was game_log.sessions last updated?',
  'where can I find daily revenue by country?',
  'who uses bi_mart.kpi_daily_summary the most?',
  'what is game_log.daily_active_users built from?',
  'which dashboards use game_log.network_latency_by_country?',
  'what does duration_sec mean in game_log.sessions?',
  'is there a table of client crashes by device model?',
];
const COMMANDS = ['latency by country', 'game_log.sessions', 'revenue', 'history game_log.sessions', 'daily active users', 'crash', 'dim_user', 'help', 'tag latency'];
/** An ack this slow would be a thread busy answering (an idle ack takes a few ms); far below Slack's 3 s. */
const ACK_BOUND_MS = 1500;

describe('answering in worker threads, behind the real Bolt app', () => {
  let h: Harness;
  let pool: AnswerPool;
  const hereDeps = (): AnsweringDeps => ({ graph: h.deps.graph, search: h.deps.search, now: h.deps.now, timeZone: h.deps.timeZone });

  beforeAll(async () => {
    h = await startHarness({ lineagePictures: false, answer: (q, d) => pool.answer(q, d), dataCommand: (r) => pooledDataCommand(pool, h.deps)(r) });
    await importCatalog(generateCatalog(EXTRA_TABLES), { graph: h.deps.graph, search: h.deps.search }, { batchSize: 1000 });
    pool = startAnswerPool(loadConfig({ NANSEN_DATA_DIR: h.dir, NANSEN_BACKEND: 'embedded', LOG_LEVEL: 'silent' }), 1);
    await pool.warm();
  }, 180_000);

  afterAll(async () => {
    await pool?.close();
    await h?.close();
  });

  it('answers as the acknowledging thread would: the same answers and /data results', async () => {
    for (const text of QUESTIONS) {
      const q: Question = { text };
      expect(await pool.answer(q, { ...hereDeps() })).toEqual(await answerHere(q, hereDeps()));
    }
    const followUp: Question = { text: 'is it hourly?', thread: ['when was game_log.sessions last updated?'], subjectTable: 'hive://gold.game_log/sessions' };
    expect(await pool.answer(followUp, hereDeps())).toEqual(await answerHere(followUp, hereDeps()));
    for (const text of COMMANDS) expect(await pooledDataCommand(pool, h.deps)(parseDataCommand(text))).toEqual(await runDataCommand(parseDataCommand(text), h.deps));
  });

  it('posts, for a mention, the answer the acknowledging thread would have given', async () => {
    const mention = P.appMention({ text: QUESTIONS[0]!, channel: 'C0THREADS1' });
    await h.event(P.eventCallback(mention));
    const posted = await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts, 20_000);
    expect(posted.args.blocks).toEqual(renderAnswerForSlack(await answerHere({ text: QUESTIONS[0]! }, hereDeps())).blocks);
  });

  it("answers with an edit made on the app's thread a moment before", async () => {
    const ask = async (channel: string): Promise<string> => {
      const mention = P.appMention({ text: 'which table has quuxification?', channel });
      await h.event(P.eventCallback(mention));
      return blocksText((await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts, 20_000)).args.blocks);
    };
    expect(await ask('C0THREADS2')).not.toContain(LATENCY);
    const table = await h.deps.graph.getTable(LATENCY);
    const saved = await submitEdit({ tableKey: LATENCY, expectedVersion: table!.version, actorSlackId: MINSU, change: { kind: 'description', text: 'Quuxification of network latency' } }, h.deps);
    expect(saved.kind).toBe('saved');
    expect(await ask('C0THREADS3')).toContain(`results=${LATENCY}`);
  });

  it('acknowledges at once while a burst of slow answers is being answered', async () => {
    // each question different (a word no table has, numbered), so that no cache of the answering side makes it cheap
    const burst = Array.from({ length: 300 }, (_, i) => P.appMention({ text: `${QUESTIONS[i % QUESTIONS.length]!} or in tbl_quuxmetric_${i}?`, channel: `C0BURST${String(i).padStart(3, '0')}` }));
    const answered = Promise.all(burst.map((m) => h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts, 60_000)));
    let done = false;
    void answered.finally(() => (done = true));
    // the mentions are sent 3 ms apart, far faster than they are answered; each one's ack is timed
    const lastSent = performance.now() + (burst.length - 1) * 3;
    const acks = await Promise.all(burst.map((m, i) => new Promise<number>((resolve, reject) => setTimeout(() => h.event(P.eventCallback(m)).then((r) => resolve(r.ms), reject), i * 3))));
    // then, while the answers are still being worked out, a slash command every 20 ms: its answer waits in line, its ack must not
    while (!done) {
      const r = await h.command('help');
      expect(r.status).toBe(200);
      acks.push(r.ms);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await answered;
    // answering must have gone on for longer than the bound after the last mention was sent, or the bound shows nothing
    expect(performance.now() - lastSent).toBeGreaterThan(ACK_BOUND_MS);
    expect(Math.max(...acks)).toBeLessThan(ACK_BOUND_MS);
    expect(acks.length).toBeGreaterThan(burst.length + 5);
  }, 120_000);
});
