import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { answer } from '../../src/answering/answer';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger, silentLogger } from '../../src/log/logger';
import { openLineageRunStore, runLineageReceiver, type RunningLineageReceiver } from '../../src/main/openlineage';
import { seedDemoCatalog } from '../../src/main/shell';
import { openStores } from '../../src/main/stores';
import { renderTerminal } from '../../src/render/terminal';

const ROOT = join(__dirname, '..', '..');
const KEY = 'ol-test-key-0123456789';
const HIVE_NS = 'hive://metastore.internal:9083';
const PG_NS = 'postgres://pg.internal:5432';
const SESSIONS = 'hive://gold.game_log/sessions';
const REVENUE = 'hive://gold.billing/daily_revenue';
const ORDERS = 'postgres://warehouse.public/orders';

/** Event times: minutes after a moment just past the present, which the demo catalog's load times are moved to. */
const BASE = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();
const stamp = (minutes: number): string => at(minutes).replace('.000Z', 'Z');

interface Sent {
  ok: boolean;
  status: number | null;
  body: unknown;
}

/** Sends a plan of events with openlineage-python's HTTP transport (test/openlineage/send_events.py). */
async function sendWithPython(python: string, url: string, events: object[], options: { apiKey?: string; compression?: string; onResult?: (done: number) => void } = {}): Promise<Sent[]> {
  const plan = { url, api_key: options.apiKey ?? KEY, events, ...(options.compression ? { compression: options.compression } : {}) };
  // asynchronously: the receiver answers from this very process
  const child = spawn(python, [join(__dirname, 'send_events.py')], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 90_000 });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    options.onResult?.(out.split('\n').filter(Boolean).length);
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin.end(JSON.stringify(plan));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`send_events.py failed (${code}): ${err}`);
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Sent);
}

const sessionsColumns = (extra: Array<[string, string]> = []): Array<[string, string]> => [
  ['session_id', 'string'],
  ['user_id', 'bigint'],
  ['game_id', 'int'],
  ['platform', 'string'],
  ['country_code', 'string'],
  ['started_at', 'timestamp'],
  ['ended_at', 'timestamp'],
  ['duration_sec', 'bigint'],
  ['app_version', 'string'],
  ['matches_played', 'int'],
  ['dt', 'string'],
  ['hr', 'string'],
  ...extra,
];

