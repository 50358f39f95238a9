/**
 * Lineage pictures drawn in the answering threads (src/main/answer-pool.ts), off the thread that acknowledges
 * Slack: the bytes uploaded, the list and the alt text are the ones the acknowledging thread would have made, and
 * the thread really drew them.
 */
import { loadConfig } from '../../src/config/config';
import { UserError } from '../../src/domain/errors';
import { startAnswerPool, type AnswerPool } from '../../src/main/answer-pool';
import { drawLineage } from '../../src/render/lineage-drawing';
import * as P from '../../tools/fake-slack/payloads';
import { type Harness, SESSIONS, startHarness } from './harness';

describe('lineage pictures drawn in an answering thread', () => {
  let h: Harness;
  let pool: AnswerPool;
  let drawnInThread = 0;

  beforeAll(async () => {
    h = await startHarness({
      drawLineage: async (tableKey, lang) => {
        drawnInThread++;
        return pool.drawLineage(tableKey, lang, h.deps.now());
      },
    });
    pool = startAnswerPool(loadConfig({ NANSEN_DATA_DIR: h.dir, NANSEN_BACKEND: 'embedded', LOG_LEVEL: 'silent' }), 1);
    await pool.warm();
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
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
});
