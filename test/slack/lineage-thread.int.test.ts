/**
 * Lineage pictures drawn in the answering threads (src/main/answer-pool.ts), off the thread that acknowledges
 * Slack: the bytes uploaded are the ones the acknowledging thread would have drawn, and the thread really drew them.
 */
import { loadConfig } from '../../src/config/config';
import { lineageGraph } from '../../src/core/lineage-graph';
import { startAnswerPool, type AnswerPool } from '../../src/main/answer-pool';
import { lineageDot } from '../../src/render/lineage-dot';
import { renderLineagePng } from '../../src/render/lineage-image';
import * as P from '../../tools/fake-slack/payloads';
import { type Harness, SESSIONS, startHarness } from './harness';

describe('lineage pictures drawn in an answering thread', () => {
  let h: Harness;
  let pool: AnswerPool;
  let drawnInThread = 0;

  beforeAll(async () => {
    h = await startHarness({
      renderLineage: async (dot) => {
        drawnInThread++;
        return pool.renderLineage(dot);
      },
    });
    pool = startAnswerPool(loadConfig({ NANSEN_DATA_DIR: h.dir, NANSEN_BACKEND: 'embedded', LOG_LEVEL: 'silent' }), 1);
    await pool.warm();
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    await h?.close();
  });

  it('gives the bytes, size and font flag renderLineagePng gives on this thread', async () => {
    const { dot } = lineageDot(await lineageGraph(SESSIONS, h.deps));
    const here = await renderLineagePng(dot);
    const there = await pool.renderLineage(dot);
    expect(Buffer.isBuffer(there.png)).toBe(true);
    expect(there.png.equals(here.png)).toBe(true);
    expect({ ...there, png: undefined }).toEqual({ ...here, png: undefined });
  });

  it('uploads, for "show me the lineage of X", the picture the acknowledging thread would have drawn', async () => {
    const before = drawnInThread;
    const mention = P.appMention({ text: 'show me the lineage of game_log.sessions', channel: 'C0LINTHRD1' });
    expect((await h.event(P.eventCallback(mention))).status).toBe(200);
    const done = await h.fake.waitForCall('files.completeUploadExternal', (c) => c.args.channel_id === 'C0LINTHRD1', 20_000);
    const id = (done.args.files as Array<{ id: string }>)[0]!.id;
    const uploaded = h.fake.file(id)!.bytes!;
    const here = await renderLineagePng(lineageDot(await lineageGraph(SESSIONS, h.deps)).dot);
    expect(uploaded.equals(here.png)).toBe(true);
    expect(drawnInThread).toBe(before + 1);
  });
});
