import { answerMessages } from '../../render/messages/answers';
import type { App } from '@slack/bolt';
import { tagPage } from '../../core/data-command';
import { searchCatalog } from '../../core/search-catalog';
import { tableCard } from '../../core/table-card';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import type { Rendered } from '../../render/blocks-common';
import { context } from '../../render/blocks-common';
import { searchBlocks } from '../../render/blocks-search';
import { tableCardBlocks } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { outgoingMessage } from '../../text/mrkdwn';
import { replyLang } from '../deps';

/** "Share in channel": posts what the person sees for everyone in the channel and removes their private copy. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.share, async ({ action, body, respond, client }) => {
    const v = decodeValue('share', action.value);
    // shared for everyone in the channel, in the language of the person who shares it
    const lang = await replyLang(deps, client, body.user.id);
    const options = { now: deps.now(), timeZone: deps.timeZone, shareable: false, lang };
    let rendered: Rendered;
    switch (v.k) {
      case 'search':
        rendered = searchBlocks(await searchCatalog(v.q, v.p, deps), options);
        break;
      case 'tag':
        rendered = searchBlocks(await tagPage(v.t, v.p, deps), { ...options, tag: v.t });
        break;
      case 'card':
        rendered = tableCardBlocks(await tableCard(v.key, deps), { ...options, columnPage: v.cp ?? 0 });
        break;
    }
    if (!body.response_url) return;
    await respond({ response_type: 'in_channel', replace_original: false, ...outgoingMessage({ text: rendered.text, blocks: [...rendered.blocks, context([answerMessages[lang].sharedBy(`<@${body.user.id}>`)])] }) });
    await respond({ delete_original: true });
  });
}
