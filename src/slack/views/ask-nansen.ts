import type { App, ViewSubmitAction } from '@slack/bolt';
import { explainFailure } from '../../core/errors';
import { decodeAskMetadata, INPUT, VIEW } from '../../render/blocks-actions';
import { failureBlocks } from '../../render/blocks-messages';
import type { AskWhere } from '../../render/blocks-modals';
import { answerAsked } from '../ask';
import { replyLangNow, type SlackDeps } from '../deps';
import { t } from '../../text/catalogue';
import { dm, failureLang } from '../support';

const WHERE = new Set<AskWhere>(['thread', 'private']);

/** The "Ask Nansen" dialog submitted: closed at once, then the message is answered where the person chose. */
export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(VIEW.ask, async ({ ack, body, view, client }) => {
    const user = body.user.id;
    const picked = view.state.values[INPUT.askWhere]?.[INPUT.where]?.selected_option?.value;
    if (!WHERE.has(picked as AskWhere)) {
      await ack({ response_action: 'errors', errors: { [INPUT.askWhere]: t(replyLangNow(deps, client, user), 'ask.pickWhere') } });
      return;
    }
    let meta;
    try {
      meta = decodeAskMetadata(view.private_metadata);
    } catch (err) {
      await ack();
      const where = { listener: `view:${VIEW.ask}`, user };
      await dm(client, user, failureBlocks(explainFailure(err, deps.log, where, await failureLang(deps, user, client)))).catch((e: unknown) => deps.log.warn({ err: e, ...where }, 'could not tell the person about a failure'));
      return;
    }
    await ack();
    await answerAsked(meta, picked as AskWhere, user, client, deps);
  });
}
