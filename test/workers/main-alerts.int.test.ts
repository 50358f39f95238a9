import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCrawlStore } from '../../src/adapters/embedded/sqlite-crawl-store';
import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { AlertStore } from '../../src/ports/alert-store';
import { loadConfig } from '../../src/config/config';
import { openChatState } from '../../src/main/chat-state';
import { silentLogger } from '../../src/log/logger';
import { FakeSlack, type RecordedCall } from '../../tools/fake-slack/server';
import { eventually, sleep } from './support/fakes';
import { PrivateRedis } from './support/redis';

const ROOT = join(__dirname, '..', '..');
const SESSIONS = 'hive://gold.game_log/sessions';
const PURCHASES = 'hive://gold.game_log/purchases';

function catalog(changed: boolean) {
  return {
    format: 'catalog-v1',
    tables: [
      {
        key: SESSIONS,
        database: 'hive',
        cluster: 'gold',
        schema: 'game_log',
        name: 'sessions',
        columns: changed ? [{ name: 'user_id', type: 'bigint' }] : [{ name: 'session_id', type: 'bigint' }],
      },
      { key: PURCHASES, database: 'hive', cluster: 'gold', schema: 'game_log', name: 'purchases', columns: [{ name: 'amount', type: changed ? 'decimal(12,2)' : 'double' }] },
    ],
  };
}

const SOURCES = ['sources:', '  - id: cat', '    type: catalog', '    path: catalog.json', '    schedule: 1000', ''].join('\n');

/**
 * `npm run worker` itself (src/main/worker.ts) with the fake Slack API: the composition root builds the alert store the
 * bot shares (Redis, or alerts.sqlite), the Slack poster and people's own table subscriptions (the bot's user state),
 * so a subscription written where the bot writes it makes a schema change reach Slack.
 */
describe('the worker process announces schema changes (src/main/worker.ts)', () => {
  let dir = '';
  let fake: FakeSlack;
  let redis: PrivateRedis | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nansen-worker-alerts-'));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog(false)));
    writeFileSync(join(dir, 'sources.yml'), SOURCES);
    fake = await FakeSlack.start();
  });
  afterEach(async () => {
    await fake.close();
    await redis?.stop();
    redis = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>): Record<string, string> => ({
    HOME: dir,
    NANSEN_DATA_DIR: join(dir, 'data'),
    NANSEN_SOURCES: join(dir, 'sources.yml'),
    NANSEN_BACKEND: 'embedded',
    SLACK_BOT_TOKEN: fake.options.botToken,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: 'info',
    ...extra,
  });

  function startMain(vars: Record<string, string>) {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src', 'main', 'worker.ts')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...vars }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  async function crawledOk(): Promise<void> {
    await eventually(
      async () => {
        const store = new SqliteCrawlStore({ path: join(dir, 'data', 'crawls.sqlite') });
        await store.init();
        try {
          return (await store.getStatus('cat'))?.outcome === 'ok';
        } finally {
          await store.close();
        }
      },
      30_000,
      'a crawl of the catalog source',
    );
  }

  const posts = (): RecordedCall[] => fake.calls.filter((c) => c.method === 'chat.postMessage');

  async function scenario(vars: Record<string, string>, store: () => AlertStore): Promise<void> {
    const main = startMain(vars);
    try {
      await crawledOk();
      // where the bot writes them: channel subscriptions in the alert store, a person's own in the chat state
      const alerts = store();
      await alerts.init();
      await alerts.subscribe({ channel: 'C_SESSIONS', pattern: 'game_log.sessions', mode: 'live', createdAt: new Date().toISOString() });
      await alerts.subscribe({ channel: 'C_OTHER', pattern: 'other.*', mode: 'live', createdAt: new Date().toISOString() });
      await alerts.close();
      const state = await openChatState(loadConfig(vars), silentLogger());
      await state.userState.toggleSubscription({ user: 'U0PERSON01', tableKey: PURCHASES, channel: 'U0PERSON01' }, new Date().toISOString());
      await state.close();

      writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog(true)));
      await eventually(() => posts().length >= 2, 30_000, 'two alert messages');
      await sleep(2500);
      expect(posts().map((c) => [c.args.channel, c.status]).sort()).toEqual([
        ['C_SESSIONS', 200],
        ['U0PERSON01', 200],
      ]);
      const sessions = JSON.stringify(posts().find((c) => c.args.channel === 'C_SESSIONS')!.args.blocks);
      expect(sessions).toContain('session_id');
      expect(sessions).toContain('user_id');
      expect(sessions).not.toContain('purchases');
      expect(JSON.stringify(posts().find((c) => c.args.channel === 'U0PERSON01')!.args.blocks)).toContain('amount');

      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.stderr()).toContain('alerts planned');
    } finally {
      main.child.kill('SIGKILL');
    }
  }

  it('without Redis: alerts.sqlite and state.sqlite under NANSEN_DATA_DIR, delivered in-process', async () => {
    const vars = env({});
    await scenario(vars, () => new SqliteAlertStore({ path: join(dir, 'data', 'alerts.sqlite') }));
  });

  it('with Redis: the default alert key prefix and the bot user state in Redis, delivered by the alert workers', async () => {
    redis = await PrivateRedis.start();
    const vars = env({ REDIS_URL: redis.url });
    await scenario(vars, () => new RedisAlertStore({ url: redis!.url }));
  });

  it('refuses to start with a digest schedule that is not a cron, naming the variable', async () => {
    for (const bad of ['every morning', '61 9 * * *']) {
      const main = startMain(env({ NANSEN_DIGEST_CRON: bad }));
      expect(await main.exited).toBe(1);
      expect(main.stderr()).toContain('NANSEN_DIGEST_CRON');
    }
  });
});
