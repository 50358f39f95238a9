import { buildQuery, type IndexStats } from '../../src/answering/query';
import { bundledVocabulary } from '../../src/text/vocabulary';

const stats: IndexStats = { vocabulary: new Map([['renewal', 3], ['opportunity', 5], ['team', 4], ['subscription', 6]]), documents: 50 };
const renewal = (text: string) => buildQuery(text, bundledVocabulary(), stats).concepts.find((c) => c.typed.join(' ') === 'renewal');
const boostOf = (text: string, term: string) => buildQuery(text, bundledVocabulary(), stats).clauses.find((c) => c.term === term)?.boost;

describe('a misspelled word', () => {
  it('is read as the closest catalog word, for a little less than a word typed right', () => {
    expect(renewal('renwal opportunities only')?.corrected).toEqual({ from: 'renwal', to: 'renewal' });
    expect(boostOf('renwal opportunities only', 'renewal')).toBeLessThan(1);
  });

  it('counts as typed right when the message also spells it right', () => {
    const text = 'renwal opportunities only - is there a table for the renewals team?';
    expect(renewal(text)).toBeDefined();
    expect(renewal(text)?.corrected).toBeUndefined();
    expect(boostOf(text, 'renewal')).toBe(1);
  });
});
