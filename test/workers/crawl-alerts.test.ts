import type { CrawlReport } from '../../src/domain/crawl';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import type { AlertPlan, CrawlChanges } from '../../src/alerts/plan';
import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import { SqliteUserStateStore } from '../../src/adapters/embedded/sqlite-user-state-store';
import type { SchemaChange } from '../../src/domain/model';
import { silentLogger, type Logger } from '../../src/log/logger';
import { createCrawlAlerter } from '../../src/alerts/jobs/crawl-alerts';
import { personalSubscribers } from '../../src/alerts/personal';
import type { AlertJobData, AlertQueue } from '../../src/alerts/jobs/queues';
import { report, source } from './support/fakes';

const ORDERS = 'postgres://main.sales/orders';
const CUSTOMERS = 'postgres://main.sales/customers';

function change(id: string, fields: Partial<SchemaChange> = {}): SchemaChange {
  return { id, source: 'postgres:warehouse', crawlId: 'crawl-1', at: '2026-11-24T08:00:00.000Z', tableKey: ORDERS, kind: 'column_removed', column: 'note', oldValue: 'text', ...fields };
}

/** A stand-in for the BullMQ alert queue: `add` with a job id adds once. */
function fakeQueue() {
  const jobs = new Map<string, AlertJobData>();
  const queue = {
    async add(_name: string, data: AlertJobData, opts: { jobId: string }) {
      if (!jobs.has(opts.jobId)) jobs.set(opts.jobId, data);
      return { id: opts.jobId };
    },
  };
  return { jobs, queue: queue as unknown as AlertQueue };
}

