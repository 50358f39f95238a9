import type { AlertStore } from '../../src/ports/alert-store';
import type { SchemaChange } from '../../src/domain/model';

export interface StoreFixture {
  store: AlertStore;
  /** Lets the ledger's leases run out (a clock the adapter reads, or a real wait). */
  expireLeases(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

function sc(id: string, tableKey = 'pg://main.s/t'): SchemaChange {
  return { id, source: 'postgres:wh', crawlId: 'k1', at: '2026-11-24T00:00:00Z', tableKey, kind: 'column_added', column: id, newValue: 'int' };
}

/** The `AlertStore` contract, run against every adapter. */
export function alertStoreContract(name: string, make: () => Promise<StoreFixture>): void {
  describe(`AlertStore contract: ${name}`, () => {
    let f: StoreFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('subscribes once per (channel, pattern) and changes the mode in place', async () => {
      const at = '2026-11-24T00:00:00Z';
      expect(await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdBy: 'U1', createdAt: at })).toEqual({ status: 'created' });
      expect(await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdBy: 'U2', createdAt: at })).toEqual({ status: 'unchanged' });
      const updated = await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'daily', createdBy: 'U2', createdAt: at });
      expect(updated.status).toBe('updated');
      expect(updated.status === 'updated' && updated.previous.mode).toBe('live');
      await f.store.subscribe({ channel: 'C1', pattern: 'tag:x', mode: 'live', createdAt: at });
      await f.store.subscribe({ channel: 'C2', pattern: 'game_log.*', mode: 'live', createdAt: at });
      const c1 = await f.store.listSubscriptions('C1');
      expect(c1.map((s) => [s.pattern, s.mode, s.createdBy])).toEqual([
        ['game_log.*', 'daily', 'U1'],
        ['tag:x', 'live', undefined],
      ]);
      expect((await f.store.allSubscriptions()).length).toBe(3);
      expect(await f.store.unsubscribe('C1', 'game_log.*')).toBe(true);
      expect(await f.store.unsubscribe('C1', 'game_log.*')).toBe(false);
      expect((await f.store.listSubscriptions('C1')).map((s) => s.pattern)).toEqual(['tag:x']);
      expect(await f.store.listSubscriptions('C9')).toEqual([]);
    });

    it('keeps the language a subscription is written in; subscribing again changes it, or keeps it when given none', async () => {
      const at = '2026-11-24T00:00:00Z';
      await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: at, language: 'ko' });
      await f.store.subscribe({ channel: 'C1', pattern: 'tag:x', mode: 'live', createdAt: at });
      expect((await f.store.listSubscriptions('C1')).map((s) => [s.pattern, s.language])).toEqual([
        ['game_log.*', 'ko'],
        ['tag:x', undefined],
      ]);
      expect(await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: at, language: 'ko' })).toEqual({ status: 'unchanged' });
      expect(await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: at })).toEqual({ status: 'unchanged' });
      const changed = await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'live', createdAt: at, language: 'en' });
      expect(changed.status === 'updated' && changed.previous.language).toBe('ko');
      expect(await f.store.subscribe({ channel: 'C1', pattern: 'game_log.*', mode: 'daily', createdAt: at })).toMatchObject({ status: 'updated' });
      expect((await f.store.allSubscriptions()).map((s) => [s.pattern, s.mode, s.language])).toEqual([
        ['game_log.*', 'daily', 'en'],
        ['tag:x', 'live', undefined],
      ]);
    });

    it('mutes and unmutes tables per channel', async () => {
      expect(await f.store.mute({ channel: 'C1', tableKey: 'pg://a.b/c', mutedBy: 'U1', at: '2026-11-24T00:00:00Z' })).toBe(true);
      expect(await f.store.mute({ channel: 'C1', tableKey: 'pg://a.b/c', at: '2026-11-24T00:00:01Z' })).toBe(false);
      await f.store.mute({ channel: 'C2', tableKey: 'pg://a.b/d', at: '2026-11-24T00:00:02Z' });
      expect((await f.store.listMutes('C1')).map((m) => [m.tableKey, m.mutedBy])).toEqual([['pg://a.b/c', 'U1']]);
      expect((await f.store.allMutes()).map((m) => `${m.channel}:${m.tableKey}`).sort()).toEqual(['C1:pg://a.b/c', 'C2:pg://a.b/d']);
      expect(await f.store.unmute('C1', 'pg://a.b/c')).toBe(true);
      expect(await f.store.unmute('C1', 'pg://a.b/c')).toBe(false);
      expect(await f.store.listMutes('C1')).toEqual([]);
    });

    it('marks a channel broken once, lists it, and clears it (issue 12)', async () => {
      expect(await f.store.brokenChannels()).toEqual([]);
      expect(await f.store.markChannelBroken({ channel: 'C1', code: 'not_in_channel', since: '2026-11-24T00:00:00Z' })).toBe(true);
      expect(await f.store.markChannelBroken({ channel: 'C1', code: 'is_archived', since: '2026-11-24T00:00:05Z' })).toBe(false);
      expect(await Promise.all([f.store.markChannelBroken({ channel: 'C2', code: 'is_archived', since: '2026-11-24T00:00:01Z' }), f.store.markChannelBroken({ channel: 'C2', code: 'is_archived', since: '2026-11-24T00:00:01Z' })])).toEqual(expect.arrayContaining([true, false]));
      expect(await f.store.brokenChannels()).toEqual([
        { channel: 'C1', code: 'not_in_channel', since: '2026-11-24T00:00:00Z' },
        { channel: 'C2', code: 'is_archived', since: '2026-11-24T00:00:01Z' },
      ]);
      expect(await f.store.clearChannelBroken('C1')).toBe(true);
      expect(await f.store.clearChannelBroken('C1')).toBe(false);
      expect((await f.store.brokenChannels()).map((b) => b.channel)).toEqual(['C2']);
      expect(await f.store.markChannelBroken({ channel: 'C1', code: 'channel_not_found', since: '2026-11-24T00:01:00Z' })).toBe(true);
    });

    it('keeps owner DM opt-outs', async () => {
      await f.store.setOwnerDmOptOut('U1', true);
      await f.store.setOwnerDmOptOut('U1', true);
      await f.store.setOwnerDmOptOut('U2', true);
      await f.store.setOwnerDmOptOut('U2', false);
      expect([...(await f.store.ownerDmOptOuts(['U1', 'U2', 'U3']))]).toEqual(['U1']);
      expect((await f.store.ownerDmOptOuts([])).size).toBe(0);
    });

    it('keeps the first version of a change set', async () => {
      await f.store.putChangeSet({ id: 'crawl:x:1', kind: 'crawl', source: 'x', crawlId: '1', createdAt: '2026-11-24T00:00:00Z', changes: [sc('a')] });
      await f.store.putChangeSet({ id: 'crawl:x:1', kind: 'crawl', source: 'x', crawlId: '1', createdAt: '2026-11-24T00:00:00Z', changes: [sc('b')] });
      expect((await f.store.getChangeSet('crawl:x:1'))!.changes.map((c) => c.id)).toEqual(['a']);
      expect(await f.store.getChangeSet('nope')).toBeUndefined();
    });

    it('buffers digest changes once and seals them atomically into a batch', async () => {
      await f.store.bufferDigest('C1', [sc('a'), sc('b')]);
      await f.store.bufferDigest('C1', [sc('b'), sc('c')]);
      await f.store.bufferDigest('C2', [sc('a')]);
      expect(await f.store.digestChannels()).toEqual(['C1', 'C2']);
      const sealed = await f.store.sealDigest('C1', 'digest:C1:2026-11-24', '2026-11-24T09:00:00Z');
      expect(sealed!.changes.map((c) => c.id)).toEqual(['a', 'b', 'c']);
      expect(sealed!.kind).toBe('digest');
      expect(sealed!.channel).toBe('C1');
      expect(await f.store.digestChannels()).toEqual(['C2']);
      // sealing again returns the same batch; later changes wait for the next one
      await f.store.bufferDigest('C1', [sc('d'), sc('a')]);
      expect((await f.store.sealDigest('C1', 'digest:C1:2026-11-24', '2026-11-24T10:00:00Z'))!.changes.map((c) => c.id)).toEqual(['a', 'b', 'c']);
      expect((await f.store.getChangeSet('digest:C1:2026-11-24'))!.changes).toHaveLength(3);
      const next = await f.store.sealDigest('C1', 'digest:C1:2026-11-25', '2026-11-25T09:00:00Z');
      expect(next!.changes.map((c) => c.id)).toEqual(['d']);
      expect(await f.store.sealDigest('C3', 'digest:C3:2026-11-25', '2026-11-25T09:00:00Z')).toBeUndefined();
    });

    it('claims a delivery once, records it sent, and never sends it again', async () => {
      expect(await f.store.claimDelivery('k', 't1', 10_000)).toEqual({ status: 'claimed' });
      const busy = await f.store.claimDelivery('k', 't2', 10_000);
      expect(busy.status).toBe('busy');
      expect(busy.status === 'busy' && busy.retryInMs).toBeGreaterThan(0);
      await f.store.completeDelivery('k', 't1', { channel: 'C1', ts: '1.0001', at: '2026-11-24T00:00:00Z' });
      expect(await f.store.claimDelivery('k', 't3', 10_000)).toEqual({ status: 'sent', receipt: { channel: 'C1', ts: '1.0001', at: '2026-11-24T00:00:00Z' } });
      await f.store.releaseDelivery('k', 't1', 'not_sent');
      expect((await f.store.getDelivery('k'))!.state).toBe('sent');
    });

    it('forgets an attempt that did not send, and marks one that may have sent as uncertain', async () => {
      await f.store.claimDelivery('a', 't1', 10_000);
      await f.store.releaseDelivery('a', 't1', 'not_sent');
      expect(await f.store.getDelivery('a')).toBeUndefined();
      expect(await f.store.claimDelivery('a', 't2', 10_000)).toEqual({ status: 'claimed' });

      await f.store.claimDelivery('b', 't1', 10_000);
      await f.store.releaseDelivery('b', 'someone-else', 'not_sent');
      expect((await f.store.getDelivery('b'))!.state).toBe('sending');
      await f.store.releaseDelivery('b', 't1', 'maybe_sent');
      expect((await f.store.getDelivery('b'))!.state).toBe('uncertain');
      const again = await f.store.claimDelivery('b', 't2', 10_000);
      expect(again.status).toBe('claimed');
      expect(again.status === 'claimed' && again.uncertainSince).toBeTruthy();
    });

    it('takes over an expired lease and says the earlier attempt may have sent', async () => {
      await f.store.claimDelivery('k', 't1', 50);
      await f.expireLeases(120);
      const c = await f.store.claimDelivery('k', 't2', 10_000);
      expect(c.status).toBe('claimed');
      expect(c.status === 'claimed' && typeof c.uncertainSince).toBe('string');
      expect((await f.store.claimDelivery('k', 't3', 10_000)).status).toBe('busy');
    });

    it('gives a live lease to exactly one of many concurrent claims', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => f.store.claimDelivery('race', `t${i}`, 10_000)));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'busy')).toHaveLength(19);
    });

    it('change ledger: one owner per change, retries hold the same, lapsed claims move only by takeOver (issue 11)', async () => {
      const LEASE = 300;
      const a = await f.store.claimChanges('crawl:s:A', ['c1', 'c2', 'c2'], LEASE);
      expect(a).toEqual({ held: ['c1', 'c2'], lapsed: [] });
      expect(await f.store.claimChanges('crawl:s:A', ['c1', 'c2'], LEASE)).toEqual({ held: ['c1', 'c2'], lapsed: [] });
      expect(await f.store.claimChanges('crawl:s:B', ['c2', 'c3'], LEASE)).toEqual({ held: ['c3'], lapsed: [] });
      expect(await f.store.takeOverChanges('crawl:s:B', 'crawl:s:A', ['c2'], LEASE)).toEqual([]);
      await f.store.announceChanges('crawl:s:A', ['c1']);
      expect((await f.store.unannouncedChanges(['c1', 'c2', 'c3', 'c4'])).sort()).toEqual(['c2', 'c3', 'c4']);
      await f.expireLeases(LEASE + 200);
      const later = await f.store.claimChanges('crawl:s:C', ['c1', 'c2', 'c3', 'c5'], LEASE);
      expect(later.held).toEqual(['c5']);
      expect(later.lapsed.sort((x, y) => x.owner.localeCompare(y.owner))).toEqual([
        { owner: 'crawl:s:A', ids: ['c2'] },
        { owner: 'crawl:s:B', ids: ['c3'] },
      ]);
      expect(await f.store.takeOverChanges('crawl:s:C', 'crawl:s:A', ['c1', 'c2'], LEASE)).toEqual(['c2']);
      expect((await f.store.claimChanges('crawl:s:C', ['c2'], LEASE)).held).toEqual(['c2']);
    });

    it('change ledger: of concurrent claims on one change, one owner holds it', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => f.store.claimChanges(`crawl:s:${i}`, ['x1', 'x2'], 60_000)));
      expect(claims.filter((c) => c.held.length === 2)).toHaveLength(1);
      expect(claims.filter((c) => c.held.length === 0)).toHaveLength(19);
    });
  });
}
