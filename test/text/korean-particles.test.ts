import { finalSound, josa, particle, type ParticlePair } from '../../src/text/korean-particles';

describe('Korean particles by the final consonant of the word before them', () => {
  it.each<[string, ParticlePair, string]>([
    // Hangul: batchim or not, and ㄹ for 으로/로
    ['테이블', '이/가', '이'],
    ['스키마', '이/가', '가'],
    ['컬럼', '을/를', '을'],
    ['대시보드', '을/를', '를'],
    ['설명', '은/는', '은'],
    ['태그', '은/는', '는'],
    ['소유자', '과/와', '와'],
    ['컬럼', '과/와', '과'],
    ['서울', '으로/로', '로'],
    ['부산', '으로/로', '으로'],
    ['대시보드', '으로/로', '로'],
    ['매일', '이/가', '이'],
    ['매주', '이/가', '가'],
    // Latin letters as they are named: KST 케이에스티, UTC 유티씨, SQL 에스큐엘 (ㄹ), M 엠, N 엔
    ['KST', '이었/였', '였'],
    ['UTC', '이었/였', '였'],
    ['GMT+9', '이었/였', '였'], // 구
    ['GMT+3', '이었/였', '이었'], // 삼
    ['SQL', '으로/로', '로'],
    ['SQL', '을/를', '을'],
    ['DAU', '을/를', '를'],
    ['ARPPU', '이/가', '가'],
    ['CRM', '이/가', '이'],
    ['PII', '은/는', '는'],
    // numbers as read: 1 일, 2 이, 3 삼, 6 육, 7 칠, 9 구, 10 십, 100 백, 1000 천, 0 영
    ['1', '이/가', '이'],
    ['2', '이/가', '가'],
    ['3', '이/가', '이'],
    ['4', '을/를', '를'],
    ['5', '을/를', '를'],
    ['6', '을/를', '을'],
    ['7', '으로/로', '로'],
    ['8', '으로/로', '로'],
    ['9', '으로/로', '로'],
    ['3', '으로/로', '으로'],
    ['10', '은/는', '은'],
    ['100', '은/는', '은'],
    ['1000', '이었/였', '이었'],
    ['0', '이/가', '이'],
    ['12', '이/가', '가'],
    ['15', '과/와', '와'],
    ['21', '으로/로', '로'],
    // English words as Koreans write them
    ['sessions', '을/를', '를'],
    ['game_log.sessions', '은/는', '는'],
    ['network_latency_by_country', '이/가', '가'],
    ['table', '으로/로', '로'],
    ['column', '을/를', '을'],
    ['chat', '이/가', '이'],
    ['user', '이/가', '가'],
    ['purchaseAmtUsd', '을/를', '를'],
    ['rtt_p95', '이/가', '가'],
    // markup, quotes and a trailing parenthetical are not read
    ['*game_log.sessions*', '은/는', '는'],
    ['`payments`', '을/를', '를'],
    ['*2026-11-24 17:05 KST*', '이었/였', '였'],
    ['“지연 시간”', '을/를', '을'],
    ['*sessions* (3시간 전)', '은/는', '는'],
    ['<https://x.test/t|결제 테이블>', '을/를', '을'],
  ])('%s + %s → %s', (word, pair, expected) => {
    expect(particle(word, pair)).toBe(expected);
  });

  it('writes both forms when the reading cannot be told (a Slack mention)', () => {
    expect(finalSound('<@U0DEMO0001>')).toBe('unknown');
    expect(particle('<@U0DEMO0001>', '을/를')).toBe('을(를)');
    expect(particle('<@U0DEMO0001>', '으로/로')).toBe('(으)로');
    expect(particle('', '이/가')).toBe('이(가)');
  });

  it('josa appends the particle', () => {
    expect(josa('KST', '이었/였')).toBe('KST였');
    expect(josa('*03:10 KST*', '이었/였')).toBe('*03:10 KST*였');
    expect(josa('매일', '이라/라')).toBe('매일이라');
  });
});
