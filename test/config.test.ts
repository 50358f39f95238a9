import { loadConfig } from '../src/config/config';

describe('loadConfig', () => {
  it('defaults to the embedded backend with no configuration', () => {
    const c = loadConfig({});
    expect(c.NANSEN_BACKEND).toBe('embedded');
    expect(c.NANSEN_DATA_DIR).toMatch(/\.nansen$/);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ NANSEN_BACKEND: 'mongo', SLACK_BOT_TOKEN: 'xoxp-1' })).toThrow(/NANSEN_BACKEND.*SLACK_BOT_TOKEN.*bot token/);
    expect(() => loadConfig({ NEO4J_URL: 'http://x' })).toThrow(/NEO4J_URL: must be a bolt/);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
