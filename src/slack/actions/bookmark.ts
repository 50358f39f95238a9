import type { App } from '@slack/bolt';
import { toggleBookmark } from '../../core/bookmarks';
import { ACTION, decodeValue } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import type { SlackDeps } from '../deps';
import { onButton } from './button';
import { escapeMrkdwn } from '../../text/mrkdwn';
import { replyLang } from '../deps';
import { t } from '../../text/catalogue';

/** Bookmark / un-bookmark a table (shown on the Home tab). */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.bookmark, async ({ action, body, client }, reply) => {
    const v = decodeValue('table', action.value);
    const r = await toggleBookmark(body.user.id, v.key, deps);
    const lang = await replyLang(deps, client, body.user.id);
    await reply.ephemeral(noticeBlocks(t(lang, r.bookmarked ? 'bookmark.added' : 'bookmark.removed', { title: escapeMrkdwn(r.title) })));
  });
}
