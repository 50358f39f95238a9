import type { ChannelSubscription, SubscriptionLanguage } from '../ports/alert-store';

/**
 * The language of messages about these subscriptions: that of the newest one that has a language (each is the
 * language of whoever ran `/data subscribe`), or undefined when none has one (made before languages were kept):
 * the caller then uses `NANSEN_LANGUAGE`. `subs` oldest first, as the store lists them.
 */
export function languageOf(subs: readonly ChannelSubscription[]): SubscriptionLanguage | undefined {
  for (let i = subs.length - 1; i >= 0; i--) {
    const language = subs[i]!.language;
    if (language) return language;
  }
  return undefined;
}
