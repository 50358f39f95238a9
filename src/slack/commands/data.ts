import type { App } from '@slack/bolt';
import { handleSubscriptionCommand, isSubscriptionCommand } from '../../alerts/subscriptions';
import { parseDataCommand, runDataCommand } from '../../core/data-command';
import type { Rendered } from '../../render/blocks-common';
import { dataResultBlocks } from '../../render/blocks-data';
import type { SlackDeps } from '../deps';
import { guard } from '../support';
import { outgoingMessage } from '../../text/mrkdwn';

/**
 * `/data <words | table | history table | tag t | help>` and the schema-change subscription commands (`subscribe`,
 * `unsubscribe`, `subscriptions`, `mute`, `unmute`): acknowledged at once, answered ephemerally after.
 */
export function register(app: App, deps: SlackDeps): void {
  app.command('/data', async ({ ack, command, respond }) => {
    await ack();
    const tell = (r: Rendered) => respond({ response_type: 'ephemeral', ...outgoingMessage({ text: r.text, blocks: r.blocks }) });
    await guard(deps, { listener: 'command:/data', user: command.user_id }, tell, async () => {
      const text = command.text ?? '';
      if (isSubscriptionCommand(text)) {
        const result = await handleSubscriptionCommand(text, command.channel_id, command.user_id, { store: deps.alerts, graph: deps.graph, now: deps.now });
        await tell({ text: result.text, blocks: result.blocks as Rendered['blocks'] });
        return;
      }
      const result = await runDataCommand(parseDataCommand(text), deps);
      await tell(dataResultBlocks(result, { now: deps.now(), timeZone: deps.timeZone, shareable: true }));
    });
  });
}
