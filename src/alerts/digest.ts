import type { AlertDelivery, DeliverySink } from './plan';
import { deliveryKey } from './plan';
import type { AlertStore } from '../ports/alert-store';
import { languageOf } from './language';

/** The calendar date (`2026-11-24`) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function digestChangeSetId(channel: string, date: string): string {
  return `digest:${channel}:${date}`;
}

/**
 * The daily digest, in the language of the channel's newest daily subscription that has one: seals each digest channel's buffered changes into that day's change set and hands one
 * delivery per channel to the sink. Running it again the same day seals nothing new for a channel already sealed
 * (its new changes wait for tomorrow) and re-hands the same deliveries, which their keys make no-ops.
 */
export async function runDailyDigest(deps: { store: AlertStore; sink: DeliverySink; timeZone: string; now?: () => Date }): Promise<AlertDelivery[]> {
  const at = (deps.now ?? (() => new Date()))();
  const date = localDate(at, deps.timeZone);
  const deliveries: AlertDelivery[] = [];
  const channels = await deps.store.digestChannels();
  const subscriptions = channels.length ? await deps.store.allSubscriptions() : [];
  for (const channel of channels) {
    const set = await deps.store.sealDigest(channel, digestChangeSetId(channel, date), at.toISOString());
    if (!set || !set.changes.length) continue;
    const target = { kind: 'channel' as const, channel };
    const language = languageOf(subscriptions.filter((s) => s.channel === channel && s.mode === 'daily'));
    deliveries.push({
      key: deliveryKey(set.id, target),
      target,
      changeSetId: set.id,
      tableKeys: [...new Set(set.changes.map((c) => c.tableKey))].sort(),
      variant: { kind: 'digest', date },
      observedAt: set.createdAt,
      ...(language ? { language } : {}),
    });
  }
  if (deliveries.length) await deps.sink.enqueue(deliveries);
  await deps.store.prune(new Date(at.getTime() - 30 * 24 * 3600 * 1000).toISOString());
  return deliveries;
}
