import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { SqliteMissLog } from '../../src/adapters/embedded/sqlite-miss-log';
import { main as cli } from '../../src/main/cli';
import * as P from '../../tools/fake-slack/payloads';
import { blocksText, type Harness, startHarness } from './harness';

/** Issue 12, item 10: missed questions recorded through the real Bolt app, shown to admins in App Home and by `nansen misses`. */
describe('missed questions', () => {
  let h: Harness;
  let log: SqliteMissLog;
  const ADMIN = 'U0ADMIN001';
  beforeAll(async () => {
    h = await startHarness({ admins: [ADMIN], misses: { record: (m) => log.record(m), recent: (o) => log.recent(o), close: async () => undefined } });
    log = new SqliteMissLog(join(h.dir, 'data', 'misses.sqlite'));
  });
  afterAll(async () => {
    await log.close();
    await h.close();
  });

  async function ask(text: string, channel: string, user = 'U0ASKER001'): Promise<void> {
    const m = P.appMention({ text, channel, user });
    await h.event(P.eventCallback(m));
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts);
    await new Promise((r) => setTimeout(r, 100));
  }

  it('records an unanswered question with its language and what was offered, without the asker by default', async () => {
    await ask('which table has zorblax quux frobnitz?', 'C0MISS0001');
    const [miss] = await log.recent({ limit: 1 });
    expect(miss).toMatchObject({ kind: 'unknown', text: 'which table has zorblax quux frobnitz?', lang: 'en', via: 'slack' });
    expect(Array.isArray(miss!.offered)).toBe(true);
    expect(miss!.asker).toBeUndefined();
  });

  it('does not record answered questions', async () => {
    const before = (await log.recent({ limit: 1000 })).length;
    await ask('who owns game_log.sessions?', 'C0MISS0002');
    expect((await log.recent({ limit: 1000 })).length).toBe(before);
  });

  it('shows admins (NANSEN_ADMINS) the misses in App Home, and nobody else', async () => {
    await h.event(P.eventCallback(P.appHomeOpened(ADMIN)));
    const admin = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === ADMIN);
    expect(admin.response.ok).toBe(true);
    const text = blocksText((admin.args.view as { blocks: unknown }).blocks);
    expect(text).toContain('Missed questions');
    expect(text).toContain('zorblax quux frobnitz');
    await h.event(P.eventCallback(P.appHomeOpened('U0NOTADMIN')));
    const other = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === 'U0NOTADMIN');
    expect(blocksText((other.args.view as { blocks: unknown }).blocks)).not.toContain('Missed questions');
  });

  it('`npm run nansen -- misses` lists them from the same file (table and --json)', async () => {
    let out = '';
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (out += d.toString()));
    const env = { NANSEN_DATA_DIR: join(h.dir, 'data'), NANSEN_BACKEND: 'embedded' as const };
    expect(await cli(['misses', '--limit', '5'], { out: stream, err: new PassThrough(), env })).toBe(0);
    expect(out).toMatch(/^when\s+kind\s+lang\s+asker\s+offered\s+question/);
    expect(out).toContain('unknown:');
    expect(out).toContain('zorblax quux frobnitz');
    out = '';
    expect(await cli(['misses', '--json'], { out: stream, err: new PassThrough(), env })).toBe(0);
    expect((JSON.parse(out) as Array<{ text: string }>).some((m) => m.text.includes('zorblax'))).toBe(true);
    expect(await cli(['misses', '--limit', 'x'], { out: new PassThrough(), err: new PassThrough(), env })).toBe(2);
  });
});

describe('missed questions with NANSEN_RECORD_ASKERS=1', () => {
  let h: Harness;
  let log: SqliteMissLog;
  beforeAll(async () => {
    h = await startHarness({ recordAskers: true, misses: { record: (m) => log.record(m), recent: (o) => log.recent(o), close: async () => undefined } });
    log = new SqliteMissLog(join(h.dir, 'misses.sqlite'));
  });
  afterAll(async () => {
    await log.close();
    await h.close();
  });

  it('keeps who asked', async () => {
    const m = P.appMention({ text: 'which table has zorblax quux frobnitz?', channel: 'C0MISS0003', user: 'U0ASKER002' });
    await h.event(P.eventCallback(m));
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts);
    await new Promise((r) => setTimeout(r, 100));
    expect((await log.recent({ limit: 1 }))[0]).toMatchObject({ kind: 'unknown', asker: 'U0ASKER002' });
  });
});
