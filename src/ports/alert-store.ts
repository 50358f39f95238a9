import type { IsoTime, SchemaChange } from '../domain/model';

/** How a channel hears about changes: a message per crawl, or one digest a day. */
export type DeliveryMode = 'live' | 'daily';

/** A channel's subscription to a pattern (`game_log.*`, `tag:latency`, a table key). */
export interface ChannelSubscription {
  /** Slack channel id. */
  channel: string;
  /** The pattern's normalised text (`parsePattern(...).text`). */
  pattern: string;
  mode: DeliveryMode;
  /** Slack user id of who subscribed. */
  createdBy?: string;
  createdAt: IsoTime;
  /**
   * The language its alerts are written in (a `Lang` of src/text/catalogue): the subscriber's when they ran
   * `/data subscribe`. Subscriptions made before languages were kept have none and get `NANSEN_LANGUAGE`.
   */
  language?: SubscriptionLanguage;
}

/** The languages alerts are written in. */
export type SubscriptionLanguage = 'en' | 'ko';

/**
 * A channel Slack refused an alert for, for good (`not_in_channel`, `channel_not_found`, `is_archived`): its
 * subscriptions are broken until someone subscribes there again (which first checks that Nansen is a member).
 */
export interface BrokenChannel {
  channel: string;
  /** Slack's error code. */
  code: string;
  since: IsoTime;
}

/** A table a channel does not want to hear about, whatever its subscriptions match. */
export interface Mute {
  channel: string;
  tableKey: string;
  mutedBy?: string;
  at: IsoTime;
}

/**
 * The changes one message announces: a crawl's (`crawl:<source>:<crawlId>`) or one channel's daily digest
 * (`digest:<channel>:<date>`). Kept for a while so "show all changes" can list what a summary left out.
 */
export interface ChangeSet {
  id: string;
  kind: 'crawl' | 'digest';
  source?: string;
  crawlId?: string;
  /** The channel a digest belongs to. */
  channel?: string;
  createdAt: IsoTime;
  changes: SchemaChange[];
}

/** Where Slack put a message. */
export interface DeliveryReceipt {
  /** The channel id Slack answered with (a `D...` id for a direct message). */
  channel: string;
  ts: string;
  at: IsoTime;
}

/** A delivery's record in the ledger. */
export type DeliveryRecord =
  | { state: 'sending'; token: string; startedAt: IsoTime; leaseUntil: number }
  /** An attempt failed in a way that leaves it unknown whether Slack posted the message. */
  | { state: 'uncertain'; token: string; startedAt: IsoTime }
  | { state: 'sent'; receipt: DeliveryReceipt };

/**
 * The answer to "may I send this message now?":
 * - `claimed`: this attempt owns the delivery until its lease runs out; `uncertainSince` is set when an earlier
 *   attempt started sending at that time and never recorded the outcome (it crashed, or the request failed
 *   ambiguously), so the message may already be in the channel;
 * - `sent`: it was delivered already; do nothing;
 * - `busy`: another attempt holds a live lease; try again after `retryInMs`.
 */
export type DeliveryClaim = { status: 'claimed'; uncertainSince?: IsoTime } | { status: 'sent'; receipt: DeliveryReceipt } | { status: 'busy'; retryInMs: number };

/** What `claimChanges` found. */
export interface ChangeClaims {
  held: string[];
  lapsed: Array<{ owner: string; ids: string[] }>;
}

/**
 * One row of an alert store as it is moved from the local file to the shared store (`nansen migrate-state`):
 * everything the store keeps, in the form the port's callers see it. A sealed digest row (`sealedIn`) is kept
 * only so the same change is not buffered again.
 */
export type AlertStoreRecord =
  | { kind: 'subscription'; subscription: ChannelSubscription }
  | { kind: 'broken_channel'; broken: BrokenChannel }
  | { kind: 'mute'; mute: Mute }
  | { kind: 'dm_opt_out'; user: string; at: IsoTime }
  | { kind: 'change_set'; set: ChangeSet }
  | { kind: 'digest'; channel: string; change: SchemaChange; sealedIn?: string }
  | { kind: 'delivery'; key: string; record: DeliveryRecord }
  | { kind: 'change_claim'; changeId: string; owner: string; state: 'claimed' | 'announced'; leaseUntil: number };

/** What `subscribe` did. */
export type SubscribeOutcome = { status: 'created' } | { status: 'unchanged' } | { status: 'updated'; previous: ChannelSubscription };

