import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/domain/errors';
import { Vocabulary, loadVocabulary, readVocabularyFiles } from '../../src/text/vocabulary';

describe('question vocabulary', () => {
  const vocabulary = loadVocabulary([]);
  const alternatives = (phrase: string[]): string[] => vocabulary.alternatives(phrase).map((a) => a.terms.join(' '));

  it('maps Korean data words to English and back', () => {
    expect(alternatives(['레이턴시'])).toContain('latency');
    expect(alternatives(['국가'])).toContain('country');
    expect(alternatives(['매출'])).toContain('revenue');
    expect(alternatives(['이탈'])).toContain('churn');
    expect(alternatives(['동접'])).toEqual(expect.arrayContaining(['ccu', 'concurrent user']));
    expect(alternatives(['revenue'])).toContain('매출');
  });

  it('knows data abbreviations', () => {
    expect(alternatives(['rtt'])).toEqual(expect.arrayContaining(['latency', 'ping']));
    expect(alternatives(['ctry'])).toEqual(expect.arrayContaining(['country', 'nation', 'geo']));
    expect(alternatives(['amt'])).toContain('amount');
    expect(alternatives(['dau'])).toContain('daily active user');
  });

  it('matches phrases, longest first', () => {
    const terms = ['daily', 'active', 'user', 'by', 'country'];
    expect(vocabulary.phraseAt(terms, 0)).toBe(3);
    expect(vocabulary.phraseAt(terms, 4)).toBe(1);
  });

  it('weighs synonyms below the typed word', () => {
    for (const a of vocabulary.alternatives(['latency'])) expect(a.weight).toBeLessThan(1);
  });

  it('has stop words in both languages, analysed', () => {
    expect(vocabulary.stopwords.has('table')).toBe(true);
    expect(vocabulary.stopwords.has('테이블')).toBe(true);
    expect(vocabulary.stopwords.has('tables')).toBe(false);
  });

  describe('a deployment adds its own words', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'nansen-vocab-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('from a YAML or JSON file named in NANSEN_VOCABULARY', () => {
      writeFileSync(join(dir, 'ours.yml'), 'synonyms:\n  - [ggr, gross gaming revenue, 총 게임 매출]\n  - {terms: [whale, vip], weight: 0.4}\nstopwords:\n  en: [pls]\n');
      writeFileSync(join(dir, 'more.json'), JSON.stringify({ synonyms: [['mrr', 'monthly recurring revenue']] }));
      const v = loadVocabulary([dir]);
      expect(v.alternatives(['ggr']).map((a) => a.terms.join(' '))).toEqual(expect.arrayContaining(['gross gaming revenue', '총 게임 매출']));
      expect(v.alternatives(['mrr'])[0]?.terms).toEqual(['monthly', 'recurring', 'revenue']);
      expect(v.alternatives(['whale']).find((a) => a.terms[0] === 'vip')?.weight).toBeLessThanOrEqual(0.7);
    });

    it('rejects a malformed file, naming it', () => {
      const bad = join(dir, 'bad.yml');
      writeFileSync(bad, 'synonyms:\n  - just-one-word\n');
      expect(() => readVocabularyFiles(bad)).toThrow(UserError);
      expect(() => readVocabularyFiles(join(dir, 'missing.yml'))).toThrow(/no such vocabulary/);
    });
  });

  it('can be built from data in memory', () => {
    const v = Vocabulary.fromFiles([{ synonyms: [['foo', 'bar']], stopwords: ['the'] }]);
    expect(v.alternatives(['foo'])).toEqual([{ terms: ['bar'], joined: [], weight: 0.7 }]);
    expect(v.stopwords.has('the')).toBe(true);
  });
});
