import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { runBot, slackConfigured } from '../../src/main/bot';
import { seedDemoCatalog } from '../../src/main/shell';
import { openStores } from '../../src/main/stores';
import * as P from '../../tools/fake-slack/payloads';
import { FakeSlack } from '../../tools/fake-slack/server';
import { blocksText } from './harness';

describe('the bot’s composition root (npm run bot)', () => {
  let fake: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    fake = await FakeSlack.start({ postMessageRate: false });
    dir = mkdtempSync(join(tmpdir(), 'nansen-bot-'));
    const stores = await openStores(loadConfig({ NANSEN_DATA_DIR: dir }), silentLogger(), 'embedded');
    await seedDemoCatalog(stores, new Date());
    await stores.close();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start without Slack settings, naming what is missing', async () => {
    const config = loadConfig({ NANSEN_DATA_DIR: dir });
    expect(slackConfigured(config)).toBe(false);
    await expect(runBot(config, silentLogger())).rejects.toThrow(/SLACK_BOT_TOKEN is not set/);
    await expect(runBot(loadConfig({ NANSEN_DATA_DIR: dir, SLACK_BOT_TOKEN: 'xoxb-1' }), silentLogger())).rejects.toThrow(/SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/);
  });

  it('starts in Socket Mode from the environment, answers, and stops cleanly', async () => {
    const config = loadConfig({ NANSEN_DATA_DIR: dir, SLACK_BOT_TOKEN: fake.options.botToken, SLACK_APP_TOKEN: fake.options.appToken, SLACK_API_URL: fake.apiUrl, NANSEN_EDIT_POLICY: 'owners', NANSEN_ADMINS: 'U0ADMIN001' });
    const bot = await runBot(config, silentLogger());
    try {
      await fake.waitForSocket();
      const mention = P.appMention({ text: 'when was game_log.sessions last updated?', channel: 'C0BOTTEST1' });
      await fake.pushEnvelope('events_api', P.eventCallback(mention));
      const answer = await fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === mention.ts);
      expect(answer.response.ok).toBe(true);
      expect(blocksText(answer.args.blocks)).toMatch(/sessions/);
    } finally {
      await bot.stop();
    }
  });
});
