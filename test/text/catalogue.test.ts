import { CATALOGUE, LANGS, t, type MessageKey } from '../../src/text/catalogue';
import { formatMessage, placeholderNames, unknownModifiers } from '../../src/text/message-format';

describe('the message catalogue', () => {
  const keys = Object.keys(CATALOGUE.en) as MessageKey[];

  it('has an entry in every language for every key, and no extra ones', () => {
    for (const lang of LANGS) {
      expect(Object.keys(CATALOGUE[lang]).sort()).toEqual([...keys].sort());
      for (const k of keys) expect(CATALOGUE[lang][k].trim().length).toBeGreaterThan(0);
    }
  });

  it.each(keys)('%s uses the same placeholders in every language, with known modifiers', (k) => {
    const en = placeholderNames(CATALOGUE.en[k]).sort();
    for (const lang of LANGS) {
      expect({ lang, names: placeholderNames(CATALOGUE[lang][k]).sort() }).toEqual({ lang, names: en });
      expect(unknownModifiers(CATALOGUE[lang][k])).toEqual([]);
    }
  });

  it('has no hard-coded both-forms particle (을(를), 이(가)…) in Korean: the template chooses', () => {
    const slips = keys.filter((k) => /을\(를\)|이\(가\)|은\(는\)|\(으\)로|과\(와\)|이었\(였\)/.test(CATALOGUE.ko[k]));
    expect(slips).toEqual([]);
  });

  it('fills parameters, particles and English plurals', () => {
    expect(t('ko', 'card.conflictUnknown', { table: '*game_log.sessions*' })).toContain('*game_log.sessions*를 수정했습니다');
    expect(t('ko', 'card.conflictUnknown', { table: '*결제 테이블*' })).toContain('*결제 테이블*을 수정했습니다');
    expect(t('en', 'unfurl.columns', { n: 1 })).toBe('1 column');
    expect(t('en', 'unfurl.columns', { n: 3 })).toBe('3 columns');
    expect(t('ko', 'unfurl.columns', { n: 3 })).toBe('컬럼 3개');
    expect(t('en', 'card.sqlName')).toBe('Name for SQL');
    expect(formatMessage('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});