/**
 * Storage of schema-change alerts: subscriptions, mutes, owner-DM opt-outs, the daily digest buffer, change sets
 * and the delivery ledger that makes each message go out once.
 *
 * Contract (`test/alerts/alert-store.contract.ts`, run against every adapter):
 * - writes are durable once their promise resolves;
 * - `subscribe` is keyed by (channel, pattern): subscribing again changes the mode and (when given) the language,
 *   never adds a second row; a subscription read back has the language it was written with, or none;
 * - `putChangeSet` keeps the first version written under an id (a retried plan cannot change what was announced);
 * - `bufferDigest` is idempotent by change id per channel; `sealDigest` moves the channel's whole buffer into a
 *   digest change set atomically, and called again with the same batch id returns that same set (changes buffered
 *   after sealing wait for the next batch);
 * - the delivery ledger is linearizable per key: of concurrent `claimDelivery` calls at most one gets `claimed`
 *   while a lease is live; an expired `sending` lease is taken over and reported with `uncertainSince`;
 *   `completeDelivery` is final (`sent` is never taken back); `releaseDelivery(…, 'not_sent')` by the lease's
 *   holder forgets the attempt, `'maybe_sent'` leaves it `uncertain`;
 * - the change ledger is keyed on the schema change itself (its id: content plus the snapshot it was seen
 *   against, so a re-run crawl and an overlapping crawl of the same state give a change the same id): of any
 *   number of `claimChanges` calls, concurrent or not, an id is held by one owner only; a claim whose lease
 *   passed without `announceChanges` is reported as lapsed (with its owner) and moves only through
 *   `takeOverChanges`; `announceChanges` is final, so an announced change never moves to another owner.
 */
export interface AlertStore {
  /** Creates tables or checks the connection; idempotent. */
  init(): Promise<void>;
  /** Releases the store's connections or file handles; the store is unusable afterwards. */
  close(): Promise<void>;

  /**
   * Adds a channel's subscription, or changes the mode and the language of the one it has for that pattern (a
   * subscription without a language keeps the one it had); says which.
   */
  subscribe(sub: ChannelSubscription): Promise<SubscribeOutcome>;
  /** Returns whether there was such a subscription. */
  unsubscribe(channel: string, pattern: string): Promise<boolean>;
  /** A channel's subscriptions, oldest first. */
  listSubscriptions(channel: string): Promise<ChannelSubscription[]>;
  /** Every subscription of every channel. */
  allSubscriptions(): Promise<ChannelSubscription[]>;

  /**
   * Marks a channel's subscriptions broken. True only for the call that marked it (a channel already marked stays
   * as it was), so whoever made the subscriptions is told once.
   */
  markChannelBroken(broken: BrokenChannel): Promise<boolean>;
  /** Un-marks a channel; false when it was not marked. */
  clearChannelBroken(channel: string): Promise<boolean>;
  /** Every channel marked broken. */
  brokenChannels(): Promise<BrokenChannel[]>;

  /** Returns false when the table was muted already. */
  mute(mute: Mute): Promise<boolean>;
  /** Lets a muted table be announced in the channel again; false when it was not muted. */
  unmute(channel: string, tableKey: string): Promise<boolean>;
  /** The tables a channel muted, oldest first. */
  listMutes(channel: string): Promise<Mute[]>;
  /** Every mute of every channel. */
  allMutes(): Promise<Mute[]>;

  /** Turns a person's direct messages about breaking changes to tables they own off (`true`) or back on. */
  setOwnerDmOptOut(slackUserId: string, optedOut: boolean): Promise<void>;
  /** Which of these Slack users turned owner DMs off. */
  ownerDmOptOuts(slackUserIds: string[]): Promise<Set<string>>;

  /** Keeps the changes one message announces; a second write under the same id is ignored. */
  putChangeSet(set: ChangeSet): Promise<void>;
  /** The change set of a message, while it is kept (see `prune`). */
  getChangeSet(id: string): Promise<ChangeSet | undefined>;

  /** Adds changes to a channel's digest buffer. */
  bufferDigest(channel: string, changes: SchemaChange[]): Promise<void>;
  /** Channels with buffered changes. */
  digestChannels(): Promise<string[]>;
  /** Seals a channel's buffer into the digest change set `batchId`; undefined when there was nothing to seal. */
  sealDigest(channel: string, batchId: string, at: IsoTime): Promise<ChangeSet | undefined>;

  /** Asks to send a message now: `claimed` with a lease, `sent` when it went out already, `busy` when another attempt holds the lease. */
  claimDelivery(key: string, token: string, leaseMs: number): Promise<DeliveryClaim>;
  /** Records that the holder of the lease `token` sent the message: final. */
  completeDelivery(key: string, token: string, receipt: DeliveryReceipt): Promise<void>;
  /** Gives a lease back: `not_sent` forgets the attempt, `maybe_sent` leaves the delivery `uncertain`. */
  releaseDelivery(key: string, token: string, outcome: 'not_sent' | 'maybe_sent'): Promise<void>;
  /** The ledger entry of a delivery, if any. */
  getDelivery(key: string): Promise<DeliveryRecord | undefined>;

  /**
   * Claims schema changes for the change set `owner` that will announce them. `held`: the ids `owner` holds
   * afterwards (those nobody held, and those it held already: a retried plan). `lapsed`: ids another owner claimed
   * and did not announce within its lease, by owner.
   */
  claimChanges(owner: string, ids: readonly string[], leaseMs: number): Promise<ChangeClaims>;
  /** Moves `from`'s lapsed, unannounced claims on these ids to `owner`; returns the ids moved. */
  takeOverChanges(owner: string, from: string, ids: readonly string[], leaseMs: number): Promise<string[]>;
  /** Makes `owner`'s claim on these changes final: their deliveries are handed over. */
  announceChanges(owner: string, ids: readonly string[]): Promise<void>;
  /** Of these change ids, those not announced yet (claimed or not). */
  unannouncedChanges(ids: readonly string[]): Promise<string[]>;

  /** Forgets change sets and delivery records older than `before`. */
  prune(before: IsoTime): Promise<void>;
}
