import { englishSkeleton, hangulSkeleton, transliterations } from '../../src/text/loanwords';
import { abbreviationScore, abbreviationsOf, expansions, looksAbbreviated } from '../../src/text/abbreviations';

const vocabulary = (terms: Record<string, number>): ReadonlyMap<string, number> => new Map(Object.entries(terms));

describe('Korean loanwords', () => {
  it.each([
    ['네임스페이스', 'namespace'],
    ['컴플라이언스', 'compliance'],
    ['레지스터', 'register'],
    ['디멘전', 'dimension'],
    ['오퍼튜니티', 'opportunity'],
    ['서브스크립션', 'subscription'],
    ['세그먼트', 'segment'],
    ['빌링', 'billing'],
    ['리텐션', 'retention'],
  ])('%s and %s share a skeleton', (korean, english) => {
    expect(hangulSkeleton(korean)).toBe(englishSkeleton(english));
  });

  it('keeps apart what Korean spells apart', () => {
    expect(hangulSkeleton('빌링')).not.toBe(englishSkeleton('pipeline'));
    expect(hangulSkeleton('파이프라인')).toBe(englishSkeleton('pipeline'));
  });

  it("reads a loanword as the catalog's word, particles and endings aside", () => {
    const v = vocabulary({ namespace: 12, dimension: 40, plan: 30, pipeline: 5, billing: 9 });
    expect(transliterations('네임스페이스', v)).toEqual(['namespace']);
    expect(transliterations('디멘전인데', v)).toEqual(['dimension']);
    expect(transliterations('파이프라인', v)[0]).toBe('pipeline');
    // one skeleton (PLN), told apart by spoken syllables
    expect(transliterations('플랜', v)).toEqual(['plan']);
  });

  it('matches nothing it cannot tell: native words, single syllables, short skeletons whose vowels differ', () => {
    const v = vocabulary({ runner: 3, line: 50, loan: 4, table: 99, mart: 4, down: 3 });
    // two consonants (LN) name line, loan and runner; the vowels tell them apart
    expect(transliterations('러너', v)).toEqual(['runner']);
    expect(transliterations('마트', v)).toEqual(['mart']);
    expect(transliterations('라인', v)[0]).toBe('line');
    expect(transliterations('돈', v)).toEqual([]);
    expect(transliterations('테이블', v)).toEqual(['table']);
    expect(transliterations('사용자', vocabulary({ user: 20 }))).toEqual([]);
  });

  it('reads a word as starting like the English one: a consonant with a consonant, a silent ㅇ with a vowel, ㅎ with h', () => {
    // all LN: aren and along start with a vowel, hiring with h, renew says e where 러 says ㅓ without an r
    const v = vocabulary({ aren: 40, along: 30, hiring: 20, renew: 10, runner: 2, history: 5, update: 8 });
    expect(transliterations('러너', v)).toEqual(['runner']);
    expect(transliterations('히스토리', v)).toEqual(['history']);
    expect(transliterations('업데이트', v)).toEqual(['update']);
  });

  it('takes off a particle no loanword ends with before reading the word, and keeps the ones loanwords end with', () => {
    const v = vocabulary({ touchpoint: 12, touchpointurl: 3, opportunity: 20, play: 4 });
    expect(transliterations('터치포인트를', v)).toEqual(['touchpoint']);
    expect(transliterations('오퍼튜니티에', v)).toEqual(['opportunity']);
    expect(transliterations('플레이', v)).toEqual(['play']);
  });
});

describe('abbreviations', () => {
  it('scores shorthand by the consonants it keeps, first and last letters fixed', () => {
    expect(abbreviationScore('accnt', 'account')).toBe(1);
    expect(abbreviationScore('acct', 'account')).toBe(0.75);
    expect(abbreviationScore('prvt', 'private')).toBe(1);
    expect(abbreviationScore('brwsng', 'browsing')).toBe(1);
    expect(abbreviationScore('acct', 'accumulated')).toBeLessThan(0.75);
    expect(abbreviationScore('data', 'date')).toBe(0);
    expect(abbreviationScore('prvt', 'privacy')).toBe(0);
  });

  it('tells shorthand from words', () => {
    expect(looksAbbreviated('acct')).toBe(true);
    expect(looksAbbreviated('brwsng')).toBe(true);
    expect(looksAbbreviated('account')).toBe(false);
    expect(looksAbbreviated('data')).toBe(false);
  });

  it('expands a shorthand to the words of the catalog, and finds the shorthand a catalog uses for a word', () => {
    const v = vocabulary({ account: 30, accumulated: 2, prvt: 1, brwsng: 1, private: 4 });
    expect(expansions('acct', v)).toEqual(['account']);
    expect(abbreviationsOf('private', v)).toEqual(['prvt']);
    expect(abbreviationsOf('browsing', v)).toEqual(['brwsng']);
    expect(abbreviationsOf('account', v)).toEqual([]);
  });
});
