import type { App } from '@slack/bolt';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import { lineageGraph } from '../../core/lineage-graph';
import { lineageListText } from '../../render/lineage-list';
import { truncate } from '../../text/mrkdwn';
import { replyLang, type SlackDeps } from '../deps';
import { t, type Lang } from '../../text/catalogue';
import { postLineagePicture, type PictureTarget } from '../lineage-picture';
import { onButton } from './button';

/** Why there is no picture, in words a person can act on. */
function whyNot(reason: string, lang: Lang): string {
  switch (reason) {
    case 'missing_scope':
      return t(lang, 'lineage.why.missingScope');
    case 'not_in_channel':
    case 'invalid_channel':
    case 'channel_not_found':
      return t(lang, 'lineage.why.notInChannel');
    case 'disabled':
      return t(lang, 'lineage.why.disabled');
    case 'nothing_to_draw':
      return t(lang, 'lineage.why.nothingToDraw');
    default:
      return t(lang, 'lineage.why.failed');
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
    const lang = await replyLang(deps, client, body.user.id);
    if (deps.lineagePictures === false) {
      await reply.ephemeral(noticeBlocks(truncate(`${whyNot('disabled', lang)}\n\n${lineageListText(await lineageGraph(v.key, deps), 0, lang)}`, 3000)));
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
    const r = await postLineagePicture(client, target, v.key, deps, lang);
    if (r.posted) {
      if (target.channel !== channel) await reply.ephemeral(noticeBlocks(t(lang, 'lineage.sentInDm')));
      return;
    }
    await reply.ephemeral(noticeBlocks(truncate(`${whyNot(r.reason, lang)}${r.list ? `\n\n${r.list}` : ''}`, 3000)));
  });
}
