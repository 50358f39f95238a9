import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import type { OutgoingMessage, SlackPoster } from '../../src/ports/slack-poster';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import type { IsoTime, SchemaChange, SchemaChangeKind } from '../../src/domain/model';
import { sampleDashboards, sampleTables, sampleUsers } from '../support/fixtures';

export const LATENCY = 'hive://gold.game_log/session_latency_hourly';
export const PINGS = 'hive://raw.game_log/ping_events';
export const REVENUE = 'hive://gold.billing/daily_revenue';

/** A graph with the shared sample catalog: ping_events → session_latency_hourly → daily_revenue → a dashboard. */
export async function sampleGraph(): Promise<SqliteGraphStore> {
  const graph = new SqliteGraphStore({ path: ':memory:' });
  await graph.init();
  await graph.upsertUsers(sampleUsers());
  await graph.upsertTables(sampleTables());
  await graph.upsertDashboards(sampleDashboards());
  return graph;
}

/** An in-memory alert store with a clock the test moves. */
export async function memoryAlertStore(): Promise<{ store: SqliteAlertStore; advance(ms: number): void }> {
  let clock = Date.now();
  const store = new SqliteAlertStore({ path: ':memory:', now: () => clock });
  await store.init();
  return {
    store,
    advance(ms) {
      clock += ms;
    },
  };
}

let seq = 0;
export function schemaChange(tableKey: string, kind: SchemaChangeKind, fields: Partial<SchemaChange> = {}): SchemaChange {
  return { id: `chg-${++seq}`, source: 'hive:gold', crawlId: 'crawl-1', at: '2026-11-24T08:00:00Z', tableKey, kind, ...fields };
}

/** A Slack stand-in for unit tests: records posts, fails on demand, keeps a channel history with metadata. */
export class FakePoster implements SlackPoster {
  readonly posts: Array<OutgoingMessage & { ts: string }> = [];
  /** Errors thrown by the next posts, in order. */
  failures: unknown[] = [];
  /** What `findPosted` answers when the history has no match: `null` (certain) or `undefined` (cannot tell). */
  historyReadable = true;
  private seq = 0;

  async postMessage(m: OutgoingMessage): Promise<{ channel: string; ts: string }> {
    const failure = this.failures.shift();
    if (failure instanceof Error && (failure as Error & { afterSend?: boolean }).afterSend) {
      this.posts.push({ ...m, ts: `${++this.seq}.000` });
      throw failure;
    }
    if (failure) throw failure;
    const ts = `${++this.seq}.000`;
    this.posts.push({ ...m, ts });
    return { channel: m.channel, ts };
  }

  async findPosted(channel: string, deliveryKey: string, _since: IsoTime): Promise<{ channel: string; ts: string } | null | undefined> {
    if (!this.historyReadable) return undefined;
    const hit = this.posts.find((p) => p.channel === channel && p.deliveryKey === deliveryKey);
    return hit ? { channel, ts: hit.ts } : null;
  }
}
