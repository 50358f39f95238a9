import type { App } from '@slack/bolt';
import { toggleBookmark } from '../../core/bookmarks';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { escapeMrkdwn } from '../../text/mrkdwn';

/** Bookmark / un-bookmark a table (shown on the Home tab). */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.bookmark, async ({ action, body }, reply) => {
    const v = decodeValue('table', action.value);
    const r = await toggleBookmark(body.user.id, v.key, deps);
    await reply.ephemeral(noticeBlocks(r.bookmarked ? `:bookmark: Bookmarked *${escapeMrkdwn(r.title)}*. Your bookmarks are on my Home tab.` : `Removed the bookmark of *${escapeMrkdwn(r.title)}*.`));
  });
}
