import { MAX_PATTERN, MAX_STARS, matchesPattern, parsePattern } from '../../src/alerts/patterns';
import { handleSubscriptionCommand } from '../../src/alerts/subscriptions';
import { UserError } from '../../src/domain/errors';
import { globMatch } from '../../src/text/glob';
import { memoryAlertStore, sampleGraph } from './fixtures';

/** Issue 11 item 1: a pattern a person types can never stall matching; a bad one is refused before it is saved. */
describe('subscription patterns are matched in linear time', () => {
  const timed = (f: () => void): number => {
    const t = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };

  it('the probe pattern hive://***********! matches nothing and returns at once', () => {
    const p = parsePattern('hive://***********!');
    expect(p.text).toBe('hive://*!');
    const keys = ['hive://gold.game_log/sessions', `hive://${'a'.repeat(5000)}`, `hive://${'*'.repeat(60)}`];
    expect(timed(() => keys.forEach((key) => expect(matchesPattern(p, { key })).toBe(false)))).toBeLessThan(200);
  });

  it('the worst allowed pattern against a long key stays fast', () => {
    const p = parsePattern(`hive://${'*a'.repeat(MAX_STARS - 1)}*!`);
    const key = `hive://${'a'.repeat(20_000)}`;
    expect(timed(() => expect(matchesPattern(p, { key })).toBe(false))).toBeLessThan(200);
    const name = parsePattern(`${'*a'.repeat(4)}.*a*a*b`);
    expect(timed(() => expect(matchesPattern(name, { key: `hive://gold.${'a'.repeat(5000)}/${'a'.repeat(5000)}` })).toBe(false))).toBeLessThan(200);
  });

  it.each([
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'axxbx', false],
    ['*', '', true],
    ['a*a', 'a', false],
    ['*ab*ab*', 'xabyab', true],
    ['*ab*ab*', 'xaby', false],
    ['a*b*c', 'abcbc', true],
    ['.+?[', '.+?[', true],
    ['x*.y', 'x..y', true],
  ])('globMatch(%j, %j) is %s', (glob, text, expected) => {
    expect(globMatch(glob, text)).toBe(expected);
  });

  it('refuses too many stars and too long a pattern with a clear message', () => {
    expect(() => parsePattern(`hive://${'*a'.repeat(MAX_STARS + 1)}`)).toThrow(/too many `\*`/);
    expect(() => parsePattern(`hive://${'a'.repeat(MAX_PATTERN)}`)).toThrow(/too long/);
    expect(() => parsePattern(`hive://${'*a'.repeat(MAX_STARS + 1)}`)).toThrow(UserError);
  });

  it('a refused pattern is never saved', async () => {
    const graph = await sampleGraph();
    const { store } = await memoryAlertStore();
    const deps = { store, graph, now: () => new Date('2026-11-24T00:00:00Z') };
    await expect(handleSubscriptionCommand(`subscribe hive://${'*x'.repeat(MAX_STARS + 1)}`, 'C1', 'U1', deps)).rejects.toThrow(UserError);
    expect(await store.listSubscriptions('C1')).toEqual([]);
    const ok = await handleSubscriptionCommand('subscribe hive://***********!', 'C1', 'U1', deps);
    expect(ok.kind).toBe('subscribed');
    expect((await store.listSubscriptions('C1')).map((s) => s.pattern)).toEqual(['hive://*!']);
    graph.close?.();
  });
});
