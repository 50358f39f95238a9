import type { Logger } from '../log/logger';
import type { AlertStore } from '../ports/alert-store';
import type { SlackPoster } from '../ports/slack-poster';
import { escapeMrkdwn } from '../text/mrkdwn';
import { isChannelGone, subscriptionHealthMessages as M } from './messages/subscription-health';

export interface BrokenChannelDeps {
  store: AlertStore;
  slack: SlackPoster;
  logger: Logger;
  now?: () => number;
}

/**
 * After Slack refused a channel's alert for good: marks the channel's subscriptions broken and, the first time
 * only, tells each person who made one of them in a direct message. Never throws: the delivery's own failure is
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
    const text = `${M.en.brokenDm(where, M.en.reason[code], patterns)}\n${M.en.fix}`;
    log.warn({ subscriptions: subs.length, creators: creators.length }, 'channel subscriptions marked broken');
    for (const user of creators) {
      await deps.slack
        .postMessage({ channel: user, text: M.en.brokenDmText(channel), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], deliveryKey: `subscription_broken|${channel}|${since}|${user}` })
        .catch((err: unknown) => log.warn({ user, err: err instanceof Error ? err.message : String(err) }, 'broken subscription notice not delivered'));
    }
    return true;
  } catch (err) {
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'channel not marked broken');
    return false;
  }
}
