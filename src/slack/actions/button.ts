import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { actionPattern } from '../../render/blocks-actions';
import type { SlackDeps } from '../deps';
import type { ButtonArgs, Replier } from '../support';
import { guard, replierFor } from '../support';

/**
 * Registers a button listener for every action id of one kind (`base`, `base:0`, `base:1`, ...): acknowledges at
 * once, then runs the work; failures are told to the person where they clicked.
 */
export function onButton(app: App, deps: SlackDeps, base: string, work: (args: ButtonArgs, reply: Replier) => Promise<void>): void {
  app.action<BlockAction<ButtonAction>>(actionPattern(base), async (args) => {
    await args.ack();
    const reply = replierFor(args);
    await guard(deps, { listener: `action:${base}`, user: args.body.user.id }, (r) => reply.ephemeral(r), () => work(args, reply), args.client);
  });
}
