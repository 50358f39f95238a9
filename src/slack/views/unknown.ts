import type { App, ViewSubmitAction } from '@slack/bolt';
import { VIEW } from '../../render/blocks-actions';
import { noticeBlocks } from '../../render/blocks-messages';
import type { SlackDeps } from '../deps';
import { t } from '../../text/catalogue';
import { dm, failureLang } from '../support';

const KNOWN = new Set<string>(Object.values(VIEW));

/** A submission of a dialog Nansen does not know: closed, logged, and the person told politely. */
export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(/.*/, async ({ ack, body, view, client }) => {
    if (KNOWN.has(view.callback_id)) return;
    await ack();
    deps.log.warn({ callbackId: view.callback_id, user: body.user.id }, 'unknown view submission');
    await dm(client, body.user.id, noticeBlocks(t(await failureLang(deps, body.user.id, client), 'error.unknownDialog'))).catch(() => undefined);
  });
}
