import type { App } from '@slack/bolt';
import { recordNotWhatIMeant } from '../../core/misses';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import { answerMessages } from '../../render/messages/answers';
import type { SlackDeps } from '../deps';
import { onButton } from './button';

/**
 * "Not what I meant" under an answer: records the miss (the question, its language, what was offered) and tells
 * only the person who clicked. A second click of one person on one answer records nothing more.
 */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.notWhatIMeant, async ({ action, body }, reply) => {
    const v = decodeValue('miss', action.value);
    const m = answerMessages[v.l];
    const container = body.container as { channel_id?: string; message_ts?: string } | undefined;
    const message = (body.message as { ts?: string } | undefined)?.ts ?? container?.message_ts;
    const once = message ? `miss:${body.channel?.id ?? container?.channel_id ?? ''}:${message}:${body.user.id}` : undefined;
    if (once && !(await deps.dedupe.claim(once))) {
      await reply.ephemeral(noticeBlocks(m.missAlreadyNoted));
      return;
    }
    await recordNotWhatIMeant({ text: v.q, lang: v.l, offered: v.o, asker: body.user.id, via: 'slack' }, deps);
    if (once) await deps.dedupe.complete(once);
    deps.log.info({ user: body.user.id, offered: v.o.length }, 'answer marked not what was meant');
    await reply.ephemeral(noticeBlocks(m.missNoted));
  });
}
