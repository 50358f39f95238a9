import { loadConfig } from '../src/config/config';

describe('loadConfig', () => {
  it('defaults to the embedded backend with no configuration', () => {
    const c = loadConfig({});
    expect(c.NANSEN_BACKEND).toBe('embedded');
    expect(c.NANSEN_DATA_DIR).toMatch(/\.nansen$/);
  });

  it('records askers of missed questions only when NANSEN_RECORD_ASKERS=1', () => {
    expect(loadConfig({}).NANSEN_RECORD_ASKERS).toBe('0');
    expect(loadConfig({ NANSEN_RECORD_ASKERS: '1' }).NANSEN_RECORD_ASKERS).toBe('1');
    expect(() => loadConfig({ NANSEN_RECORD_ASKERS: 'yes' })).toThrow(/NANSEN_RECORD_ASKERS: must be 0 or 1/);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ NANSEN_BACKEND: 'mongo', SLACK_BOT_TOKEN: 'xoxp-1' })).toThrow(/NANSEN_BACKEND.*SLACK_BOT_TOKEN.*bot token/);
    expect(() => loadConfig({ NEO4J_URL: 'http://x' })).toThrow(/NEO4J_URL: must be a bolt/);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});

describe('NANSEN_TIMEZONE (issue 11 item 7)', () => {
  it('refuses a zone the runtime does not know, naming the variable', () => {
    expect(() => loadConfig({ NANSEN_TIMEZONE: 'Mars/Phobos' })).toThrow(/NANSEN_TIMEZONE: must be an IANA time zone/);
  });
  it.each(['Asia/Seoul', 'UTC', 'America/New_York'])('accepts %s', (tz) => {
    expect(loadConfig({ NANSEN_TIMEZONE: tz }).NANSEN_TIMEZONE).toBe(tz);
  });
});

describe('NANSEN_ANSWER_THREADS (issue 12)', () => {
  it('is unset by default (the bot picks from the cores), and takes a whole number from 0', () => {
    expect(loadConfig({}).NANSEN_ANSWER_THREADS).toBeUndefined();
    expect(loadConfig({ NANSEN_ANSWER_THREADS: '0' }).NANSEN_ANSWER_THREADS).toBe(0);
    expect(loadConfig({ NANSEN_ANSWER_THREADS: '3' }).NANSEN_ANSWER_THREADS).toBe(3);
  });
  it('refuses a fraction or a negative number, naming the variable', () => {
    expect(() => loadConfig({ NANSEN_ANSWER_THREADS: '1.5' })).toThrow(/NANSEN_ANSWER_THREADS/);
    expect(() => loadConfig({ NANSEN_ANSWER_THREADS: '-1' })).toThrow(/NANSEN_ANSWER_THREADS/);
  });
});

describe('NANSEN_LANGUAGE (issue 12 item 7)', () => {
  it('defaults to en', () => {
    expect(loadConfig({}).NANSEN_LANGUAGE).toBe('en');
  });
  it.each(['en', 'ko'])('accepts %s', (lang) => {
    expect(loadConfig({ NANSEN_LANGUAGE: lang }).NANSEN_LANGUAGE).toBe(lang);
  });
  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ NANSEN_LANGUAGE: 'ja' })).toThrow(/NANSEN_LANGUAGE: must be en or ko/);
  });
});
