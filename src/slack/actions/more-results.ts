import type { App } from '@slack/bolt';
import { toResultItems } from '../../core/results';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import type { Block } from '../../render/blocks-common';
import { context, plain, section } from '../../render/blocks-common';
import { noticeBlocks } from '../../render/blocks-messages';
import { resultBlock } from '../../render/blocks-search';
import { answerMessages } from '../../render/messages/answers';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { escapeMrkdwn, truncate } from '../../text/mrkdwn';

/** "N more results" under an answer: the rest of its results, each with "Open", for the person who clicked. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.moreResults, async ({ action }, reply) => {
    const v = decodeValue('more', action.value);
    const m = answerMessages[v.l];
    const items = await toResultItems(v.r.map((r) => ({ key: r.key, kind: r.d ? ('dashboard' as const) : ('table' as const) })), deps.graph);
    if (!items.length) {
      await reply.ephemeral(noticeBlocks(m.moreGone));
      return;
    }
    const query = escapeMrkdwn(truncate(v.q.replace(/[`*\n]/g, ' '), 80));
    const blocks: Block[] = [section(m.moreHeader(query)), ...items.map((item, i) => resultBlock(item, i, deps.now())), context([m.searchHint(query)])];
    await reply.ephemeral({ text: plain(`${m.moreHeader(query).replace(/\*/g, '')}: ${items.map((i) => i.title).join(', ')}`), blocks });
  });
}
