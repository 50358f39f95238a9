import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMissLog } from '../../src/adapters/embedded/sqlite-miss-log';
import { MemoryMissLog } from '../../src/adapters/memory/memory-miss-log';
import { missKindOf, missOf } from '../../src/core/misses';
import type { Answer } from '../../src/answering/types';
import type { Miss, MissLog } from '../../src/ports/miss-log';

const miss = (at: string, text: string, extra: Partial<Miss> = {}): Miss => ({ at, kind: 'unknown', text, lang: 'en', offered: [], via: 'slack', ...extra });

describe.each([
  ['memory', () => ({ log: new MemoryMissLog() as MissLog, done: () => undefined })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'nansen-misses-'));
      return { log: new SqliteMissLog(join(dir, 'misses.sqlite')) as MissLog, done: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
])('MissLog contract: %s', (_name, make) => {
  it('returns misses newest first, limited, since a time, fields intact', async () => {
    const { log, done } = make();
    try {
      await log.record(miss('2026-11-24T01:00:00.000Z', 'a'));
      await log.record(miss('2026-11-24T02:00:00.000Z', '레이턴시 테이블', { kind: 'guess', lang: 'ko', offered: ['hive://gold.x/y'], asker: 'U1' }));
      await log.record(miss('2026-11-24T03:00:00.000Z', 'c', { kind: 'not_what_i_meant', reason: 'no_match' }));
      expect((await log.recent()).map((m) => m.text)).toEqual(['c', '레이턴시 테이블', 'a']);
      expect((await log.recent({ limit: 1 })).map((m) => m.text)).toEqual(['c']);
      expect((await log.recent({ since: '2026-11-24T02:00:00.000Z' })).map((m) => m.text)).toEqual(['c', '레이턴시 테이블']);
      expect((await log.recent())[1]).toEqual(miss('2026-11-24T02:00:00.000Z', '레이턴시 테이블', { kind: 'guess', lang: 'ko', offered: ['hive://gold.x/y'], asker: 'U1' }));
    } finally {
      await log.close();
      done();
    }
  });
});

describe('which answers are misses', () => {
  const common = { lang: 'ko' as const, now: '2026-11-24T09:00:00.000Z', refs: {} as Answer['refs'] };
  const find = (confident: boolean): Answer => ({ ...common, kind: 'find', query: 'q', terms: [], corrections: [], kinds: ['table'], results: [{ key: 'hive://a/b', kind: 'table', score: 1, coverage: 0.5, why: [] }], confident });
  it('unknown answers and guesses are; confident finds, help and empty questions are not', () => {
    expect(missKindOf(find(false))).toBe('guess');
    expect(missKindOf(find(true))).toBeUndefined();
    expect(missKindOf({ ...common, kind: 'unknown', reason: 'no_match', suggestions: ['hive://s/t'] })).toBe('unknown');
    expect(missKindOf({ ...common, kind: 'unknown', reason: 'empty', suggestions: [] })).toBeUndefined();
    expect(missKindOf({ ...common, kind: 'help' })).toBeUndefined();
  });
  it('keeps what was offered and the language; the asker only when allowed', () => {
    const a = find(false);
    expect(missOf({ text: '<@U0NANSEN01> 이탈 테이블', asker: 'U9', via: 'slack' }, a, 'guess', {})).toEqual({ at: common.now, kind: 'guess', text: '이탈 테이블', lang: 'ko', offered: ['hive://a/b'], via: 'slack' });
    expect(missOf({ text: 'x', asker: 'U9', via: 'slack' }, a, 'not_what_i_meant', { recordAskers: true })?.asker).toBe('U9');
  });
});
