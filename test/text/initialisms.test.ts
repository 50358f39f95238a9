import { identifierRuns, spelledOut, typedAcronym } from '../../src/text/initialisms';

describe('typed acronyms', () => {
  it('reads capitals and letters around a digit as an acronym', () => {
    expect(typedAcronym('NDR')).toBe('ndr');
    expect(typedAcronym('L2R')).toBe('l2r');
    expect(typedAcronym('l2r')).toBe('l2r');
    expect(typedAcronym('PtE')).toBe('pte');
  });

  it('leaves words, shorthand and short or long tokens alone', () => {
    for (const word of ['acct', 'revenue', 'Revenue', 'ID', 'AB', 'ENTERPRISE', '2024', 'Q4', 'v2']) expect(typedAcronym(word)).toBeUndefined();
  });
});

describe('spelled-out acronyms', () => {
  it('finds the words side by side whose initials are the acronym, a digit standing for its homophone', () => {
    expect(spelledOut('ndr', [['support', 'net', 'dollar', 'retention', 'analysis']])).toEqual(['net', 'dollar', 'retention']);
    expect(spelledOut('l2r', [['rpt', 'lead', 'to', 'revenue']])).toEqual(['lead', 'to', 'revenue']);
    expect(spelledOut('p4p', [['pay', 'for', 'performance']])).toEqual(['pay', 'for', 'performance']);
  });

  it('needs the words in order, next to each other, and of two letters at least', () => {
    expect(spelledOut('ndr', [['net', 'retention', 'dollar']])).toBeUndefined();
    expect(spelledOut('ndr', [['net', 'revenue', 'dollar', 'retention']])).toBeUndefined();
    expect(spelledOut('ndr', [['n', 'd', 'r']])).toBeUndefined();
  });

  it('keeps each run apart: two neighbouring identifiers do not spell one acronym', () => {
    const columns = ['dt', 'net', 'discount', 'region'];
    expect(spelledOut('ndr', identifierRuns(columns))).toBeUndefined();
    expect(identifierRuns(['prior', 'year', 'mrr', 'prioryearmrr', 'dt', 'net', 'retention', 'arr', 'netretentionarr'])).toEqual([
      ['prior', 'year', 'mrr'],
      ['net', 'retention', 'arr'],
    ]);
  });
});
