import type { App } from '@slack/bolt';
import { handleSubscriptionCommand, isSubscriptionCommand, parseSubscriptionCommand } from '../../alerts/subscriptions';
import { subscriptionHealthMessages as HEALTH } from '../../alerts/messages/subscription-health';
import { noticeBlocks } from '../../render/blocks-messages';
import { ensureMembership } from '../channel-membership';
import { parseDataCommand, runDataCommand } from '../../core/data-command';
import type { Rendered } from '../../render/blocks-common';
import { dataResultBlocks } from '../../render/blocks-data';
import { replyLang, type SlackDeps } from '../deps';
import { guard } from '../support';
import { outgoingMessage } from '../../text/mrkdwn';

/**
 * `/data <words | table | history table | tag t | help>` and the schema-change subscription commands (`subscribe`,
 * `unsubscribe`, `subscriptions`, `mute`, `unmute`): acknowledged at once, answered ephemerally after. `subscribe`
 * first makes sure Nansen can post in the channel (joining a public one), so a subscription cannot fail silently.
 */
export function register(app: App, deps: SlackDeps): void {
  app.command('/data', async ({ ack, command, respond, client }) => {
    await ack();
    const tell = (r: Rendered) => respond({ response_type: 'ephemeral', ...outgoingMessage({ text: r.text, blocks: r.blocks }) });
    await guard(deps, { listener: 'command:/data', user: command.user_id }, tell, async () => {
      const text = command.text ?? '';
      const lang = await replyLang(deps, client, command.user_id);
      if (isSubscriptionCommand(text)) {
        let joined = false;
        if (parseSubscriptionCommand(text, lang).kind === 'subscribe') {
          const membership = await ensureMembership(client, command.channel_id);
          if (membership.status === 'not_member') return void (await tell(noticeBlocks(HEALTH[lang].notMember(`/data ${text.trim()}`))));
          if (membership.status === 'archived') return void (await tell(noticeBlocks(HEALTH[lang].archived)));
          joined = membership.status === 'joined';
        }
        const result = await handleSubscriptionCommand(text, command.channel_id, command.user_id, { store: deps.alerts, graph: deps.graph, now: deps.now, lang });
        const blocks = result.blocks as Rendered['blocks'];
        await tell(joined ? { text: `${HEALTH[lang].joined} ${result.text}`, blocks: [...noticeBlocks(HEALTH[lang].joined).blocks, ...blocks] } : { text: result.text, blocks });
        return;
      }
      const request = parseDataCommand(text);
      const result = await (deps.dataCommand ? deps.dataCommand(request) : runDataCommand(request, deps));
      await tell(dataResultBlocks(result, { now: deps.now(), timeZone: deps.timeZone, shareable: true, lang }));
    });
  });
}
