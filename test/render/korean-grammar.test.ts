import type { Answer, AnswerRefs, CadenceInfo } from '../../src/answering/types';
import { renderSlack } from '../../src/render/slack';

/** Answers in Korean choose each particle by the word before it, never a hard-coded one after a variable. */
const NOW = '2026-11-24T09:00:00.000Z';
const refs = (name: string): AnswerRefs => ({ tables: { 'hive://gold.game_log/t': { name, database: 'hive', cluster: 'gold', schema: 'game_log', badges: [], deprecated: false } as never }, dashboards: {}, users: {} });
const text = (a: Answer): string => renderSlack(a).blocks.map((b) => (b.type === 'section' ? b.text.text : b.type === 'context' ? b.elements.map((e) => e.text).join('\n') : '')).join('\n');
const cadence = (over: Partial<CadenceInfo> = {}): CadenceInfo => ({ cadence: 'daily', typicalTime: '03:10', timeZone: 'Asia/Seoul', late: false, observations: 30, ...over });

function lastUpdated(name: string, c: CadenceInfo): Answer {
  return { kind: 'last_updated', lang: 'ko', now: NOW, refs: refs(name), table: 'hive://gold.game_log/t', subject: 'hive://gold.game_log/t', at: '2026-11-23T18:10:00.000Z', cadence: c };
}

describe('Korean answers: particles after variables', () => {
  it('says the due time "KST였습니다", not "KST이었습니다"', () => {
    const out = text(lastUpdated('sessions', cadence({ late: true, nextDueAt: '2026-11-24T18:10:00.000Z' })));
    expect(out).toContain('KST였습니다');
    expect(out).not.toContain('이었습니다');
  });

  it('picks 은/는 by the table name', () => {
    expect(text(lastUpdated('sessions', cadence()))).toContain('*sessions*는 ');
    expect(text(lastUpdated('결제 테이블', cadence()))).toContain('*결제 테이블*은 ');
    expect(text(lastUpdated('sessions', cadence()))).not.toMatch(/은\(는\)/);
  });

  it('"매주가 아니라", "매일이 아니라"', () => {
    const base = { kind: 'cadence' as const, lang: 'ko' as const, now: NOW, refs: refs('sessions'), table: 'hive://gold.game_log/t', subject: 'hive://gold.game_log/t' };
    expect(text({ ...base, cadence: cadence(), asked: 'weekly' })).toContain('매주가 아니라');
    expect(text({ ...base, cadence: cadence({ cadence: 'weekly', typicalWeekday: 1 }), asked: 'daily' })).toContain('매일이 아니라');
  });
});
