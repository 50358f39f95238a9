import type { App } from '@slack/bolt';
import { ALERT_ACTIONS } from '../message';
import { loadChangeListView } from '../subscriptions';
import type { ModalView } from '../../render/blocks-common';
import { replyLangNow, type SlackDeps } from '../../slack/deps';
import { onButton } from '../../slack/actions/button';

/** "Show all changes" (value: the change set id) opens the full list; its paging buttons update the modal in place. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ALERT_ACTIONS.showAllChanges, async ({ action, body, client }) => {
    const view = (await loadChangeListView(action.value ?? '', { store: deps.alerts, lang: replyLangNow(deps, client, body.user.id) })) as unknown as ModalView;
    await client.views.open({ trigger_id: body.trigger_id, view });
  });
  onButton(app, deps, ALERT_ACTIONS.changeListPage, async ({ action, body, client }) => {
    const view = (await loadChangeListView(action.value ?? '', { store: deps.alerts, lang: replyLangNow(deps, client, body.user.id) })) as unknown as ModalView;
    if (body.view?.id) await client.views.update({ view_id: body.view.id, ...(body.view.hash ? { hash: body.view.hash } : {}), view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });
}
