import { crawlSource, type CrawlDeps } from '../../ingest/crawl';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import type { SourceConfig } from '../../ingest/source';
import type { Stores } from '../../src/catalog/publish';
import { silentLogger } from '../../src/log/logger';
import { embeddedStores } from './support/servers';
import { FakeSource, pgTable } from './support/fake-connector';

const SOURCE: SourceConfig = { id: 'fake', type: 'postgres', urlEnv: 'FAKE_URL' };

type Env = Awaited<ReturnType<typeof embeddedStores>>;

/** Counts writes to the stores, so "writes nothing" can be checked directly. */
function countingStores(stores: Stores): { stores: Stores; writes: string[] } {
  const writes: string[] = [];
  const wrap = <T extends object>(target: T, methods: string[]): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v === 'function') {
          return (...args: unknown[]) => {
            if (methods.includes(String(prop))) writes.push(String(prop));
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          };
        }
        return v;
      },
    });
  return {
    writes,
    stores: {
      graph: wrap(stores.graph, ['upsertUsers', 'upsertTables', 'upsertDashboards', 'recordLoads', 'markRemoved', 'applyEdit', 'applyEdits', 'recordSchemaChanges']),
      search: wrap(stores.search, ['upsert', 'remove', 'reindex']),
    },
  };
}

