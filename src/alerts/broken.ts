import type { Logger } from '../log/logger';
import type { AlertStore, SubscriptionLanguage } from '../ports/alert-store';
import type { SlackPoster } from '../ports/slack-poster';
import { escapeMrkdwn } from '../text/mrkdwn';
import { languageOf } from './language';
import { isChannelGone, subscriptionHealthMessages as M } from './messages/subscription-health';

export interface BrokenChannelDeps {
  store: AlertStore;
  slack: SlackPoster;
  logger: Logger;
  now?: () => number;
  /** `NANSEN_LANGUAGE`: the language of the notice to someone whose subscriptions have none. */
  defaultLanguage?: SubscriptionLanguage;
}

/**
 * After Slack refused a channel's alert for good: marks the channel's subscriptions broken and, the first time
 * only, tells each person who made one of them in a direct message, in the language of their newest subscription
 * there (else `defaultLanguage`). Never throws: the delivery's own failure is
 * what the caller reports. Returns whether this call marked the channel.
 */
export async function markChannelBrokenAndTell(channel: string, code: string, deps: BrokenChannelDeps): Promise<boolean> {
  if (!isChannelGone(code)) return false;
  const log = deps.logger.child({ channel, code });
  const since = new Date((deps.now ?? Date.now)()).toISOString();
  try {
    if (!(await deps.store.markChannelBroken({ channel, code, since }))) return false;
    const subs = await deps.store.listSubscriptions(channel);
    const creators = [...new Set(subs.map((s) => s.createdBy).filter((u): u is string => !!u))];
    const patterns = subs.map((s) => `\`${escapeMrkdwn(s.pattern)}\``).join(', ') || '—';
    const where = `<#${channel}>`;
    log.warn({ subscriptions: subs.length, creators: creators.length }, 'channel subscriptions marked broken');
    for (const user of creators) {
      const m = M[languageOf(subs.filter((s) => s.createdBy === user)) ?? deps.defaultLanguage ?? 'en'];
      const text = `${m.brokenDm(where, m.reason[code], patterns)}\n${m.fix}`;
      await deps.slack
        .postMessage({ channel: user, text: m.brokenDmText(channel), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], deliveryKey: `subscription_broken|${channel}|${since}|${user}` })
        .catch((err: unknown) => log.warn({ user, err: err instanceof Error ? err.message : String(err) }, 'broken subscription notice not delivered'));
    }
    return true;
  } catch (err) {
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'channel not marked broken');
    return false;
  }
}
