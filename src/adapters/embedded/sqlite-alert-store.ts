import type Database from 'better-sqlite3';
import type { IsoTime, SchemaChange } from '../../domain/model';
import type { AlertStore, AlertStoreRecord, BrokenChannel, ChangeClaims, ChangeSet, DeliveryClaim, DeliveryMode, DeliveryReceipt, DeliveryRecord, Mute, SubscribeOutcome, ChannelSubscription } from '../../ports/alert-store';
import { openSqlite } from './sqlite';

export interface SqliteAlertStoreOptions {
  /** The database file (`$NANSEN_DATA_DIR/alerts.sqlite`), or `:memory:`. */
  path: string;
  /** Milliseconds since the epoch; tests move time. */
  now?: () => number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subscriptions (channel TEXT NOT NULL, pattern TEXT NOT NULL, mode TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL, seq INTEGER NOT NULL, language TEXT, PRIMARY KEY (channel, pattern));
CREATE TABLE IF NOT EXISTS broken_channels (channel TEXT PRIMARY KEY, code TEXT NOT NULL, since TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mutes (channel TEXT NOT NULL, table_key TEXT NOT NULL, muted_by TEXT, at TEXT NOT NULL, PRIMARY KEY (channel, table_key));
CREATE TABLE IF NOT EXISTS dm_opt_outs (user TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS change_sets (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS digest_buffer (channel TEXT NOT NULL, change_id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL, batch TEXT, added_at INTEGER NOT NULL, PRIMARY KEY (channel, change_id));
CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, started_at TEXT, lease_until INTEGER, receipt TEXT, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS change_claims (change_id TEXT PRIMARY KEY, owner TEXT NOT NULL, state TEXT NOT NULL, lease_until INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS change_sets_by_time ON change_sets(created_at);
CREATE INDEX IF NOT EXISTS deliveries_by_time ON deliveries(updated_at);
`;

interface SubRow {
  channel: string;
  pattern: string;
  mode: string;
  created_by: string | null;
  created_at: string;
  language: string | null;
}
interface DeliveryRow {
  state: string;
  token: string | null;
  started_at: string | null;
  lease_until: number | null;
  receipt: string | null;
}

/**
 * The embedded `AlertStore`: one SQLite file through better-sqlite3 (WAL, `synchronous=FULL`), so a subscription or
 * a delivery record is on disk once its promise resolves. Ledger updates run in `BEGIN IMMEDIATE` transactions,
 * so two processes sharing the file (bot and worker) serialise on it.
 */
export class SqliteAlertStore implements AlertStore {
  private db!: Database.Database;
  private readonly now: () => number;

  constructor(private readonly options: SqliteAlertStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  async init(): Promise<void> {
    if (this.db) return;
    this.db = openSqlite(this.options.path, SCHEMA);
    addLanguageColumn(this.db);
  }

  async close(): Promise<void> {
    this.db?.close();
  }

  async subscribe(sub: ChannelSubscription): Promise<SubscribeOutcome> {
    return this.db
      .transaction((): SubscribeOutcome => {
        const row = this.db.prepare('SELECT * FROM subscriptions WHERE channel = ? AND pattern = ?').get(sub.channel, sub.pattern) as SubRow | undefined;
        if (!row) {
          const seq = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM subscriptions').get() as { n: number }).n;
          this.db
            .prepare('INSERT INTO subscriptions (channel, pattern, mode, created_by, created_at, seq, language) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(sub.channel, sub.pattern, sub.mode, sub.createdBy ?? null, sub.createdAt, seq, sub.language ?? null);
          return { status: 'created' };
        }
        const language = sub.language ?? row.language;
        if (row.mode === sub.mode && row.language === language) return { status: 'unchanged' };
        this.db.prepare('UPDATE subscriptions SET mode = ?, language = ? WHERE channel = ? AND pattern = ?').run(sub.mode, language, sub.channel, sub.pattern);
        return { status: 'updated', previous: toSub(row) };
      })
      .immediate();
  }

  async unsubscribe(channel: string, pattern: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM subscriptions WHERE channel = ? AND pattern = ?').run(channel, pattern).changes > 0;
  }

  async listSubscriptions(channel: string): Promise<ChannelSubscription[]> {
    return (this.db.prepare('SELECT * FROM subscriptions WHERE channel = ? ORDER BY seq').all(channel) as SubRow[]).map(toSub);
  }

  async allSubscriptions(): Promise<ChannelSubscription[]> {
    return (this.db.prepare('SELECT * FROM subscriptions ORDER BY seq').all() as SubRow[]).map(toSub);
  }

  async markChannelBroken(b: BrokenChannel): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO broken_channels (channel, code, since) VALUES (?, ?, ?)').run(b.channel, b.code, b.since).changes > 0;
  }

  async clearChannelBroken(channel: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM broken_channels WHERE channel = ?').run(channel).changes > 0;
  }

  async brokenChannels(): Promise<BrokenChannel[]> {
    return this.db.prepare('SELECT channel, code, since FROM broken_channels ORDER BY since, channel').all() as BrokenChannel[];
  }

  async mute(mute: Mute): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO mutes (channel, table_key, muted_by, at) VALUES (?, ?, ?, ?)').run(mute.channel, mute.tableKey, mute.mutedBy ?? null, mute.at).changes > 0;
  }

  async unmute(channel: string, tableKey: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM mutes WHERE channel = ? AND table_key = ?').run(channel, tableKey).changes > 0;
  }

  async listMutes(channel: string): Promise<Mute[]> {
    return (this.db.prepare('SELECT * FROM mutes WHERE channel = ? ORDER BY at, table_key').all(channel) as MuteRow[]).map(toMute);
  }

  async allMutes(): Promise<Mute[]> {
    return (this.db.prepare('SELECT * FROM mutes ORDER BY channel, table_key').all() as MuteRow[]).map(toMute);
  }

  async setOwnerDmOptOut(slackUserId: string, optedOut: boolean): Promise<void> {
    if (optedOut) this.db.prepare('INSERT OR IGNORE INTO dm_opt_outs (user, at) VALUES (?, ?)').run(slackUserId, new Date(this.now()).toISOString());
    else this.db.prepare('DELETE FROM dm_opt_outs WHERE user = ?').run(slackUserId);
  }

  async ownerDmOptOuts(slackUserIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const get = this.db.prepare('SELECT 1 FROM dm_opt_outs WHERE user = ?');
    for (const u of new Set(slackUserIds)) if (get.get(u)) out.add(u);
    return out;
  }

  async putChangeSet(set: ChangeSet): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO change_sets (id, created_at, doc) VALUES (?, ?, ?)').run(set.id, set.createdAt, JSON.stringify(set));
  }

  async getChangeSet(id: string): Promise<ChangeSet | undefined> {
    const row = this.db.prepare('SELECT doc FROM change_sets WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as ChangeSet) : undefined;
  }

  async bufferDigest(channel: string, changes: SchemaChange[]): Promise<void> {
    const put = this.db.prepare('INSERT OR IGNORE INTO digest_buffer (channel, change_id, seq, doc, batch, added_at) VALUES (?, ?, ?, ?, NULL, ?)');
    this.db
      .transaction(() => {
        let seq = (this.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM digest_buffer').get() as { n: number }).n;
        const now = this.now();
        for (const c of changes) put.run(channel, c.id, ++seq, JSON.stringify(c), now);
      })
      .immediate();
  }

  async digestChannels(): Promise<string[]> {
    return (this.db.prepare('SELECT DISTINCT channel FROM digest_buffer WHERE batch IS NULL ORDER BY channel').all() as Array<{ channel: string }>).map((r) => r.channel);
  }

  async sealDigest(channel: string, batchId: string, at: IsoTime): Promise<ChangeSet | undefined> {
    return this.db
      .transaction((): ChangeSet | undefined => {
        const existing = this.db.prepare('SELECT doc FROM change_sets WHERE id = ?').get(batchId) as { doc: string } | undefined;
        if (existing) return JSON.parse(existing.doc) as ChangeSet;
        const rows = this.db.prepare('SELECT doc FROM digest_buffer WHERE channel = ? AND batch IS NULL ORDER BY seq').all(channel) as Array<{ doc: string }>;
        if (!rows.length) return undefined;
        const set: ChangeSet = { id: batchId, kind: 'digest', channel, createdAt: at, changes: rows.map((r) => JSON.parse(r.doc) as SchemaChange) };
        this.db.prepare('INSERT INTO change_sets (id, created_at, doc) VALUES (?, ?, ?)').run(set.id, set.createdAt, JSON.stringify(set));
        this.db.prepare('UPDATE digest_buffer SET batch = ? WHERE channel = ? AND batch IS NULL').run(batchId, channel);
        return set;
      })
      .immediate();
  }

  async claimDelivery(key: string, token: string, leaseMs: number): Promise<DeliveryClaim> {
    return this.db
      .transaction((): DeliveryClaim => {
        const now = this.now();
        const row = this.db.prepare('SELECT state, token, started_at, lease_until, receipt FROM deliveries WHERE key = ?').get(key) as DeliveryRow | undefined;
        const startedAt = new Date(now).toISOString();
        const write = this.db.prepare(
          "INSERT INTO deliveries (key, state, token, started_at, lease_until, receipt, updated_at) VALUES (?, 'sending', ?, ?, ?, NULL, ?) ON CONFLICT(key) DO UPDATE SET state = 'sending', token = excluded.token, started_at = excluded.started_at, lease_until = excluded.lease_until, receipt = NULL, updated_at = excluded.updated_at",
        );
        if (!row) {
          write.run(key, token, startedAt, now + leaseMs, now);
          return { status: 'claimed' };
        }
        if (row.state === 'sent') return { status: 'sent', receipt: JSON.parse(row.receipt!) as DeliveryReceipt };
        if (row.state === 'sending' && row.token !== token && (row.lease_until ?? 0) > now) return { status: 'busy', retryInMs: (row.lease_until ?? now) - now };
        write.run(key, token, startedAt, now + leaseMs, now);
        return { status: 'claimed', uncertainSince: row.started_at ?? startedAt };
      })
      .immediate();
  }

  async completeDelivery(key: string, token: string, receipt: DeliveryReceipt): Promise<void> {
    void token;
    this.db
      .prepare(
        "INSERT INTO deliveries (key, state, token, started_at, lease_until, receipt, updated_at) VALUES (?, 'sent', NULL, NULL, NULL, ?, ?) ON CONFLICT(key) DO UPDATE SET state = 'sent', token = NULL, lease_until = NULL, receipt = excluded.receipt, updated_at = excluded.updated_at",
      )
      .run(key, JSON.stringify(receipt), this.now());
  }

  async releaseDelivery(key: string, token: string, outcome: 'not_sent' | 'maybe_sent'): Promise<void> {
    if (outcome === 'not_sent') this.db.prepare("DELETE FROM deliveries WHERE key = ? AND token = ? AND state <> 'sent'").run(key, token);
    else this.db.prepare("UPDATE deliveries SET state = 'uncertain', lease_until = NULL, updated_at = ? WHERE key = ? AND token = ? AND state <> 'sent'").run(this.now(), key, token);
  }

  async getDelivery(key: string): Promise<DeliveryRecord | undefined> {
    return this.readDelivery(key);
  }

  private readDelivery(key: string): DeliveryRecord | undefined {
    const row = this.db.prepare('SELECT state, token, started_at, lease_until, receipt FROM deliveries WHERE key = ?').get(key) as DeliveryRow | undefined;
    if (!row) return undefined;
    if (row.state === 'sent') return { state: 'sent', receipt: JSON.parse(row.receipt!) as DeliveryReceipt };
    if (row.state === 'uncertain') return { state: 'uncertain', token: row.token ?? '', startedAt: row.started_at ?? '' };
    return { state: 'sending', token: row.token ?? '', startedAt: row.started_at ?? '', leaseUntil: row.lease_until ?? 0 };
  }

  async claimChanges(owner: string, ids: readonly string[], leaseMs: number): Promise<ChangeClaims> {
    return this.db
      .transaction((): ChangeClaims => {
        const now = this.now();
        const read = this.db.prepare('SELECT owner, state, lease_until FROM change_claims WHERE change_id = ?');
        const write = this.db.prepare("INSERT INTO change_claims (change_id, owner, state, lease_until, updated_at) VALUES (?, ?, 'claimed', ?, ?)");
        const held: string[] = [];
        const lapsed = new Map<string, string[]>();
        for (const id of new Set(ids)) {
          const row = read.get(id) as { owner: string; state: string; lease_until: number } | undefined;
          if (!row) {
            write.run(id, owner, now + leaseMs, now);
            held.push(id);
          } else if (row.owner === owner) held.push(id);
          else if (row.state === 'claimed' && row.lease_until <= now) lapsed.set(row.owner, [...(lapsed.get(row.owner) ?? []), id]);
        }
        return { held, lapsed: [...lapsed].map(([o, list]) => ({ owner: o, ids: list })) };
      })
      .immediate();
  }

  async takeOverChanges(owner: string, from: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
    return this.db
      .transaction((): string[] => {
        const now = this.now();
        const move = this.db.prepare("UPDATE change_claims SET owner = ?, lease_until = ?, updated_at = ? WHERE change_id = ? AND owner = ? AND state = 'claimed' AND lease_until <= ?");
        return [...new Set(ids)].filter((id) => move.run(owner, now + leaseMs, now, id, from, now).changes > 0);
      })
      .immediate();
  }

  async announceChanges(owner: string, ids: readonly string[]): Promise<void> {
    const now = this.now();
    const st = this.db.prepare("UPDATE change_claims SET state = 'announced', updated_at = ? WHERE change_id = ? AND owner = ?");
    this.db.transaction(() => {
      for (const id of ids) st.run(now, id, owner);
    })();
  }

  async unannouncedChanges(ids: readonly string[]): Promise<string[]> {
    const st = this.db.prepare("SELECT 1 FROM change_claims WHERE change_id = ? AND state = 'announced'");
    return [...new Set(ids)].filter((id) => !st.get(id));
  }

  /**
   * Every row the file keeps, for the move to the shared store: subscriptions (oldest first), broken channels,
   * mutes, DM opt-outs, change sets, the digest buffer (in buffer order, sealed rows too), deliveries and change
   * claims.
   */
  exportRecords(): AlertStoreRecord[] {
    const out: AlertStoreRecord[] = [];
    for (const r of this.db.prepare('SELECT * FROM subscriptions ORDER BY seq').all() as SubRow[]) out.push({ kind: 'subscription', subscription: toSub(r) });
    for (const b of this.db.prepare('SELECT channel, code, since FROM broken_channels ORDER BY since, channel').all() as BrokenChannel[]) out.push({ kind: 'broken_channel', broken: b });
    for (const m of this.db.prepare('SELECT * FROM mutes ORDER BY at, channel, table_key').all() as MuteRow[]) out.push({ kind: 'mute', mute: toMute(m) });
    for (const o of this.db.prepare('SELECT user, at FROM dm_opt_outs ORDER BY at, user').all() as Array<{ user: string; at: string }>) out.push({ kind: 'dm_opt_out', user: o.user, at: o.at });
    for (const c of this.db.prepare('SELECT doc FROM change_sets ORDER BY created_at, id').all() as Array<{ doc: string }>) out.push({ kind: 'change_set', set: JSON.parse(c.doc) as ChangeSet });
    for (const d of this.db.prepare('SELECT channel, doc, batch FROM digest_buffer ORDER BY seq').all() as Array<{ channel: string; doc: string; batch: string | null }>)
      out.push({ kind: 'digest', channel: d.channel, change: JSON.parse(d.doc) as SchemaChange, ...(d.batch ? { sealedIn: d.batch } : {}) });
    for (const k of this.db.prepare('SELECT key FROM deliveries ORDER BY updated_at, key').all() as Array<{ key: string }>) {
      const record = this.readDelivery(k.key);
      if (record) out.push({ kind: 'delivery', key: k.key, record });
    }
    for (const c of this.db.prepare('SELECT change_id, owner, state, lease_until FROM change_claims ORDER BY updated_at, change_id').all() as Array<{ change_id: string; owner: string; state: string; lease_until: number }>)
      out.push({ kind: 'change_claim', changeId: c.change_id, owner: c.owner, state: c.state === 'announced' ? 'announced' : 'claimed', leaseUntil: c.lease_until });
    return out;
  }

  async prune(before: IsoTime): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM change_claims WHERE updated_at < ?').run(Date.parse(before));
      this.db.prepare('DELETE FROM change_sets WHERE created_at < ?').run(before);
      this.db.prepare('DELETE FROM deliveries WHERE updated_at < ?').run(Date.parse(before));
      this.db.prepare('DELETE FROM digest_buffer WHERE batch IS NOT NULL AND added_at < ?').run(Date.parse(before));
    })();
  }
}

interface MuteRow {
  channel: string;
  table_key: string;
  muted_by: string | null;
  at: string;
}

function toSub(r: SubRow): ChannelSubscription {
  const language = r.language === 'en' || r.language === 'ko' ? r.language : undefined;
  return { channel: r.channel, pattern: r.pattern, mode: r.mode as DeliveryMode, ...(r.created_by ? { createdBy: r.created_by } : {}), createdAt: r.created_at, ...(language ? { language } : {}) };
}

/**
 * Files written before subscriptions kept a language get the column, empty: their subscriptions keep everything
 * they had and are delivered in `NANSEN_LANGUAGE`. In one immediate transaction, so the bot and the worker
 * opening the same old file do not both add it.
 */
function addLanguageColumn(db: Database.Database): void {
  db.transaction(() => {
    const columns = db.prepare('PRAGMA table_info(subscriptions)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'language')) db.exec('ALTER TABLE subscriptions ADD COLUMN language TEXT');
  }).immediate();
}

function toMute(r: MuteRow): Mute {
  return { channel: r.channel, tableKey: r.table_key, ...(r.muted_by ? { mutedBy: r.muted_by } : {}), at: r.at };
}
