import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger';
import type { GraphStore } from '../ports/graph-store';
import { classifyChanges, type ClassifiedChange } from './classify';
import { loadTableContexts, type ContextOptions } from './context';
import { buildAlertMessage, type SlackMessage } from './message';
import type { AlertDelivery } from './plan';
import type { ChannelRateLimiter } from '../ports/channel-rate-limiter';
import { asSlackError, SlackRateLimitedError, type SlackPoster } from '../ports/slack-poster';
import type { AlertStore, ChangeSet, DeliveryReceipt, SubscriptionLanguage } from '../ports/alert-store';
import { markChannelBrokenAndTell } from './broken';

/** What one delivery attempt did. */
export type DeliveryOutcome =
  | { status: 'sent'; receipt: DeliveryReceipt; latencyMs: number }
  /** Delivered before (by an earlier attempt, or found in the channel's history after a crash). */
  | { status: 'already_sent'; receipt: DeliveryReceipt; reconciled: boolean }
  /** Not now: the channel's slot is taken, Slack said 429, or another attempt is sending; ask again after `delayMs`. */
  | { status: 'deferred'; delayMs: number; reason: 'channel_rate' | 'slack_429' | 'in_flight' }
  | { status: 'skipped'; reason: 'change_set_missing' | 'nothing_to_send' };

/** A delivery that retrying cannot fix (unknown channel, app not in channel, revoked token, invalid blocks). */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
  constructor(
    readonly code: string,
    cause?: unknown,
  ) {
    super(`alert delivery failed permanently: ${code}`, { cause });
    this.name = 'PermanentDeliveryError';
  }
}

/** A delivery that may work later (Slack or the network failed); the queue retries it with backoff. */
export class TransientDeliveryError extends Error {
  readonly transient = true;
  constructor(
    readonly code: string,
    cause?: unknown,
  ) {
    super(`alert delivery failed, will retry: ${code}`, { cause });
    this.name = 'TransientDeliveryError';
  }
}

export interface DeliverDeps {
  store: AlertStore;
  graph: GraphStore;
  slack: SlackPoster;
  limiter: ChannelRateLimiter;
  logger: Logger;
  /**
   * When an earlier attempt may have posted (it crashed between sending and recording) and the channel's history
   * cannot tell: `resend` (default) risks a duplicate rather than losing the alert; `skip` risks losing it.
   */
  uncertainPolicy?: 'resend' | 'skip';
  /** How long an attempt owns a delivery; longer than Slack's request timeout (default 30 s). */
  leaseMs?: number;
  context?: ContextOptions;
  now?: () => number;
  /** `NANSEN_LANGUAGE`: the language of a delivery that has none (default English). */
  defaultLanguage?: SubscriptionLanguage;
  /**
   * The language of a person a message is for when no subscription chose one (an owner's direct message): their
   * Slack locale, else their last question's; undefined when neither is known (then `defaultLanguage`). A failure
   * is treated as unknown.
   */
  recipientLanguage?: (slackUser: string) => Promise<SubscriptionLanguage | undefined>;
}

/** The changes of a set a delivery announces, classified. */
export function changesFor(set: ChangeSet, delivery: Pick<AlertDelivery, 'tableKeys' | 'variant'>): ClassifiedChange[] {
  const keys = new Set(delivery.tableKeys);
  return classifyChanges(set.changes.filter((c) => keys.has(c.tableKey)));
}

/** Renders the message of a delivery from its change set and the graph, in its language (else `defaultLanguage`, else English). */
export async function renderDelivery(delivery: AlertDelivery, set: ChangeSet, graph: GraphStore, context?: ContextOptions, defaultLanguage?: SubscriptionLanguage): Promise<SlackMessage | undefined> {
  const changes = changesFor(set, delivery);
  if (!changes.length) return undefined;
  const contexts = await loadTableContexts([...new Set(changes.map((c) => c.tableKey))], graph, context);
  return buildAlertMessage({ variant: delivery.variant, changes, contexts, changeSetId: set.id, lang: delivery.language ?? defaultLanguage ?? 'en' });
}

/** The language of a delivery that carries none: an owner's, for their direct message; else `NANSEN_LANGUAGE`. */
async function fallbackLanguage(delivery: AlertDelivery, deps: DeliverDeps, log: Logger): Promise<SubscriptionLanguage | undefined> {
  if (delivery.language || delivery.target.kind !== 'owner_dm' || !deps.recipientLanguage) return deps.defaultLanguage;
  try {
    return (await deps.recipientLanguage(delivery.target.user)) ?? deps.defaultLanguage;
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err), user: delivery.target.user }, 'could not tell an owner’s language');
    return deps.defaultLanguage;
  }
}