/** A logger that keeps what was logged. */
function recordingLogger(): { logger: Logger; lines: Array<{ msg: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const logger = silentLogger();
  const record =
    (_level: string) =>
    (fields: unknown, msg?: string): void =>
      void lines.push(typeof fields === 'string' ? { msg: fields, fields: {} } : { msg: msg ?? '', fields: fields as Record<string, unknown> });
  for (const level of ['info', 'warn', 'error', 'debug'] as const) (logger as unknown as Record<string, unknown>)[level] = record(level);
  return { logger, lines };
}

describe('crawl → alert hand-over', () => {
  let graph: SqliteGraphStore;
  beforeEach(async () => {
    graph = new SqliteGraphStore({ path: ':memory:' });
    await graph.init();
  });
  afterEach(async () => {
    await graph.close();
  });

  const src = source('warehouse');
  const withChanges = (overrides: Partial<CrawlReport> = {}): CrawlReport => report(src, { crawlId: 'crawl-1', finishedAt: '2026-11-24T08:00:05.000Z', changes: [change('c1'), change('c2', { kind: 'column_added', column: 'currency', oldValue: undefined, newValue: 'character(3)' })], ...overrides });

  it.each([
    ['a dry run', { dryRun: true }],
    ['a refused crawl', { refused: { reason: 'too_many_removals' as const, removals: 9, total: 10, threshold: 0.05 }, wrote: false }],
    ['a crawl without schema changes', { changes: [] }],
  ])('queues nothing for %s', async (_what, overrides) => {
    const { jobs, queue } = fakeQueue();
    const alert = createCrawlAlerter({ kind: 'queue', queue }, { graph, logger: silentLogger() });
    await alert(withChanges(overrides), { rerun: false });
    expect(jobs.size).toBe(0);
  });

  it('queues one alert job per crawl, under a stable id, with the change ids', async () => {
    const { jobs, queue } = fakeQueue();
    const alert = createCrawlAlerter({ kind: 'queue', queue }, { graph, logger: silentLogger() });
    const r = withChanges();
    await alert(r, { rerun: false });
    await alert(r, { rerun: true });
    expect([...jobs]).toEqual([
      ['schema-changes.postgres_warehouse.crawl-1', { kind: 'schema_changes', source: 'postgres:warehouse', crawlId: 'crawl-1', changeIds: ['c1', 'c2'], observedAt: '2026-11-24T08:00:05.000Z' }],
    ]);
  });

  it('a re-run that finds nothing new announces what an earlier run of the same crawl recorded; a first run does not look', async () => {
    await graph.recordSchemaChanges([change('c1'), change('c2', { column: 'x' }), change('other-crawl', { crawlId: 'crawl-0' }), change('other-source', { source: 'postgres:dw' })]);
    const { jobs, queue } = fakeQueue();
    const alert = createCrawlAlerter({ kind: 'queue', queue }, { graph, logger: silentLogger() });
    await alert(withChanges({ changes: [] }), { rerun: false });
    expect(jobs.size).toBe(0);
    await alert(withChanges({ changes: [] }), { rerun: true });
    expect([...jobs.values()].map((j) => j.changeIds.sort())).toEqual([['c1', 'c2']]);
  });

  it('dispatches in-process without Redis', async () => {
    const dispatched: CrawlChanges[] = [];
    const runner = {
      async dispatch(r: CrawlChanges): Promise<AlertPlan> {
        dispatched.push(r);
        return { changeSet: { id: 'x', kind: 'crawl', createdAt: r.finishedAt, changes: r.changes }, deliveries: [], digests: [], unreachableOwners: [] };
      },
    };
    const alert = createCrawlAlerter({ kind: 'in-process', runner }, { graph, logger: silentLogger() });
    await alert(withChanges({ dryRun: true }), { rerun: false });
    await alert(withChanges(), { rerun: false });
    expect(dispatched).toEqual([{ source: 'postgres:warehouse', crawlId: 'crawl-1', finishedAt: '2026-11-24T08:00:05.000Z', changes: withChanges().changes }]);
  });

  it('without a Slack token, plans and logs who would hear about it, and writes nothing', async () => {
    const store = new SqliteAlertStore({ path: ':memory:' });
    await store.init();
    try {
      await store.subscribe({ channel: 'C_SALES', pattern: 'sales.*', mode: 'live', createdAt: '2026-11-24T00:00:00Z' });
      const { logger, lines } = recordingLogger();
      const alert = createCrawlAlerter({ kind: 'log-only', plan: { store, graph } }, { graph, logger });
      await alert(withChanges(), { rerun: false });
      const line = lines.find((l) => l.msg.includes('not posted'));
      expect(line?.fields).toMatchObject({ crawlId: 'crawl-1', changes: 2, deliveries: [{ to: 'C_SALES', kind: 'live', tables: [ORDERS] }] });
      expect(await store.getChangeSet('crawl:postgres:warehouse:crawl-1')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("turns people's own table subscriptions (the Slack app's user state) into extra live recipients", async () => {
    const userState = new SqliteUserStateStore(':memory:');
    try {
      await userState.toggleSubscription({ user: 'U0JIWOO01', tableKey: ORDERS, channel: 'U0JIWOO01' }, '2026-11-24T00:00:00Z');
      await userState.toggleSubscription({ user: 'U0MINA001', tableKey: CUSTOMERS, channel: 'U0MINA001' }, '2026-11-24T00:00:00Z');
      const extra = personalSubscribers(userState);
      expect(await extra([ORDERS, ORDERS])).toEqual([{ channel: 'U0JIWOO01', tableKey: ORDERS }]);

      const store = new SqliteAlertStore({ path: ':memory:' });
      await store.init();
      const { logger, lines } = recordingLogger();
      const alert = createCrawlAlerter({ kind: 'log-only', plan: { store, graph, extraSubscribers: extra } }, { graph, logger });
      await alert(withChanges(), { rerun: false });
      expect(lines.find((l) => l.msg.includes('not posted'))?.fields.deliveries).toEqual([{ to: 'U0JIWOO01', kind: 'live', tables: [ORDERS] }]);
      await store.close();
    } finally {
      await userState.close();
    }
  });
});
