import { buildQuery, type IndexStats } from '../../src/answering/query';
import { FIELDS, rankCandidates, type CandidateText } from '../../src/answering/rank';
import type { SearchDocument } from '../../src/ports/search-index';
import { analyzeToField } from '../../src/text/analyze';
import { bundledVocabulary } from '../../src/text/vocabulary';

const NOW = '2026-12-01T00:00:00Z';

function candidate(key: string, text: { name: string; description?: string; columns?: string }): CandidateText {
  const fields = { name: analyzeToField(text.name), tags: '', columns: analyzeToField(text.columns), description: analyzeToField(text.description), path: '' };
  const doc: SearchDocument = { key, kind: 'table', fields, popularity: 0, badges: [], deprecated: false };
  return { doc, fields: Object.fromEntries(FIELDS.map((f) => [f, fields[f].split(' ').filter(Boolean)])) as CandidateText['fields'] };
}

const catalog = [
  candidate('net_revenue', { name: 'net revenue daily', description: 'Net revenue per day and country', columns: 'report_date country net_usd' }),
  candidate('sessions', { name: 'game sessions', description: 'One row per play session', columns: 'session_id started_at' }),
  candidate('ndr', { name: 'retention metrics', description: 'Net dollar retention by cohort', columns: 'cohort_month' }),
];
const stats: IndexStats = { vocabulary: new Map([['net', 2], ['revenue', 1], ['country', 1], ['session', 1], ['ndr', 1], ['retention', 1]]), documents: 3 };
const rank = (question: string) => rankCandidates(buildQuery(question, bundledVocabulary(), stats).concepts, catalog, NOW);

describe('rankCandidates', () => {
  it('gives a candidate that holds none of the question’s words no score and no reasons', () => {
    const sessions = rank('net revenue by country').find((r) => r.key === 'sessions')!;
    expect(sessions).toEqual({ key: 'sessions', kind: 'table', score: 0, coverage: 0, covered: 0, why: [] });
  });

  it('ranks the candidate that covers the question first, with the fields that matched', () => {
    const [top] = [...rank('net revenue by country')].sort((a, b) => b.score - a.score);
    expect(top!.key).toBe('net_revenue');
    expect(top!.coverage).toBe(1);
    expect(top!.why.map((w) => w.field)).toContain('name');
  });

  it('still finds an acronym that a candidate only spells out, with none of the question’s words in it', () => {
    const ndr = rank('where is NDR?').find((r) => r.key === 'ndr')!;
    expect(ndr.score).toBeGreaterThan(0);
    expect(ndr.why[0]?.via).toBe('net dollar retention');
  });
});
