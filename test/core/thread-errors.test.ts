import { UserError } from '../../src/domain/errors';
import { unwrap } from '../../src/main/answer-pool';
import { userErrorOutcome } from '../../src/main/answer-worker';
import { LocalizedUserError } from '../../src/text/localized-error';

describe("a person's error crossing from an answering thread", () => {
  it('keeps a catalogue error told in each language, as the bot thread tells it again', () => {
    const err = new LocalizedUserError('stale', (lang) => (lang === 'ko' ? '테이블이 없어졌어요' : 'That table is gone'), { key: 't' });
    const crossed = JSON.parse(JSON.stringify(userErrorOutcome(err))) as ReturnType<typeof userErrorOutcome>;
    let thrown: unknown;
    try {
      unwrap(crossed);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LocalizedUserError);
    expect((thrown as LocalizedUserError).messageIn('ko')).toBe('테이블이 없어졌어요');
    expect((thrown as LocalizedUserError).message).toBe('That table is gone');
    expect((thrown as LocalizedUserError).detail).toEqual({ key: 't' });
  });

  it('keeps a plain error plain', () => {
    expect(() => unwrap(userErrorOutcome(new UserError('bad', 'Bad input')))).toThrow(new UserError('bad', 'Bad input'));
    expect(() => unwrap(userErrorOutcome(new UserError('bad', 'Bad input')))).not.toThrow(LocalizedUserError);
  });
});
