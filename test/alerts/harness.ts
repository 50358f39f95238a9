import { Redis } from 'ioredis';
import { RedisAlertStore } from '../../src/adapters/redis/redis-alert-store';
import { RedisChannelRateLimiter } from '../../src/adapters/redis/redis-channel-rate-limiter';
import { ALERT_METADATA_TYPE } from '../../src/ports/slack-poster';
import { WebClientPoster } from '../../src/adapters/slack/web-client-poster';
import type { IsoTime } from '../../src/domain/model';
import { silentLogger, type Logger } from '../../src/log/logger';
import type { GraphStore } from '../../src/ports/graph-store';
import { startAlertWorkers, type AlertWorkers, type AlertWorkersOptions } from '../../src/alerts/jobs/worker';
import { enqueueAlert } from '../../src/alerts/jobs/queues';
import { FakeSlack, type FakeSlackOptions, type RecordedCall } from '../../tools/fake-slack/server';
import { redisUrl, uniqueName } from './support';

/**
 * The fake Slack has no `conversations.history`; this poster reads the history from the fake's record of
 * accepted `chat.postMessage` calls (their metadata), which is what the real method would answer.
 */
export class FakeHistoryPoster extends WebClientPoster {
  constructor(
    private readonly fake: FakeSlack,
    token: string,
  ) {
    super({ token, apiUrl: fake.apiUrl, timeoutMs: 5000 });
  }

  override async findPosted(channel: string, deliveryKey: string, _since: IsoTime): Promise<{ channel: string; ts: string } | null | undefined> {
    const hit = this.fake.calls.find((c) => c.method === 'chat.postMessage' && c.status === 200 && c.response.ok === true && c.args.channel === channel && deliveryKeyOf(c) === deliveryKey);
    return hit ? { channel, ts: String(hit.response.ts) } : null;
  }
}

export function deliveryKeyOf(c: RecordedCall): string | undefined {
  const m = c.args.metadata as { event_type?: string; event_payload?: { delivery_key?: string } } | undefined;
  return m?.event_type === ALERT_METADATA_TYPE ? m.event_payload?.delivery_key : undefined;
}

/** Messages the fake Slack accepted (200, ok), optionally to one channel. */
export function accepted(fake: FakeSlack, channel?: string): RecordedCall[] {
  return fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && c.response.ok === true && (channel === undefined || c.args.channel === channel));
}

export interface AlertHarness {
  fake: FakeSlack;
  store: RedisAlertStore;
  prefix: string;
  workers: AlertWorkers;
  logger: Logger;
  start(overrides?: Partial<AlertWorkersOptions>): Promise<AlertWorkers>;
  alertCrawl(input: { source: string; crawlId: string; changeIds: string[]; observedAt: IsoTime }): Promise<void>;
  close(): Promise<void>;
}

/** Fake Slack, a Redis alert store and the alert workers, all under a unique queue prefix. */
export async function alertHarness(graph: GraphStore, options: { slack?: FakeSlackOptions; workers?: Partial<AlertWorkersOptions> } = {}): Promise<AlertHarness> {
  const fake = await FakeSlack.start(options.slack);
  const prefix = uniqueName('nansen_test');
  const store = new RedisAlertStore({ url: redisUrl(), prefix: `${prefix}:alerts` });
  await store.init();
  const logger = silentLogger();
  const started: AlertWorkers[] = [];
  const limiterRedis = new Redis(redisUrl());
  const limiter = new RedisChannelRateLimiter(limiterRedis, { prefix: `${prefix}:alerts` });
  const start = async (overrides: Partial<AlertWorkersOptions> = {}): Promise<AlertWorkers> => {
    const w = await startAlertWorkers({
      connection: { url: redisUrl() },
      limiter,
      store,
      graph,
      slack: new FakeHistoryPoster(fake, fake.options.botToken),
      logger,
      timeZone: 'Asia/Seoul',
      digestCron: false,
      queue: { prefix },
      ...options.workers,
      ...overrides,
    });
    started.push(w);
    return w;
  };
  const h: AlertHarness = {
    fake,
    store,
    prefix,
    logger,
    workers: await start(),
    start,
    async alertCrawl(input) {
      await enqueueAlert(h.workers.alertQueue, { kind: 'schema_changes', ...input });
    },
    async close() {
      for (const w of started) await w.close().catch(() => undefined);
      limiterRedis.disconnect();
      await store.close();
      await fake.close();
      const redis = new Redis(redisUrl());
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
  return h;
}
