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

  it('never says a parameter twice before its particle (`{x|을/를}` already prints x)', () => {
    const doubled = LANGS.flatMap((lang) => keys.filter((k) => /\{(\w+)\}\W{0,3}\{\1\|(?!plural:)/.test(CATALOGUE[lang][k])).map((k) => `${lang}:${k}`));
    expect(doubled).toEqual([]);
    expect(t('ko', 'edit.error.bot', { name: 'Deploy Bot' })).toBe('Deploy Bot은 봇이나 앱입니다. 소유자는 사람이어야 합니다.');
    expect(t('ko', 'error.editForbidden', { table: 'gold.game_log.sessions', names: 'Jiwoo Kim' })).toMatch(/^gold\.game_log\.sessions는 소유자\(Jiwoo Kim\)와/);
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

  it('covers alerts, subscription commands and the other Slack surfaces, with particles chosen by the name', () => {
    for (const prefix of ['alert.', 'change.line.', 'subs.', 'answer.', 'ask.', 'lineage.', 'error.']) expect(keys.filter((k) => k.startsWith(prefix)).length).toBeGreaterThan(0);
    expect(t('ko', 'change.line.columnRenamed', { from: '`uid`', to: '`user_id`' })).toBe('*`uid` 컬럼 이름이 `user_id`로 바뀜*');
    expect(t('ko', 'change.line.columnRenamed', { from: '`uid`', to: '`item`' })).toBe('*`uid` 컬럼 이름이 `item`으로 바뀜*');
    expect(t('ko', 'subs.error.unknownTable', { text: 'game_log.session' })).toBe('game_log.session이라는 테이블을 모릅니다.');
    expect(t('ko', 'answer.tableGone', { key: '`hive://gold.a/b`' })).toContain('`hive://gold.a/b`가 더 이상');
    expect(t('en', 'alert.summary', { counts: '1 additive', n: 1, tables: 1 })).toBe('1 additive change in 1 table.');
    expect(t('ko', 'alert.summary', { counts: '추가 1건', n: 1, tables: 1 })).toBe('테이블 1개, 변경 1건: 추가 1건.');
  });
});
