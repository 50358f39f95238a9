/**
 * Work the bot does in its answering threads (src/main/answer-pool.ts) besides answering, off the thread that
 * acknowledges Slack: lineage pictures (the bytes uploaded, the list and the alt text are the ones the
 * acknowledging thread would have made, and the thread really drew them) and miss-log writes (in the same file,
 * read back on the acknowledging thread).
 */
import { loadConfig } from '../../src/config/config';
import { UserError } from '../../src/domain/errors';
import { SqliteMissLog } from '../../src/adapters/embedded/sqlite-miss-log';
import { pooledMissLog, startAnswerPool, type AnswerPool } from '../../src/main/answer-pool';
import { missesPath } from '../../src/main/settings';
import type { Miss, MissLog } from '../../src/ports/miss-log';
import { drawLineage } from '../../src/render/lineage-drawing';
import * as P from '../../tools/fake-slack/payloads';
import { type Harness, SESSIONS, startHarness } from './harness';

describe('work done in an answering thread besides answering', () => {
  let h: Harness;
  let pool: AnswerPool;
  /** The bot's miss log: the file the thread writes, read here. */
  let local: SqliteMissLog;
  let misses: MissLog;
  let drawnInThread = 0;
  let recordedInThread = 0;

  beforeAll(async () => {
    h = await startHarness({
      drawLineage: async (tableKey, lang) => {
        drawnInThread++;
        return pool.drawLineage(tableKey, lang, h.deps.now());
      },
      misses: {
        record: (m) => {
          recordedInThread++;
          return misses.record(m);
        },
        recent: (o) => misses.recent(o),
        close: async () => undefined,
      },
    });
    const config = loadConfig({ NANSEN_DATA_DIR: h.dir, NANSEN_BACKEND: 'embedded', LOG_LEVEL: 'silent' });
    pool = startAnswerPool(config, 1);
    await pool.warm();
    local = new SqliteMissLog(missesPath(config));
    misses = pooledMissLog(pool, local);
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    await local?.close();
    await h?.close();
  });

  it('gives what drawLineage gives on this thread: the same PNG bytes, list, alt text and sizes, in either language', async () => {
    for (const lang of ['en', 'ko'] as const) {
      const here = (await drawLineage(SESSIONS, h.deps, lang))!;
      const there = (await pool.drawLineage(SESSIONS, lang, h.deps.now()))!;
      expect(here.image).toBeDefined();
      expect(Buffer.isBuffer(there.image!.png)).toBe(true);
      expect(there.image!.png.equals(here.image!.png)).toBe(true);
      expect({ ...there, image: { ...there.image, png: undefined } }).toEqual({ ...here, image: { ...here.image, png: undefined } });
    }
  });

  it('an unknown table is the same UserError as on this thread', async () => {
    const failure = pool.drawLineage('hive://gold.nowhere/nothing', 'en', h.deps.now());
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toMatchObject({ code: 'unknown_table' });
  });

  it('uploads, for "show me the lineage of X", the picture the acknowledging thread would have drawn', async () => {
    const before = drawnInThread;
    const mention = P.appMention({ text: 'show me the lineage of game_log.sessions', channel: 'C0LINTHRD1' });
    expect((await h.event(P.eventCallback(mention))).status).toBe(200);
    const done = await h.fake.waitForCall('files.completeUploadExternal', (c) => c.args.channel_id === 'C0LINTHRD1', 20_000);
    const id = (done.args.files as Array<{ id: string }>)[0]!.id;
    const here = (await drawLineage(SESSIONS, h.deps, 'en'))!;
    expect(h.fake.file(id)!.bytes!.equals(here.image!.png)).toBe(true);
    expect(drawnInThread).toBe(before + 1);
  });

  it('a miss recorded through the pool is in the bot\'s miss log once the call resolves', async () => {
    const miss: Miss = { at: new Date().toISOString(), kind: 'unknown', text: 'which table has frobnication?', lang: 'en', reason: 'no_match', offered: [], via: 'slack' };
    await pool.recordMiss(miss);
    expect((await local.recent({ limit: 1 }))[0]).toMatchObject(miss);
  });

  it('records a mention Nansen could not answer through the thread, readable here', async () => {
    const before = recordedInThread;
    const mention = P.appMention({ text: 'which table has zorblification?', channel: 'C0MISSTHR1' });
    expect((await h.event(P.eventCallback(mention))).status).toBe(200);
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts, 20_000);
    const deadline = Date.now() + 5000;
    while (!(await local.recent({ limit: 5 })).some((m) => m.text.includes('zorblification')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await local.recent({ limit: 5 })).find((m) => m.text.includes('zorblification'))).toMatchObject({ kind: 'unknown', via: 'slack' });
    expect(recordedInThread).toBe(before + 1);
  });
});
