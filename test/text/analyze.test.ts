import { analyze, analyzeTokens, koreanStem, lightVerbNoun, splitIdentifier, stemEnglish, stripKoreanParticle, words } from '../../src/text/analyze';

describe('text analysis', () => {
  it.each([
    ['avg_rtt_ms', ['avg', 'rtt', 'ms']],
    ['purchaseAmtUsd', ['purchase', 'amt', 'usd']],
    ['HTTPServerError', ['http', 'server', 'error']],
    ['rtt_p95_ms', ['rtt', 'p', '95', 'ms']],
    ['kebab-case-name', ['kebab', 'case', 'name']],
    ['SKUs', ['sku']],
    ['APIs', ['api']],
    ['userIDs', ['user', 'id']],
    ['KPIsByRegion', ['kpi', 'by', 'region']],
  ])('splits identifier %s', (id, parts) => {
    expect(splitIdentifier(id)).toEqual(parts);
  });

  it('keeps a compound identifier joined too, so exact names still match best', () => {
    expect(analyze('avg_rtt_ms')).toEqual(['avg', 'rtt', 'ms', 'avgrttms']);
    expect(analyzeTokens('avg_rtt_ms').map((t) => t.joined)).toEqual([false, false, false, true]);
  });

  it.each([
    ['refunds', 'refund'],
    ['countries', 'country'],
    ['taxes', 'tax'],
    ['users', 'user'],
    ['status', 'status'],
    ['ios', 'ios'],
    ['ads', 'ads'],
    ['class', 'class'],
    ['p95s', 'p95s'],
  ])('folds the plural %s → %s', (word, stem) => {
    expect(stemEnglish(word)).toBe(stem);
  });

  it.each([
    ['국가별', '국가'],
    ['매출은', '매출'],
    ['레이턴시를', '레이턴시'],
    ['테이블들로', '테이블'],
    ['유저들의', '유저'],
    ['일별', '일별'],
    ['이탈', '이탈'],
  ])('strips Korean particles: %s → %s', (word, stem) => {
    expect(koreanStem(word)).toBe(stem);
  });

  it.each([
    ['인사평가', '인사평가'],
    ['객단가', '객단가'],
    ['제품군이', '제품군'],
    ['소비자가', '소비자'],
    ['파이프라인을', '파이프라인'],
    ['카테고리를', '카테고리'],
    ['채널로', '채널'],
    ['이메일로', '이메일'],
    ['계정으로', '계정'],
    ['캠페인과', '캠페인'],
    ['파트너와', '파트너'],
  ])('takes a particle off only where the stem takes that form of it: %s → %s', (word, stem) => {
    expect(stripKoreanParticle(word)).toBe(stem);
  });

  it('never strips a particle off a one-syllable stem', () => {
    expect(stripKoreanParticle('일별')).toBe('일별');
    expect(stripKoreanParticle('나이')).toBe('나이');
  });

  it('cuts words where Hangul meets Latin letters', () => {
    expect(words('revenue_daily_by_country에서 매출은')).toEqual(['revenue_daily_by_country', '에서', '매출은']);
    expect(analyze('revenue_daily에서')).toEqual(['revenue', 'daily', 'revenuedaily', '에서']);
  });

  it('normalises width and case (NFKC)', () => {
    expect(analyze('ＤＡＵ Ｒｅｖｅｎｕｅ')).toEqual(['dau', 'revenue']);
  });

  it('treats query syntax as words', () => {
    expect(analyze('SELECT * FROM t WHERE a="1"; DROP TABLE t --')).toEqual(['select', 'from', 't', 'where', 'a', '1', 'drop', 'table', 't']);
    expect(analyze('MATCH (n) DETACH DELETE n')).toEqual(['match', 'n', 'detach', 'delete', 'n']);
  });
});

describe('Korean light verbs', () => {
  const nouns = new Set(['승인', '취소', '비교']);
  const isNoun = (w: string): boolean => nouns.has(w);

  it('finds the noun a 하다/되다 form is made of', () => {
    expect(lightVerbNoun('승인됐는지', isNoun)).toBe('승인');
    expect(lightVerbNoun('취소했던', isNoun)).toBe('취소');
    expect(lightVerbNoun('비교하는', isNoun)).toBe('비교');
  });

  it('needs a known noun of two syllables at least before the verb', () => {
    expect(lightVerbNoun('권한', isNoun)).toBeUndefined();
    expect(lightVerbNoun('설치했던', isNoun)).toBeUndefined();
    expect(lightVerbNoun('승인', isNoun)).toBeUndefined();
  });
});
