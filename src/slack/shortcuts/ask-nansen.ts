import type { App, MessageShortcut } from '@slack/bolt';
import { stripLeadingMentions } from '../../core/conversation';
import { UserError } from '../../domain/errors';
import { ASK_QUESTION_MAX, SHORTCUT, type AskMetadata } from '../../render/blocks-actions';
import { askNansenModal, askNoTextModal } from '../../render/blocks-modals';
import type { Rendered } from '../../render/blocks-common';
import { outgoingMessage, stripNul, truncate } from '../../text/mrkdwn';
import { replyLangNow, type SlackDeps } from '../deps';
import { t } from '../../text/catalogue';
import { dm, guard } from '../support';

/**
 * The message shortcut "Ask Nansen": acknowledged at once, then the dialog that asks where to answer opens while
 * the trigger is fresh (3 s). A message without text (only files or attachments) gets a dialog that says so.
 */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: SHORTCUT.askNansen, type: 'message_action' }, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const user = shortcut.user?.id;
    if (typeof user !== 'string' || !user) return;
    const tell = async (r: Rendered) => {
      if (shortcut.response_url) await respond({ response_type: 'ephemeral', replace_original: false, ...outgoingMessage({ text: r.text, blocks: r.blocks }) });
      else await dm(client, user, r);
    };
    await guard(deps, { listener: 'shortcut:ask_nansen', user, channel: shortcut.channel?.id }, tell, async () => {
      const message = shortcut.message ?? ({} as Partial<MessageShortcut['message']>);
      const text = stripLeadingMentions(stripNul(typeof message.text === 'string' ? message.text : ''));
      const ts = typeof message.ts === 'string' ? message.ts : shortcut.message_ts;
      const th = typeof message.thread_ts === 'string' ? message.thread_ts : undefined;
      const lang = replyLangNow(deps, client, user);
      const view = text
        ? askNansenModal({ ch: shortcut.channel.id, ts, ...(th && th !== ts ? { th } : {}), q: truncate(text, ASK_QUESTION_MAX) } satisfies AskMetadata, lang)
        : askNoTextModal(lang);
      try {
        await client.views.open({ trigger_id: shortcut.trigger_id, view });
      } catch (err) {
        const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
        if (code === 'expired_trigger_id' || code === 'trigger_exchanged') throw new UserError('slow', t(lang, 'error.slowAsk'));
        throw err;
      }
    });
  });
}