/** OpenLineage intake, end to end: PyPI's openlineage-python posts a small job's runs to the real receiver. */
describe('OpenLineage intake (openlineage-python HTTP transport → receiver → stores)', () => {
  let python: string;
  let dir: string;
  let config: Config;
  let receiver: RunningLineageReceiver | undefined;
  let endpoint: string;

  beforeAll(async () => {
    python = execFileSync('bash', [join(ROOT, 'scripts/openlineage-venv.sh')], { encoding: 'utf8', timeout: 300_000 }).trim();
    dir = mkdtempSync(join(tmpdir(), 'nansen-ol-'));
    config = loadConfig({ NANSEN_DATA_DIR: dir, NANSEN_BACKEND: 'embedded', NANSEN_OPENLINEAGE_API_KEYS: `other-key-abcdefghijkl,${KEY}`, NANSEN_OPENLINEAGE_NAMESPACES: `${HIVE_NS}=hive://gold`, NANSEN_OPENLINEAGE_MAX_BYTES: '65536' });
    const stores = await openStores(config, silentLogger(), 'embedded');
    await seedDemoCatalog(stores, new Date());
    await stores.close();
    receiver = await runLineageReceiver(config, createLogger({ level: 'error' }), { host: '127.0.0.1', port: 0 });
    endpoint = `${receiver.url}/api/v1/lineage`;
  }, 320_000);

  afterAll(async () => {
    await receiver?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers }, body });

  it('refuses bad keys (401), invalid events (400) and oversized bodies (413) before writing anything', async () => {
    const valid = { eventType: 'COMPLETE', eventTime: '2026-12-01T00:00:00Z', producer: 'https://example.com/p', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', run: { runId: '0192f0c1-0000-7000-8000-000000000001' }, job: { namespace: 'airflow', name: 'never' }, outputs: [{ namespace: HIVE_NS, name: 'game_log.sessions' }] };
    expect((await post(JSON.stringify(valid), { authorization: 'Bearer nope-nope-nope-nope' })).status).toBe(401);
    expect((await post(JSON.stringify(valid), { authorization: '' })).status).toBe(401);
    const python401 = await sendWithPython(python, receiver!.url, [{ eventType: 'COMPLETE', runId: valid.run.runId, eventTime: valid.eventTime, job: ['airflow', 'never'], outputs: [{ namespace: HIVE_NS, name: 'game_log.sessions' }] }], { apiKey: 'wrong-key-wrong-key-000' });
    expect(python401).toEqual([expect.objectContaining({ ok: false, status: 401 })]);

    const { eventTime: _, ...noTime } = valid;
    const r400 = await post(JSON.stringify(noTime));
    expect(r400.status).toBe(400);
    expect(JSON.stringify(await r400.json())).toMatch(/eventTime/);
    const badType = await post(JSON.stringify({ ...valid, eventType: 'DONE' }));
    expect(badType.status).toBe(400);
    expect(JSON.stringify(await badType.json())).toMatch(/START, RUNNING, COMPLETE/);
    const badFacet = await post(JSON.stringify({ ...valid, outputs: [{ namespace: HIVE_NS, name: 'game_log.sessions', facets: { schema: { _producer: 'https://example.com/p', _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json', fields: [{ type: 'int' }] } } }] }));
    expect(badFacet.status).toBe(400);
    expect(JSON.stringify(await badFacet.json())).toMatch(/facets\/schema.*name/);
    expect((await post('{"eventType": "COMPLETE",')).status).toBe(400);
    expect((await post(JSON.stringify({ ...valid, run: { runId: 'x', facets: { big: { _producer: 'p', _schemaURL: 'https://x.example/s', blob: 'x'.repeat(70_000) } } } }))).status).toBe(413);
    expect((await post(gzipSync(Buffer.from(JSON.stringify({ ...valid, job: { namespace: 'a', name: 'x'.repeat(200_000) } }))), { 'content-encoding': 'gzip' })).status).toBe(413);

    const runs = await openLineageRunStore(config);
    try {
      expect(await runs.applied(valid.run.runId, 'COMPLETE')).toBe(false);
      expect((await runs.lastRuns([SESSIONS])).size).toBe(0);
    } finally {
      await runs.close();
    }
  });

  it('loses no event when the receiver restarts mid-stream: the client retries', async () => {
    const port = Number(new URL(receiver!.url).port);
    const runIds = Array.from({ length: 40 }, (_, i) => `0192f0c1-0000-7000-8000-${String(i).padStart(12, '0')}`.replace(/^(.{24})0/, '$1f'));
    const events = runIds.map((runId, i) => ({ eventType: 'COMPLETE', runId, eventTime: at(-100 + i), job: ['airflow', 'stream'], outputs: [{ namespace: HIVE_NS, name: 'game_log.crash_reports' }] }));
    let restarting: Promise<void> | undefined;
    let restartedAfter = 0;
    const sent = await sendWithPython(python, receiver!.url, events, {
      onResult: (done) => {
        if (done < 10 || restarting) return;
        restartedAfter = done;
        restarting = (async () => {
          await receiver!.stop();
          await new Promise((r) => setTimeout(r, 400));
          receiver = await runLineageReceiver(config, createLogger({ level: 'error' }), { host: '127.0.0.1', port });
        })();
      },
    });
    await restarting;
    expect(restartedAfter).toBeLessThan(30);
    expect(sent.filter((s) => s.ok && s.status === 200)).toHaveLength(40);
    const runs = await openLineageRunStore(config);
    try {
      for (const id of runIds) expect(await runs.applied(id, 'COMPLETE')).toBe(true);
    } finally {
      await runs.close();
    }
  });

  it('takes a job run: lineage, load history, schema changes, failed runs, new tables; a resent event is a no-op', async () => {
    const run1 = '0192f0c1-0000-7000-8000-00000000aa01';
    const run2 = '0192f0c1-0000-7000-8000-00000000aa02';
    const run3 = '0192f0c1-0000-7000-8000-00000000aa03';
    const job = ['airflow', 'game_log.build_sessions'];
    const inputs = [{ namespace: HIVE_NS, name: 'game_log.match_results' }];
    const sessions = { namespace: HIVE_NS, name: 'game_log.sessions', fields: sessionsColumns([['region', 'string']]) };
    const complete = { eventType: 'COMPLETE', runId: run1, eventTime: at(10), job, inputs, outputs: [sessions] };
    const sent = await sendWithPython(python, receiver!.url, [
      { eventType: 'START', runId: run1, eventTime: at(1), job, inputs, outputs: [sessions] },
      complete,
      complete,
      { eventType: 'START', runId: run2, eventTime: at(20), job: ['airflow', 'billing.daily_revenue'], inputs: [{ namespace: HIVE_NS, name: 'billing.purchases' }], outputs: [{ namespace: HIVE_NS, name: 'billing.daily_revenue' }] },
      { eventType: 'FAIL', runId: run2, eventTime: at(23), job: ['airflow', 'billing.daily_revenue'], outputs: [{ namespace: HIVE_NS, name: 'billing.daily_revenue' }], error: 'Table purchases is locked' },
      { eventType: 'COMPLETE', runId: run3, eventTime: at(30), job: ['dbt', 'warehouse.orders'], inputs: [{ namespace: HIVE_NS, name: 'billing.purchases' }, { namespace: 's3://bucket', name: 'exports/orders.csv' }], outputs: [{ namespace: PG_NS, name: 'warehouse.public.orders', fields: [['order_id', 'bigint'], ['amount', 'numeric']] }] },
    ], { compression: 'gzip' });
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sent.map((s) => (s.body as { status: string }).status)).toEqual(['applied', 'applied', 'duplicate', 'applied', 'applied', 'applied']);
    expect(sent[1]!.body).toMatchObject({ outputs: [SESSIONS], inputs: ['hive://gold.game_log/match_results'], loads: 1 });
    expect((sent[0]!.body as { changes: number }).changes).toBe(2); // duration_sec int → bigint, region added
    expect(sent[5]!.body).toMatchObject({ outputs: [ORDERS], skipped: [{ dataset: 's3://bucket/exports/orders.csv' }] });

    await receiver!.stop();
    receiver = undefined;
    const stores = await openStores(config, silentLogger(), 'embedded');
    const runs = await openLineageRunStore(config);
    try {
      const t = (await stores.graph.getTable(SESSIONS))!;
      expect(t.updates.filter((u) => u === stamp(10))).toHaveLength(1);
      expect(t.upstream).toEqual(expect.arrayContaining(['hive://raw.game_log/client_events', 'hive://gold.game_log/match_results']));
      expect(t.columns.map((c) => c.name)).toContain('region');
      expect(t.columns.find((c) => c.name === 'session_id')!.sourceDescription).toBe('unique session id');
      expect(t.sourceOwners).toEqual(['jiwoo.kim']);
      const changes = await stores.graph.recentSchemaChanges({ tableKey: SESSIONS, limit: 10 });
      expect(changes.map((c) => [c.kind, c.column, c.oldValue ?? null, c.newValue ?? null]).sort()).toEqual([
        ['column_added', 'region', null, 'string'],
        ['column_type_changed', 'duration_sec', 'int', 'bigint'],
      ]);
      expect(new Set(changes.map((c) => c.source))).toEqual(new Set(['openlineage']));

      const orders = (await stores.graph.getTable(ORDERS))!;
      expect(orders.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['order_id:bigint', 'amount:numeric']);
      expect(orders.upstream).toEqual(['hive://gold.billing/purchases']);
      expect((await stores.graph.getTable('hive://gold.billing/purchases'))!.downstream).toContain(ORDERS);
      expect(orders.updates).toEqual([stamp(30)]);

      expect((await runs.lastRuns([REVENUE])).get(REVENUE)).toMatchObject({ state: 'FAIL', at: stamp(23), job: 'airflow/billing.daily_revenue', message: 'Table purchases is locked' });
      const now = new Date(BASE + 60 * 60_000);
      const a = await answer({ text: 'when was daily_revenue last updated?' }, { graph: stores.graph, search: stores.search, runs, now: () => now, timeZone: 'Asia/Seoul' });
      expect(a).toMatchObject({ kind: 'last_updated', lastRun: { state: 'FAIL', at: stamp(23) } });
      expect(renderTerminal(a)).toMatch(/last run failed at .*airflow\/billing\.daily_revenue.*Table purchases is locked/s);
      const ko = await answer({ text: 'daily_revenue 언제 업데이트됐어?' }, { graph: stores.graph, search: stores.search, runs, now: () => now, timeZone: 'Asia/Seoul' });
      expect(renderTerminal(ko)).toMatch(/마지막 실행이 .*실패했습니다/);
      const fresh = await answer({ text: 'when was game_log.sessions last updated?' }, { graph: stores.graph, search: stores.search, runs, now: () => now, timeZone: 'Asia/Seoul' });
      expect(fresh).toMatchObject({ kind: 'last_updated', at: stamp(10) });
      expect(fresh).not.toHaveProperty('lastRun');
    } finally {
      await runs.close();
      await stores.close();
    }
  });
});
