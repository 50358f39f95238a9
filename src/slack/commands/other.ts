import type { App } from '@slack/bolt';
import { escapeMrkdwn } from '../../text/mrkdwn';
import type { SlackDeps } from '../deps';

/** Any other slash command routed to this app: acknowledged with a pointer to `/data`, never left unanswered. */
export function register(app: App, deps: SlackDeps): void {
  app.command(/^(?!\/data$).*/, async ({ ack, command }) => {
    deps.log.info({ command: command.command, user: command.user_id }, 'unknown slash command');
    await ack({ response_type: 'ephemeral', text: escapeMrkdwn(`I don't know ${command.command}. Try \`/data help\`.`) });
  });
}
