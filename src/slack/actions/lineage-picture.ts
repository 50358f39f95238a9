import type { App } from '@slack/bolt';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import { lineageGraph } from '../../core/lineage-graph';
import { lineageListText } from '../../render/lineage-list';
import { truncate } from '../../text/mrkdwn';
import type { SlackDeps } from '../deps';
import { postLineagePicture, type PictureTarget } from '../lineage-picture';
import { onButton } from './button';

/** Why there is no picture, in words a person can act on. */
function whyNot(reason: string): string {
  switch (reason) {
    case 'missing_scope':
      return "I can't upload pictures here: the app lacks the `files:write` scope. A workspace admin can add it and reinstall Nansen.";
    case 'not_in_channel':
    case 'invalid_channel':
    case 'channel_not_found':
      return "I'm not in this channel, so I can't post the picture. Invite me with `/invite @Nansen`, or DM me.";
    case 'disabled':
      return 'Lineage pictures are turned off here (`NANSEN_LINEAGE_PICTURES=0`).';
    case 'nothing_to_draw':
      return 'No lineage or dashboards are recorded for this table, so there is nothing to draw.';
    default:
      return "I couldn't post the lineage picture this time.";
  }
}

/**
 * The card's "Lineage picture": a card posted in a channel gets the picture in its thread; a card only the person
 * sees (a `/data` answer, a modal) gets it in their DM with Nansen. Without a picture, the person is told why, with
 * the lineage in words.
 */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.lineagePicture, async ({ action, body, client }, reply) => {
    const v = decodeValue('table', action.value);
    if (deps.lineagePictures === false) {
      await reply.ephemeral(noticeBlocks(truncate(`${whyNot('disabled')}\n\n${lineageListText(await lineageGraph(v.key, deps), 0)}`, 3000)));
      return;
    }
    const channel = body.channel?.id;
    const message = body.message as { ts?: string; thread_ts?: string } | undefined;
    let target: PictureTarget;
    if (channel && message?.ts && !reply.isEphemeral) target = { channel, threadTs: message.thread_ts ?? message.ts };
    else {
      const opened = await client.conversations.open({ users: body.user.id });
      target = { channel: opened.channel?.id ?? body.user.id };
    }
    const r = await postLineagePicture(client, target, v.key, deps);
    if (r.posted) {
      if (target.channel !== channel) await reply.ephemeral(noticeBlocks(':frame_with_picture: I sent you the lineage picture in our DM.'));
      return;
    }
    await reply.ephemeral(noticeBlocks(truncate(`${whyNot(r.reason)}${r.list ? `\n\n${r.list}` : ''}`, 3000)));
  });
}
