import { Redis, type RedisOptions } from 'ioredis';
import type { IsoTime, SchemaChange } from '../../domain/model';
import type { AlertStore, AlertStoreRecord, BrokenChannel, ChangeClaims, ChangeSet, DeliveryClaim, DeliveryMode, DeliveryReceipt, DeliveryRecord, Mute, SubscribeOutcome, ChannelSubscription } from '../../ports/alert-store';

export interface RedisAlertStoreOptions {
  /** `redis://...`, or an open client the caller owns (it is not closed by `close`). */
  url?: string;
  client?: Redis;
  redisOptions?: RedisOptions;
  /** Key prefix (default `nansen:alerts`); tests pass a unique one. */
  prefix?: string;
  /** How long change sets and delivery records are kept (default 30 days). */
  retentionSeconds?: number;
}

// KEYS: the channel's subscriptions, sub-channels. ARGV: pattern, mode, doc, channel, language ('' keeps the stored one).
const SUBSCRIBE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[4])
  return {'created'}
end
local old = cjson.decode(cur)
local language = old['language']
if ARGV[5] ~= '' then language = ARGV[5] end
if old['mode'] == ARGV[2] and old['language'] == language then return {'unchanged'} end
old['mode'] = ARGV[2]
old['language'] = language
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(old))
return {'updated', cur}
`;

const HASH_DEL = `
local n = redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return n
`;

// KEYS: seen hash, list, channels set. ARGV: channel, id/doc pairs, seconds to remember seen ids.
const BUFFER = `
local added = 0
for i = 2, #ARGV - 1, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], '1') == 1 then
    redis.call('RPUSH', KEYS[2], ARGV[i + 1])
    added = added + 1
  end
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[#ARGV]))
if added > 0 then redis.call('SADD', KEYS[3], ARGV[1]) end
return added
`;

// KEYS: seen hash, list, channels set, change set key. ARGV: channel, json head (up to `"changes":`), ttl seconds.
const SEAL = `
local existing = redis.call('GET', KEYS[4])
if existing then return existing end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
if #items == 0 then
  redis.call('SREM', KEYS[3], ARGV[1])
  return false
end
local doc = ARGV[2] .. '[' .. table.concat(items, ',') .. ']}'
redis.call('SET', KEYS[4], doc, 'EX', tonumber(ARGV[3]))
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return doc
`;

// KEYS: delivery hash. ARGV: token, leaseMs, ttl seconds. Time is Redis's own, so workers on several hosts agree.
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' then return {'sent', redis.call('HGET', KEYS[1], 'receipt')} end
local prevStarted = redis.call('HGET', KEYS[1], 'startedAt')
if state == 'sending' then
  local lease = tonumber(redis.call('HGET', KEYS[1], 'leaseUntil') or '0')
  local holder = redis.call('HGET', KEYS[1], 'token')
  if holder ~= ARGV[1] and lease > now then return {'busy', tostring(lease - now)} end
end
redis.call('HSET', KEYS[1], 'state', 'sending', 'token', ARGV[1], 'startedAt', tostring(now), 'leaseUntil', tostring(now + tonumber(ARGV[2])))
redis.call('HDEL', KEYS[1], 'receipt')
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
if state then return {'claimed', prevStarted or tostring(now)} end
return {'claimed'}
`;

// KEYS: one claim hash per change. ARGV: owner, leaseMs, ttl seconds. Returns, per key, '' (not ours, live),
// '=' (held by ARGV[1]) or the owner of a lapsed claim.
const CLAIM_CHANGES = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('HGET', key, 'owner')
  if not owner then
    redis.call('HSET', key, 'owner', ARGV[1], 'state', 'claimed', 'leaseUntil', tostring(now + tonumber(ARGV[2])))
    redis.call('EXPIRE', key, tonumber(ARGV[3]))
    out[i] = '='
  elseif owner == ARGV[1] then
    out[i] = '='
  elseif redis.call('HGET', key, 'state') == 'claimed' and tonumber(redis.call('HGET', key, 'leaseUntil') or '0') <= now then
    out[i] = owner
  else
    out[i] = ''
  end
end
return out
`;

// KEYS: claim hashes. ARGV: new owner, old owner, leaseMs. Returns the indexes (1-based) moved.
const TAKE_OVER = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local moved = {}
for i, key in ipairs(KEYS) do
  if redis.call('HGET', key, 'owner') == ARGV[2] and redis.call('HGET', key, 'state') == 'claimed' and tonumber(redis.call('HGET', key, 'leaseUntil') or '0') <= now then
    redis.call('HSET', key, 'owner', ARGV[1], 'leaseUntil', tostring(now + tonumber(ARGV[3])))
    moved[#moved + 1] = i
  end
end
return moved
`;

// KEYS: claim hashes. ARGV: owner.
const ANNOUNCE_CHANGES = `
for _, key in ipairs(KEYS) do
  if redis.call('HGET', key, 'owner') == ARGV[1] then redis.call('HSET', key, 'state', 'announced') end
end
return 1
`;

const RELEASE = `
if redis.call('HGET', KEYS[1], 'state') == 'sent' then return 0 end
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
if ARGV[2] == 'not_sent' then return redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], 'state', 'uncertain')
redis.call('HDEL', KEYS[1], 'leaseUntil')
return 1
`;

// The scripts below import one record of a local store (`importRecord`): each is atomic, writes only what the
// shared store does not know yet, and returns 1 when it wrote. Run again, they write nothing.

// KEYS: the channel's subscriptions, sub-channels, seq. ARGV: pattern, channel, doc without its closing brace.
const IMPORT_SUBSCRIPTION = `
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local seq = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ',"seq":' .. seq .. '}')
return 1
`;

// KEYS: the channel's mutes, mute-channels. ARGV: table key, channel, doc.
const IMPORT_MUTE = `
redis.call('SADD', KEYS[2], ARGV[2])
return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3])
`;

// KEYS: seen hash, list, digest-channels. ARGV: channel, change id, doc, '1' when sealed already, ttl seconds.
const IMPORT_DIGEST = `
if redis.call('HSETNX', KEYS[1], ARGV[2], '1') == 0 then return 0 end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
if ARGV[4] == '0' then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[1])
end
return 1
`;

// KEYS: delivery hash. ARGV: state, token, startedAt (ms), leaseUntil, receipt, ttl seconds. 'sent' is final on
// either side: a local 'sent' replaces an attempt Redis holds, nothing replaces Redis's 'sent'.
const IMPORT_DELIVERY = `
local cur = redis.call('HGET', KEYS[1], 'state')
if cur == 'sent' or (cur and ARGV[1] ~= 'sent') then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[1] == 'sent' then
  redis.call('HSET', KEYS[1], 'state', 'sent', 'receipt', ARGV[5])
else
  redis.call('HSET', KEYS[1], 'state', ARGV[1], 'token', ARGV[2], 'startedAt', ARGV[3])
  if ARGV[1] == 'sending' then redis.call('HSET', KEYS[1], 'leaseUntil', ARGV[4]) end
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
return 1
`;

// KEYS: claim hash. ARGV: owner, state, leaseUntil, ttl seconds. 'announced' is final: a change announced
// locally is announced in Redis too, whoever claims it there.
const IMPORT_CLAIM = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner then
  if ARGV[2] == 'announced' and redis.call('HGET', KEYS[1], 'state') ~= 'announced' then
    redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', 'announced')
    return 1
  end
  return 0
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', ARGV[2], 'leaseUntil', ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
`;

/**
 * The `AlertStore` on Redis, for deployments that run workers on several hosts. Every multi-key update is one
 * Lua script, so it is atomic; the delivery ledger's leases use Redis's clock. Change sets and delivery records
 * expire after the retention period; subscriptions, mutes and opt-outs never expire. Durability is Redis's own
 * (run it with AOF `appendfsync everysec` or stricter).
 */
export class RedisAlertStore implements AlertStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly p: string;
  private readonly ttl: number;

  constructor(options: RedisAlertStoreOptions) {
    if (options.client) {
      this.redis = options.client;
      this.owned = false;
    } else {
      if (!options.url) throw new Error('RedisAlertStore needs a url or a client');
      this.redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3, ...options.redisOptions });
      this.owned = true;
    }
    this.p = options.prefix ?? 'nansen:alerts';
    this.ttl = options.retentionSeconds ?? 30 * 24 * 3600;
  }

  async init(): Promise<void> {
    if (this.owned && this.redis.status === 'wait') await this.redis.connect();
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private k(...parts: string[]): string {
    return [this.p, ...parts].join(':');
  }

  async subscribe(sub: ChannelSubscription): Promise<SubscribeOutcome> {
    const seq = await this.redis.incr(this.k('seq'));
    const doc = JSON.stringify({ ...sub, seq });
    const r = (await this.redis.eval(SUBSCRIBE, 2, this.k('subs', sub.channel), this.k('sub-channels'), sub.pattern, sub.mode, doc, sub.channel, sub.language ?? '')) as string[];
    if (r[0] === 'created') return { status: 'created' };
    if (r[0] === 'unchanged') return { status: 'unchanged' };
    return { status: 'updated', previous: stripSeq(JSON.parse(r[1]!) as ChannelSubscription & { seq?: number }) };
  }

  async unsubscribe(channel: string, pattern: string): Promise<boolean> {
    return Number(await this.redis.eval(HASH_DEL, 2, this.k('subs', channel), this.k('sub-channels'), pattern, channel)) > 0;
  }

  async listSubscriptions(channel: string): Promise<ChannelSubscription[]> {
    return sortSubs(Object.values(await this.redis.hgetall(this.k('subs', channel))));
  }

  async markChannelBroken(b: BrokenChannel): Promise<boolean> {
    return (await this.redis.hsetnx(this.k('broken-channels'), b.channel, JSON.stringify(b))) === 1;
  }

  async clearChannelBroken(channel: string): Promise<boolean> {
    return (await this.redis.hdel(this.k('broken-channels'), channel)) > 0;
  }

  async brokenChannels(): Promise<BrokenChannel[]> {
    const docs = Object.values(await this.redis.hgetall(this.k('broken-channels'))).map((d) => JSON.parse(d) as BrokenChannel);
    return docs.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.channel < b.channel ? -1 : 1));
  }

  async allSubscriptions(): Promise<ChannelSubscription[]> {
    const channels = await this.redis.smembers(this.k('sub-channels'));
    if (!channels.length) return [];
    const pipe = this.redis.pipeline();
    for (const c of channels) pipe.hgetall(this.k('subs', c));
    const results = (await pipe.exec()) ?? [];
    return sortSubs(results.flatMap(([err, v]) => (err ? [] : Object.values(v as Record<string, string>))));
  }

  async mute(mute: Mute): Promise<boolean> {
    const added = await this.redis.hsetnx(this.k('mutes', mute.channel), mute.tableKey, JSON.stringify(mute));
    await this.redis.sadd(this.k('mute-channels'), mute.channel);
    return added === 1;
  }

  async unmute(channel: string, tableKey: string): Promise<boolean> {
    return Number(await this.redis.eval(HASH_DEL, 2, this.k('mutes', channel), this.k('mute-channels'), tableKey, channel)) > 0;
  }

  async listMutes(channel: string): Promise<Mute[]> {
    return sortMutes(Object.values(await this.redis.hgetall(this.k('mutes', channel))));
  }

  async allMutes(): Promise<Mute[]> {
    const channels = await this.redis.smembers(this.k('mute-channels'));
    if (!channels.length) return [];
    const pipe = this.redis.pipeline();
    for (const c of channels) pipe.hgetall(this.k('mutes', c));
    const results = (await pipe.exec()) ?? [];
    return sortMutes(results.flatMap(([err, v]) => (err ? [] : Object.values(v as Record<string, string>))));
  }

  async setOwnerDmOptOut(slackUserId: string, optedOut: boolean): Promise<void> {
    if (optedOut) await this.redis.hsetnx(this.k('dm-opt-outs'), slackUserId, new Date().toISOString());
    else await this.redis.hdel(this.k('dm-opt-outs'), slackUserId);
  }

  async ownerDmOptOuts(slackUserIds: string[]): Promise<Set<string>> {
    const ids = [...new Set(slackUserIds)];
    if (!ids.length) return new Set();
    const values = await this.redis.hmget(this.k('dm-opt-outs'), ...ids);
    return new Set(ids.filter((_, i) => values[i] !== null));
  }

  async putChangeSet(set: ChangeSet): Promise<void> {
    await this.redis.set(this.k('cs', set.id), JSON.stringify(set), 'EX', this.ttl, 'NX');
  }

  async getChangeSet(id: string): Promise<ChangeSet | undefined> {
    const doc = await this.redis.get(this.k('cs', id));
    return doc ? (JSON.parse(doc) as ChangeSet) : undefined;
  }

  async bufferDigest(channel: string, changes: SchemaChange[]): Promise<void> {
    if (!changes.length) return;
    const args = changes.flatMap((c) => [c.id, JSON.stringify(c)]);
    await this.redis.eval(BUFFER, 3, this.k('digest-seen', channel), this.k('digest', channel), this.k('digest-channels'), channel, ...args, String(this.ttl));
  }

  async digestChannels(): Promise<string[]> {
    return (await this.redis.smembers(this.k('digest-channels'))).sort();
  }

  async sealDigest(channel: string, batchId: string, at: IsoTime): Promise<ChangeSet | undefined> {
    const head: Omit<ChangeSet, 'changes'> = { id: batchId, kind: 'digest', channel, createdAt: at };
    const json = JSON.stringify(head);
    const prefix = `${json.slice(0, -1)},"changes":`;
    const doc = (await this.redis.eval(SEAL, 4, this.k('digest-seen', channel), this.k('digest', channel), this.k('digest-channels'), this.k('cs', batchId), channel, prefix, String(this.ttl))) as string | null;
    return doc ? (JSON.parse(doc) as ChangeSet) : undefined;
  }

  async claimDelivery(key: string, token: string, leaseMs: number): Promise<DeliveryClaim> {
    const r = (await this.redis.eval(CLAIM, 1, this.k('dlv', key), token, String(Math.max(1, Math.round(leaseMs))), String(this.ttl))) as string[];
    if (r[0] === 'sent') return { status: 'sent', receipt: JSON.parse(r[1]!) as DeliveryReceipt };
    if (r[0] === 'busy') return { status: 'busy', retryInMs: Number(r[1]) };
    return r[1] ? { status: 'claimed', uncertainSince: new Date(Number(r[1])).toISOString() } : { status: 'claimed' };
  }

  async completeDelivery(key: string, token: string, receipt: DeliveryReceipt): Promise<void> {
    void token;
    const k = this.k('dlv', key);
    await this.redis.multi().del(k).hset(k, 'state', 'sent', 'receipt', JSON.stringify(receipt)).expire(k, this.ttl).exec();
  }

  async releaseDelivery(key: string, token: string, outcome: 'not_sent' | 'maybe_sent'): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.k('dlv', key), token, outcome);
  }

  async getDelivery(key: string): Promise<DeliveryRecord | undefined> {
    const h = await this.redis.hgetall(this.k('dlv', key));
    if (!h.state) return undefined;
    const startedAt = h.startedAt ? new Date(Number(h.startedAt)).toISOString() : '';
    if (h.state === 'sent') return { state: 'sent', receipt: JSON.parse(h.receipt ?? '{}') as DeliveryReceipt };
    if (h.state === 'uncertain') return { state: 'uncertain', token: h.token ?? '', startedAt };
    return { state: 'sending', token: h.token ?? '', startedAt, leaseUntil: Number(h.leaseUntil ?? 0) };
  }

  /** Change sets and delivery records expire on their own; nothing else ages. */
  async claimChanges(owner: string, ids: readonly string[], leaseMs: number): Promise<ChangeClaims> {
    const unique = [...new Set(ids)];
    const held: string[] = [];
    const lapsed = new Map<string, string[]>();
    for (let i = 0; i < unique.length; i += 500) {
      const batch = unique.slice(i, i + 500);
      const r = (await this.redis.eval(CLAIM_CHANGES, batch.length, ...batch.map((id) => this.k('chg', id)), owner, String(Math.max(1, Math.round(leaseMs))), String(this.ttl))) as string[];
      r.forEach((x, j) => {
        if (x === '=') held.push(batch[j]!);
        else if (x) lapsed.set(x, [...(lapsed.get(x) ?? []), batch[j]!]);
      });
    }
    return { held, lapsed: [...lapsed].map(([o, list]) => ({ owner: o, ids: list })) };
  }

  async takeOverChanges(owner: string, from: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
    const unique = [...new Set(ids)];
    const moved: string[] = [];
    for (let i = 0; i < unique.length; i += 500) {
      const batch = unique.slice(i, i + 500);
      const r = (await this.redis.eval(TAKE_OVER, batch.length, ...batch.map((id) => this.k('chg', id)), owner, from, String(Math.max(1, Math.round(leaseMs))))) as number[];
      for (const n of r) moved.push(batch[n - 1]!);
    }
    return moved;
  }

  async announceChanges(owner: string, ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const batch = unique.slice(i, i + 500);
      await this.redis.eval(ANNOUNCE_CHANGES, batch.length, ...batch.map((id) => this.k('chg', id)), owner);
    }
  }

  async unannouncedChanges(ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const out: string[] = [];
    for (let i = 0; i < unique.length; i += 500) {
      const batch = unique.slice(i, i + 500);
      const pipe = this.redis.pipeline();
      for (const id of batch) pipe.hget(this.k('chg', id), 'state');
      const states = (await pipe.exec()) ?? [];
      batch.forEach((id, j) => {
        const [err, state] = states[j] ?? [null, null];
        if (err) throw err;
        if (state !== 'announced') out.push(id);
      });
    }
    return out;
  }

  async prune(_before: IsoTime): Promise<void> {}

  /**
   * Writes one record of a local alert store (`SqliteAlertStore.exportRecords`) unless this store knows it
   * already; true when it wrote. Atomic per record and idempotent, so an interrupted move can simply run again.
   * Subscriptions are numbered after the ones Redis has, in the order they are imported.
   */
  async importRecord(rec: AlertStoreRecord): Promise<boolean> {
    switch (rec.kind) {
      case 'subscription': {
        const sub = rec.subscription;
        const doc = JSON.stringify(sub).slice(0, -1);
        return Number(await this.redis.eval(IMPORT_SUBSCRIPTION, 3, this.k('subs', sub.channel), this.k('sub-channels'), this.k('seq'), sub.pattern, sub.channel, doc)) === 1;
      }
      case 'broken_channel':
        return this.markChannelBroken(rec.broken);
      case 'mute':
        return Number(await this.redis.eval(IMPORT_MUTE, 2, this.k('mutes', rec.mute.channel), this.k('mute-channels'), rec.mute.tableKey, rec.mute.channel, JSON.stringify(rec.mute))) === 1;
      case 'dm_opt_out':
        return (await this.redis.hsetnx(this.k('dm-opt-outs'), rec.user, rec.at)) === 1;
      case 'change_set':
        return (await this.redis.set(this.k('cs', rec.set.id), JSON.stringify(rec.set), 'EX', this.ttl, 'NX')) === 'OK';
      case 'digest':
        return (
          Number(
            await this.redis.eval(IMPORT_DIGEST, 3, this.k('digest-seen', rec.channel), this.k('digest', rec.channel), this.k('digest-channels'), rec.channel, rec.change.id, JSON.stringify(rec.change), rec.sealedIn ? '1' : '0', String(this.ttl)),
          ) === 1
        );
      case 'delivery': {
        const r = rec.record;
        const started = r.state === 'sent' ? '' : String(Date.parse(r.startedAt) || 0);
        const args = r.state === 'sent' ? ['sent', '', '', '', JSON.stringify(r.receipt)] : [r.state, r.token, started, r.state === 'sending' ? String(r.leaseUntil) : '', ''];
        return Number(await this.redis.eval(IMPORT_DELIVERY, 1, this.k('dlv', rec.key), ...args, String(this.ttl))) === 1;
      }
      case 'change_claim':
        return Number(await this.redis.eval(IMPORT_CLAIM, 1, this.k('chg', rec.changeId), rec.owner, rec.state, String(rec.leaseUntil), String(this.ttl))) === 1;
    }
  }

  /** Deletes every key under the prefix (tests). */
  async destroy(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.p}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.del(...keys);
    } while (cursor !== '0');
  }
}

function stripSeq(s: ChannelSubscription & { seq?: number }): ChannelSubscription {
  const { seq: _seq, ...rest } = s;
  return { ...rest, mode: rest.mode as DeliveryMode };
}

function sortSubs(docs: string[]): ChannelSubscription[] {
  return docs
    .map((d) => JSON.parse(d) as ChannelSubscription & { seq?: number })
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
    .map(stripSeq);
}

function sortMutes(docs: string[]): Mute[] {
  return docs.map((d) => JSON.parse(d) as Mute).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.tableKey < b.tableKey ? -1 : 1));
}
