import type { Answer, TableRef } from '../../src/answering/types';
import { ACTION } from '../../src/render/blocks-actions';
import { decodeValue } from '../../src/render/blocks-actions';
import { ANSWER_TOP, renderSlackAnswer } from '../../src/render/answer-actions';
import { renderSlack } from '../../src/render/slack';
import { blockProblems } from '../../tools/fake-slack/limits';

type Find = Extract<Answer, { kind: 'find' }>;

function table(key: string, name: string, description: string): TableRef {
  return { key, name, database: 'hive', cluster: 'gold', schema: 'game_log', description, tags: [], badges: [], deprecated: false, lastUpdatedAt: '2026-11-24T08:00:00Z' };
}

/** A find answer with `n` results whose keys are `keyLength` characters long. */
function findAnswer(n: number, options: { keyLength?: number; query?: string; lang?: 'en' | 'ko'; confident?: boolean; name?: string } = {}): Find {
  const keys = Array.from({ length: n }, (_, i) => `hive://gold.game_log/t${i}_`.padEnd(options.keyLength ?? 30, 'x'));
  const tables = Object.fromEntries(keys.map((k, i) => [k, table(k, options.name ?? `table_${i}`, `Line one of ${i}.\n${'long words '.repeat(400)}`)]));
  return {
    kind: 'find',
    lang: options.lang ?? 'en',
    now: '2026-11-24T09:00:00Z',
    refs: { tables, dashboards: {}, users: {} },
    query: options.query ?? 'latency by country',
    terms: ['latency', 'country'],
    corrections: [],
    kinds: ['table'],
    results: keys.map((key, i) => ({ key, kind: 'table' as const, score: 10 - i, coverage: 1, why: [{ word: 'latency', field: 'name' as const }] })),
    confident: options.confident ?? true,
  };
}

const buttons = (blocks: unknown): Array<{ action_id: string; value: string }> =>
  (blocks as Array<Record<string, unknown>>).flatMap((b) => [...((b.elements as Array<Record<string, unknown>>) ?? []), ...(b.accessory ? [b.accessory as Record<string, unknown>] : [])]).filter((e) => e.type === 'button') as never;

describe('actionable find answers (renderSlackAnswer)', () => {
  it('shows the top results with unique action ids, within every Block Kit limit', () => {
    for (const place of [{}, { dm: true }]) {
      const r = renderSlackAnswer(findAnswer(10), place);
      expect(blockProblems(r.blocks, 50, '/blocks')).toEqual([]);
      expect(r.blocks.length).toBeLessThanOrEqual(3 * ANSWER_TOP + 3);
      const ids = buttons(r.blocks).map((b) => b.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('keeps button values within 2000 characters and decodable, with very long keys and questions', () => {
    const r = renderSlackAnswer(findAnswer(10, { keyLength: 590, query: `"quoted\\" ${'질문 '.repeat(900)}` }));
    expect(blockProblems(r.blocks, 50, '/blocks')).toEqual([]);
    const miss = buttons(r.blocks).find((b) => b.action_id === ACTION.notWhatIMeant)!;
    const more = buttons(r.blocks).find((b) => b.action_id === ACTION.moreResults)!;
    for (const b of [miss, more]) expect(b.value.length).toBeLessThanOrEqual(2000);
    expect(decodeValue('miss', miss.value).o.length).toBeGreaterThan(0);
    expect(decodeValue('more', more.value).r.length).toBeGreaterThan(0);
  });

  it('leaves out the more button when everything is shown, and renders other answers as before', () => {
    const r = renderSlackAnswer(findAnswer(2));
    expect(buttons(r.blocks).some((b) => b.action_id === ACTION.moreResults)).toBe(false);
    expect(buttons(r.blocks).some((b) => b.action_id === ACTION.notWhatIMeant)).toBe(true);
    const none = findAnswer(0);
    expect(renderSlackAnswer(none)).toEqual(renderSlack(none));
  });

  it('marks guesses, speaks Korean, and escapes the fallback text', () => {
    const guess = renderSlackAnswer(findAnswer(3, { confident: false, name: '<!channel> boom' }));
    expect(JSON.stringify(guess.blocks)).toContain('my best guesses');
    expect(guess.text).not.toContain('<!channel>');
    expect(guess.text).not.toMatch(/<[^ ]/);
    const ko = renderSlackAnswer(findAnswer(5, { lang: 'ko' }));
    expect(JSON.stringify(ko.blocks)).toContain('카드 열기');
    expect(JSON.stringify(ko.blocks)).toContain('원한 답이 아니에요');
  });
});
