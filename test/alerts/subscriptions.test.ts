import { ALERT_ACTION_PATTERNS } from '../../src/alerts/message';
import type { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import {
  handleMuteAction,
  handleOwnerDmOptOutAction,
  handleSubscribeTableAction,
  handleSubscriptionCommand,
  isSubscriptionCommand,
  loadChangeListView,
  parseSubscriptionCommand,
  type SubscriptionCommand,
  type SubscriptionDeps,
} from '../../src/alerts/subscriptions';
import type { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { UserError } from '../../src/domain/errors';
import { blockProblems } from '../../tools/fake-slack/limits';
import { LATENCY, memoryAlertStore, sampleGraph, schemaChange } from './fixtures';

describe('parseSubscriptionCommand', () => {
  const cases: Array<[string, SubscriptionCommand]> = [
    ['subscribe game_log.*', { kind: 'subscribe', pattern: 'game_log.*', mode: 'live' }],
    ['/data subscribe game_log.* --digest daily', { kind: 'subscribe', pattern: 'game_log.*', mode: 'daily' }],
    ['subscribe --digest=daily tag:latency', { kind: 'subscribe', pattern: 'tag:latency', mode: 'daily' }],
    ['subscribe <hive://gold.game_log/sessions|hive://gold.game_log/sessions>', { kind: 'subscribe', pattern: 'hive://gold.game_log/sessions', mode: 'live' }],
    ['SUBSCRIBE   game_log.sessions  ', { kind: 'subscribe', pattern: 'game_log.sessions', mode: 'live' }],
    ['subscribe dms', { kind: 'owner_dms', enabled: true }],
    ['unsubscribe dms', { kind: 'owner_dms', enabled: false }],
    ['unsubscribe game_log.*', { kind: 'unsubscribe', pattern: 'game_log.*' }],
    ['unsubscribe all', { kind: 'unsubscribe_all' }],
    ['subscriptions', { kind: 'list' }],
    ['mute game_log.sessions', { kind: 'mute', table: 'game_log.sessions' }],
    ['unmute game_log.sessions', { kind: 'unmute', table: 'game_log.sessions' }],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(parseSubscriptionCommand(text)).toEqual(expected);
  });

  it.each(['subscribe', 'subscribe a.b --digest weekly', 'subscribe a.b --loud', 'subscribe a.b c.d', 'unsubscribe', 'mute'])('%s asks for help with a reason', (text) => {
    const cmd = parseSubscriptionCommand(text);
    expect(cmd.kind).toBe('help');
    expect(cmd.kind === 'help' && cmd.problem).toBeTruthy();
  });

  it('recognises its verbs', () => {
    expect(isSubscriptionCommand('subscribe x.y')).toBe(true);
    expect(isSubscriptionCommand('/data subscriptions')).toBe(true);
    expect(isSubscriptionCommand('latency by country')).toBe(false);
  });
});

describe('handleSubscriptionCommand', () => {
  let graph: SqliteGraphStore;
  let store: SqliteAlertStore;
  let deps: SubscriptionDeps;
  beforeEach(async () => {
    graph = await sampleGraph();
    store = (await memoryAlertStore()).store;
    deps = { store, graph, now: () => new Date('2026-11-24T00:00:00Z') };
  });
  afterEach(async () => {
    await store.close();
    await graph.close();
  });

  it('subscribes a channel, counts matching tables, and lists it', async () => {
    const r = await handleSubscriptionCommand('subscribe game_log.*', 'C1', 'U1', deps);
    expect(r).toMatchObject({ kind: 'subscribed', status: 'created', matches: 2, subscription: { channel: 'C1', pattern: 'game_log.*', mode: 'live', createdBy: 'U1' } });
    expect(r.text).toContain('It matches 2 tables today');
    const again = await handleSubscriptionCommand('subscribe game_log.* --digest daily', 'C1', 'U1', deps);
    expect(again).toMatchObject({ kind: 'subscribed', status: 'updated' });
    expect(again.text).toContain('daily digest');
    const list = await handleSubscriptionCommand('subscriptions', 'C1', 'U1', deps);
    expect(list).toMatchObject({ kind: 'list', ownerDms: true });
    expect(list.kind === 'list' && list.subscriptions.map((s) => [s.pattern, s.mode])).toEqual([['game_log.*', 'daily']]);
    expect(blockProblems(list.blocks, 50, '/blocks')).toEqual([]);
  });

  it('says so when a single table is not in the catalog yet', async () => {
    const r = await handleSubscriptionCommand('subscribe game_log.nope', 'C1', 'U1', deps);
    expect(r.text).toContain('No such table is in the catalog yet');
  });

  it('rejects a bad pattern with a UserError', async () => {
    await expect(handleSubscriptionCommand('subscribe sessions', 'C1', 'U1', deps)).rejects.toBeInstanceOf(UserError);
  });

  it('unsubscribes, and lists what there is when the pattern is unknown', async () => {
    await handleSubscriptionCommand('subscribe tag:Latency', 'C1', 'U1', deps);
    expect((await handleSubscriptionCommand('unsubscribe billing.*', 'C1', 'U1', deps)).text).toContain('`tag:latency`');
    expect((await handleSubscriptionCommand('unsubscribe tag:latency', 'C1', 'U1', deps)).kind).toBe('unsubscribed');
    expect(await store.listSubscriptions('C1')).toEqual([]);
    await handleSubscriptionCommand('subscribe a.*', 'C1', 'U1', deps);
    await handleSubscriptionCommand('subscribe b.*', 'C1', 'U1', deps);
    expect(await handleSubscriptionCommand('unsubscribe all', 'C1', 'U1', deps)).toMatchObject({ removed: 2 });
  });

  it('mutes and unmutes a table by name, listing mutes with unmute buttons', async () => {
    const m = await handleSubscriptionCommand('mute game_log.session_latency_hourly', 'C1', 'U1', deps);
    expect(m).toMatchObject({ kind: 'muted', tableKey: LATENCY, changed: true });
    const list = await handleSubscriptionCommand('subscriptions', 'C1', 'U1', deps);
    const unmute = list.blocks.flatMap((b) => (b.type === 'section' && b.accessory ? [b.accessory] : []));
    expect(unmute.map((b) => [ALERT_ACTION_PATTERNS.unmuteTable.test(b.action_id), b.value])).toEqual([[true, LATENCY]]);
    expect(await handleSubscriptionCommand('unmute game_log.session_latency_hourly', 'C1', 'U1', deps)).toMatchObject({ kind: 'unmuted', changed: true });
    await expect(handleSubscriptionCommand('mute game_log.nope', 'C1', 'U1', deps)).rejects.toMatchObject({ code: 'unknown_table' });
    await expect(handleSubscriptionCommand('mute game_log.*', 'C1', 'U1', deps)).rejects.toMatchObject({ code: 'bad_table' });
  });

  it('handles the mute button, the table card’s subscribe button and the DM opt-out', async () => {
    expect(await handleMuteAction({ channel: 'C1', user: 'U1', tableKey: LATENCY }, deps)).toMatchObject({ changed: true });
    expect(await handleMuteAction({ channel: 'C1', user: 'U1', tableKey: LATENCY }, deps)).toMatchObject({ changed: false });
    expect(await handleSubscribeTableAction({ channel: 'C2', user: 'U1', tableKey: LATENCY }, deps)).toMatchObject({ kind: 'subscribed', matches: 1 });
    await handleOwnerDmOptOutAction({ user: 'U9' }, deps);
    expect(await store.ownerDmOptOuts(['U9'])).toEqual(new Set(['U9']));
    await handleSubscriptionCommand('subscribe dms', '', 'U9', deps);
    expect((await store.ownerDmOptOuts(['U9'])).size).toBe(0);
  });

  it('opens the full change list of a change set, paged', async () => {
    await store.putChangeSet({ id: 'crawl:hive:gold:c1', kind: 'crawl', createdAt: '2026-11-24T00:00:00Z', changes: [schemaChange(LATENCY, 'table_removed')] });
    const view = await loadChangeListView('crawl:hive:gold:c1', { store });
    expect(view.type).toBe('modal');
    expect(JSON.stringify(view.blocks)).toContain('session_latency_hourly');
    const paged = await loadChangeListView(JSON.stringify({ set: 'crawl:hive:gold:c1', page: 3 }), { store, graph, withContext: true });
    expect(paged.blocks.length).toBeGreaterThan(1);
    await expect(loadChangeListView('crawl:gone', { store })).rejects.toMatchObject({ code: 'expired' });
  });
});