describe('crawlSource (fake connector, embedded stores)', () => {
  let env: Env;
  let fake: FakeSource;
  let clock: Date;
  let deps: CrawlDeps;
  let writes: string[];

  beforeEach(async () => {
    env = await embeddedStores();
    fake = new FakeSource('postgres:fake');
    clock = new Date('2026-11-24T08:00:00Z');
    const counted = countingStores(env.stores);
    writes = counted.writes;
    deps = { stores: counted.stores, logger: silentLogger(), now: () => clock, state: env.crawlStore, status: env.crawlStore, connect: () => fake.connector() };
  });
  afterEach(async () => {
    await env.close();
  });

  function tables(n: number): void {
    fake.tables = Array.from({ length: n }, (_, i) => pgTable(`t${String(i).padStart(3, '0')}`));
  }

  it('publishes a first crawl, then a no-change crawl writes nothing', async () => {
    tables(30);
    const first = await crawlSource(SOURCE, deps);
    expect(first.added).toHaveLength(30);
    expect(first.changes).toEqual([]); // a source's first crawl announces no table_added for every table
    expect(first.wrote).toBe(true);
    expect(await env.stores.graph.listTableKeys({ source: 'postgres:fake' })).toHaveLength(30);
    expect(await env.stores.search.count()).toBe(30);

    writes.length = 0;
    const second = await crawlSource(SOURCE, deps);
    expect(second).toMatchObject({ added: [], changed: [], removed: [], unchanged: 30, wrote: false });
    expect(writes).toEqual([]);
    expect(fake.lastState).toEqual({ seen: 30 });
  });

  it('skips reading back tables whose fingerprint matches, unless asked for a full comparison', async () => {
    tables(20);
    await crawlSource(SOURCE, deps);
    const read: string[] = [];
    const getTables = env.stores.graph.getTables.bind(env.stores.graph);
    env.stores.graph.getTables = async (keys) => {
      read.push(...keys);
      return getTables(keys);
    };
    fake.tables[3] = pgTable('t003', { description: 'changed' });
    const r = await crawlSource(SOURCE, deps);
    expect(r.changed).toEqual(['postgres://fake.public/t003']);
    expect([...new Set(read)]).toEqual(['postgres://fake.public/t003']); // compared, then re-read to index it
    read.length = 0;
    const full = await crawlSource(SOURCE, deps, { full: true });
    expect(full.wrote).toBe(false);
    expect(new Set(read).size).toBe(20);
    // another graph (scope) has its own memory: nothing is skipped there
    read.length = 0;
    await crawlSource(SOURCE, { ...deps, stateScope: 'other' }, { dryRun: true });
    expect(new Set(read).size).toBe(20);
  });

  it('records schema changes with ids that a retried crawl repeats', async () => {
    tables(40);
    await crawlSource(SOURCE, deps);
    fake.tables[0] = pgTable('t000', {
      description: 'new words',
      columns: [
        { name: 'id', type: 'integer', position: 0, nullable: true, description: 'primary key' },
        { name: 'added_col', type: 'text', position: 1 },
      ],
    });
    fake.tables.push(pgTable('t_new'));
    clock = new Date('2026-11-24T09:00:00Z');
    // the first try fails while publishing; its changes are recorded before, and the retry must not duplicate them
    const upsert = env.stores.graph.upsertTables.bind(env.stores.graph);
    let fail = true;
    env.stores.graph.upsertTables = async (records) => {
      if (fail) throw new Error('neo4j unavailable');
      return upsert(records);
    };
    await expect(crawlSource(SOURCE, deps, { crawlId: 'try-1' })).rejects.toThrow('neo4j unavailable');
    fail = false;
    const retry = await crawlSource(SOURCE, deps, { crawlId: 'try-2' });
    const kinds = retry.changes.map((c) => `${c.kind}:${c.column ?? ''}`).sort();
    expect(kinds).toEqual(['column_added:added_col', 'column_nullability_changed:id', 'column_removed:value', 'column_type_changed:id', 'description_changed:', 'table_added:'].sort());
    const stored = await env.stores.graph.recentSchemaChanges({ limit: 100 });
    expect(stored).toHaveLength(6);
    expect(new Set(stored.map((c) => c.id))).toEqual(new Set(retry.changes.map((c) => c.id)));

    // the same edit flipping back and forth later is announced again: a later snapshot, new ids
    fake.tables[0] = pgTable('t000');
    await crawlSource(SOURCE, deps);
    fake.tables[0] = pgTable('t000', { description: 'new words' });
    const again = await crawlSource(SOURCE, deps);
    expect(again.changes.map((c) => c.kind)).toEqual(['description_changed']);
    expect(stored.map((c) => c.id)).not.toContain(again.changes[0]!.id);
  });

  it('refuses to remove more than 5% of the tables unless forced; a dry run writes nothing', async () => {
    tables(100);
    await crawlSource(SOURCE, deps);
    fake.tables = fake.tables.slice(0, 90);
    fake.tables.push(pgTable('brand_new'));

    writes.length = 0;
    const refused = await crawlSource(SOURCE, deps);
    expect(refused.refused).toEqual({ reason: 'too_many_removals', removals: 10, total: 100, threshold: 0.05 });
    expect(refused.removed).toHaveLength(10);
    expect(refused.wrote).toBe(false);
    expect(writes).toEqual([]);
    expect(await env.stores.graph.listTableKeys({ source: 'postgres:fake' })).toHaveLength(100);
    expect((await env.crawlStore.getStatus('fake'))?.outcome).toBe('refused');

    const dry = await crawlSource(SOURCE, deps, { dryRun: true, force: true });
    expect(dry).toMatchObject({ dryRun: true, wrote: false });
    expect(dry.added).toEqual(['postgres://fake.public/brand_new']);
    expect(dry.removed).toHaveLength(10);
    expect(writes).toEqual([]);

    const forced = await crawlSource(SOURCE, deps, { force: true });
    expect(forced.removed).toHaveLength(10);
    expect(forced.changes.filter((c) => c.kind === 'table_removed')).toHaveLength(10);
    expect(await env.stores.graph.listTableKeys({ source: 'postgres:fake' })).toHaveLength(91);
    const gone = await env.stores.graph.getTable('postgres://fake.public/t095');
    expect(gone?.removedAt).toBe(clock.toISOString());
    expect(await env.stores.search.count()).toBe(91);
  });

  it('removes up to 5% without force, and a removed table comes back when the source has it again', async () => {
    tables(100);
    await crawlSource(SOURCE, deps);
    const all = fake.tables;
    fake.tables = all.slice(0, 95);
    const r = await crawlSource(SOURCE, deps);
    expect(r.refused).toBeUndefined();
    expect(r.removed).toHaveLength(5);
    fake.tables = all;
    const back = await crawlSource(SOURCE, deps);
    expect(back.added).toHaveLength(5);
    expect(back.changes.filter((c) => c.kind === 'table_added')).toHaveLength(5);
    expect((await env.stores.graph.getTable('postgres://fake.public/t099'))?.removedAt).toBeUndefined();
  });

  it('a failure mid-extract writes nothing and removes nothing', async () => {
    tables(50);
    await crawlSource(SOURCE, deps);
    fake.failAfter = 10;
    fake.failWith = new TransientSourceError('fake', 'connection_lost', 'source fake: connection lost');
    writes.length = 0;
    await expect(crawlSource(SOURCE, deps)).rejects.toBeInstanceOf(TransientSourceError);
    expect(writes).toEqual([]);
    expect(await env.stores.graph.listTableKeys({ source: 'postgres:fake' })).toHaveLength(50);
    const status = await env.crawlStore.getStatus('fake');
    expect(status).toMatchObject({ outcome: 'failed', lastError: { code: 'connection_lost', retryable: true } });
    expect(status?.lastSuccessAt).toBeDefined();
  });

  it('never overwrites a human edit', async () => {
    tables(3);
    await crawlSource(SOURCE, deps);
    const key = 'postgres://fake.public/t001';
    await env.stores.graph.applyEdit({ tableKey: key, field: { kind: 'description' }, value: 'What people call it', actor: 'jiwoo.kim' });
    await env.stores.graph.applyEdit({ tableKey: key, field: { kind: 'column_description', column: 'value' }, value: 'the measured value', actor: 'jiwoo.kim' });
    fake.tables[1] = pgTable('t001', { description: 'source says something new' });
    const r = await crawlSource(SOURCE, deps);
    expect(r.changed).toEqual([key]);
    const t = await env.stores.graph.getTable(key);
    expect(t?.humanDescription).toBe('What people call it');
    expect(t?.sourceDescription).toBe('source says something new');
    expect(t?.columns.find((c) => c.name === 'value')?.humanDescription).toBe('the measured value');
    const again = await crawlSource(SOURCE, deps);
    expect(again.wrote).toBe(false);
  });

  it('treats new load times alone as loads, not changes', async () => {
    tables(2);
    await crawlSource(SOURCE, deps);
    fake.tables[0] = { ...fake.tables[0]!, updates: ['2026-11-24T07:00:00Z'] };
    const r = await crawlSource(SOURCE, deps);
    expect(r).toMatchObject({ changed: [], loaded: ['postgres://fake.public/t000'], wrote: true });
    expect((await env.stores.graph.getTable('postgres://fake.public/t000'))?.updates).toEqual(['2026-11-24T07:00:00Z']);
    const again = await crawlSource(SOURCE, deps);
    expect(again.wrote).toBe(false);
  });

  it('records permanent failures for the status store without secrets', async () => {
    deps.connect = () => {
      throw new PermanentSourceError('fake', 'bad_credentials', 'source fake (postgres://nansen:***@127.0.0.1:5432/x): authentication failed');
    };
    await expect(crawlSource(SOURCE, deps)).rejects.toBeInstanceOf(PermanentSourceError);
    expect(await env.crawlStore.getStatus('fake')).toMatchObject({ outcome: 'failed', lastError: { code: 'bad_credentials', retryable: false } });
  });
});
