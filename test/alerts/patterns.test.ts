import { matchesPattern, parsePattern } from '../../src/alerts/patterns';
import { UserError } from '../../src/domain/errors';

describe('subscription patterns', () => {
  const sessions = { key: 'hive://gold.game_log/sessions', tags: ['latency', 'Core'] };
  const orders = { key: 'postgres://main.sales/orders', tags: [] };
  const cases: Array<[string, typeof sessions, boolean]> = [
    ['hive://gold.game_log/sessions', sessions, true],
    ['hive://gold.game_log/sessions', orders, false],
    ['game_log.sessions', sessions, true],
    ['GAME_LOG.Sessions', sessions, true],
    ['game_log.session', sessions, false],
    ['game_log.*', sessions, true],
    ['game_log.*', orders, false],
    ['*.orders', orders, true],
    ['hive://gold.*', sessions, true],
    ['hive://gold.*', orders, false],
    ['hive://silver.*', sessions, false],
    ['postgres://main.sales/*', orders, true],
    ['postgres://*', orders, true],
    ['tag:latency', sessions, true],
    ['tag:core', sessions, true],
    ['tag:latency', orders, false],
    ['<hive://gold.game_log/sessions>', sessions, true],
    ['`game_log.sessions`', sessions, true],
  ];
  it.each(cases)('%s matches %o: %s', (pattern, target, expected) => {
    expect(matchesPattern(parsePattern(pattern), target)).toBe(expected);
  });

  it('normalises tags to lower case', () => {
    expect(parsePattern('tag:Latency')).toEqual({ kind: 'tag', text: 'tag:latency', tag: 'latency' });
  });

  it.each(['', 'sessions', 'game_log.', '.sessions', 'two words', 'hive://gold', 'a/b.c', 'tag:', 'tag:a b', 'x'.repeat(201)])('rejects %j with a UserError', (bad) => {
    expect(() => parsePattern(bad)).toThrow(UserError);
  });

  it('does not treat regex characters in names as regex', () => {
    expect(matchesPattern(parsePattern('game_log.se+sions'), { key: 'hive://gold.game_log/seesions' })).toBe(false);
    expect(matchesPattern(parsePattern('game_log.se+sions'), { key: 'hive://gold.game_log/se+sions' })).toBe(true);
  });
});