/**
 * Delivers one alert message exactly once per idempotency key, as far as Slack allows:
 *
 * 1. an already recorded delivery is not sent again;
 * 2. the channel's rate slot is taken (≤ 1 message/s/channel across workers), else the delivery is deferred;
 * 3. the delivery is claimed in the ledger with a lease, *before* sending; a live lease held by another attempt
 *    defers this one;
 * 4. the message is posted with the key in its metadata; on success the ledger records `sent` with Slack's ts;
 * 5. a 429 or a failure Slack reported (nothing posted) releases the claim; a failure after which Slack may have
 *    posted (timeout, 5xx, `internal_error`) leaves it `uncertain`.
 *
 * The one window left is a crash (or a ledger write failing) after Slack accepted the message and before `sent`
 * is recorded. The next attempt finds the expired lease or the `uncertain` mark and looks for the key in the
 * channel's recent history (`conversations.history` with metadata): found, it records `sent` and stops; not
 * found, it posts. Only when the history cannot be read does `uncertainPolicy` decide (default: post again, so
 * nothing is lost).
 *
 * A channel that refuses the message for good (`not_in_channel`, `channel_not_found`, `is_archived`) has its
 * subscriptions marked broken, and whoever made them is told once (`markChannelBrokenAndTell`).
 */
export async function deliverAlert(delivery: AlertDelivery, deps: DeliverDeps): Promise<DeliveryOutcome> {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ delivery: delivery.key });
  const recorded = await deps.store.getDelivery(delivery.key);
  if (recorded?.state === 'sent') return { status: 'already_sent', receipt: recorded.receipt, reconciled: false };

  const set = await deps.store.getChangeSet(delivery.changeSetId);
  if (!set) {
    log.error({ changeSet: delivery.changeSetId }, 'alert change set missing');
    return { status: 'skipped', reason: 'change_set_missing' };
  }
  const message = await renderDelivery(delivery, set, deps.graph, deps.context, await fallbackLanguage(delivery, deps, log));
  if (!message) return { status: 'skipped', reason: 'nothing_to_send' };

  const channel = delivery.target.kind === 'channel' ? delivery.target.channel : delivery.target.user;
  const wait = await deps.limiter.acquire(channel);
  if (wait > 0) return { status: 'deferred', delayMs: wait, reason: 'channel_rate' };

  const token = randomUUID();
  const claim = await deps.store.claimDelivery(delivery.key, token, deps.leaseMs ?? 30_000);
  if (claim.status === 'sent') return { status: 'already_sent', receipt: claim.receipt, reconciled: false };
  if (claim.status === 'busy') return { status: 'deferred', delayMs: Math.max(100, claim.retryInMs), reason: 'in_flight' };

  if (claim.uncertainSince) {
    const found = await deps.slack.findPosted(channel, delivery.key, claim.uncertainSince);
    if (found) {
      const receipt = { channel: found.channel, ts: found.ts, at: new Date(now()).toISOString() };
      await deps.store.completeDelivery(delivery.key, token, receipt);
      log.warn({ ts: found.ts }, 'alert found already posted after an interrupted attempt');
      return { status: 'already_sent', receipt, reconciled: true };
    }
    if (found === undefined && deps.uncertainPolicy === 'skip') {
      const receipt = { channel, ts: 'unknown', at: new Date(now()).toISOString() };
      await deps.store.completeDelivery(delivery.key, token, receipt);
      log.warn({ since: claim.uncertainSince }, 'alert not re-sent: an interrupted attempt may have posted it');
      return { status: 'already_sent', receipt, reconciled: false };
    }
    if (found === undefined) log.warn({ since: claim.uncertainSince }, 'alert re-sent: an interrupted attempt may have posted it, history unreadable');
  }

  let posted: { channel: string; ts: string };
  try {
    posted = await deps.slack.postMessage({ channel, text: message.text, blocks: message.blocks, deliveryKey: delivery.key });
  } catch (raw) {
    const err = asSlackError(raw);
    if (err instanceof SlackRateLimitedError) {
      await deps.store.releaseDelivery(delivery.key, token, 'not_sent');
      await deps.limiter.penalize(channel, err.retryAfterMs);
      log.info({ retryAfterMs: err.retryAfterMs }, 'alert rate limited by Slack');
      return { status: 'deferred', delayMs: err.retryAfterMs, reason: 'slack_429' };
    }
    await deps.store.releaseDelivery(delivery.key, token, err.maybeSent ? 'maybe_sent' : 'not_sent').catch((e: unknown) => log.error({ err: String(e) }, 'alert claim not released'));
    if (err.permanent && delivery.target.kind === 'channel') await markChannelBrokenAndTell(channel, err.code, { ...deps, logger: log });
    if (err.permanent) throw new PermanentDeliveryError(err.code, err);
    throw new TransientDeliveryError(err.code, err);
  }
  const receipt: DeliveryReceipt = { channel: posted.channel, ts: posted.ts, at: new Date(now()).toISOString() };
  try {
    await deps.store.completeDelivery(delivery.key, token, receipt);
  } catch (err) {
    // Posted but not recorded: the lease runs out and the retry finds the message in the channel's history.
    log.error({ err: err instanceof Error ? err.message : String(err), ts: posted.ts }, 'alert posted but not recorded');
    throw new TransientDeliveryError('ledger_unavailable', err);
  }
  return { status: 'sent', receipt, latencyMs: now() - Date.parse(delivery.observedAt) };
}

