/**
 * What every listener shares: replying where the person is (a response_url for messages, a DM for the Home tab),
 * and the error rule: a `UserError` is shown as-is, anything else is logged once with a reference id and the
 * person gets a short apology that quotes it.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { UserError } from '../domain/errors';
import { explainFailure } from '../core/errors';
import type { Rendered } from '../render/blocks-common';
import { failureBlocks } from '../render/blocks-messages';
import type { SlackDeps } from './deps';
import type { UsersInfoClient } from './language';
import { outgoingMessage } from '../text/mrkdwn';
import { t, type Lang } from '../text/catalogue';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Slack API errors a person can do something about, as `UserError`s in their language. */
export function asPersonError(err: unknown, lang: Lang = 'en'): unknown {
  const code = (err as { data?: { error?: string } } | undefined)?.data?.error;
  switch (code) {
    case 'expired_trigger_id':
    case 'trigger_exchanged':
      return new UserError('slow', t(lang, 'error.slowDialog'));
    case 'not_in_channel':
    case 'channel_not_found':
      return new UserError('not_in_channel', t(lang, 'error.notInChannel'));
    default:
      return err;
  }
}

/**
 * The language to tell `user` about a failure in. With `client` (a listener that has acknowledged already), the
 * full look-up (see `UserLanguages.of`); without, the language known now, asking Slack nothing. Never throws: a
 * look-up that fails gives `NANSEN_LANGUAGE`.
 */
export async function failureLang(deps: Pick<SlackDeps, 'languages' | 'defaultLang'>, user: string | undefined, client?: UsersInfoClient): Promise<Lang> {
  const fallback = deps.defaultLang ?? 'en';
  if (!deps.languages) return fallback;
  try {
    return client ? await deps.languages.of(client, user) : deps.languages.known(user);
  } catch {
    return fallback;
  }
}

/**
 * Runs a listener's work; on failure tells the person (and logs once when it was not their error), in the
 * language of `where.user` (see `failureLang`: looked up with `client` when given).
 */
export async function guard(deps: SlackDeps, where: Record<string, unknown>, tell: (r: Rendered) => Promise<unknown>, work: () => Promise<void>, client?: UsersInfoClient): Promise<void> {
  try {
    await work();
  } catch (err) {
    const user = typeof where.user === 'string' ? where.user : undefined;
    const lang = await failureLang(deps, user, client);
    const notice = explainFailure(asPersonError(err, lang), deps.log, where, lang);
    try {
      await tell(failureBlocks(notice));
    } catch (e) {
      deps.log.warn({ err: e, ...where, ...(notice.ref ? { ref: notice.ref } : {}) }, 'could not tell the person about a failure');
    }
  }
}

/** Where a reply to a button click goes. */
export interface Replier {
  /** A new message only the person sees (or a DM when the click came from a view). */
  ephemeral(r: Rendered): Promise<void>;
  /** Replaces the message the button was in (a new DM when there is none). */
  replace(r: Rendered): Promise<void>;
  /** Whether the button sat in a message only the person sees. */
  isEphemeral: boolean;
}

/** A DM to the person (the Messages tab of the app's Home). */
export async function dm(client: WebClient, user: string, r: Rendered): Promise<void> {
  await client.chat.postMessage({ channel: user, ...outgoingMessage({ text: r.text, blocks: r.blocks }), unfurl_links: false, unfurl_media: false });
}

export function replierFor(args: { body: BlockAction; respond: RespondFn; client: WebClient }): Replier {
  const { body, respond, client } = args;
  const hasUrl = typeof body.response_url === 'string' && body.response_url.length > 0;
  const container = body.container as { type?: string; is_ephemeral?: boolean } | undefined;
  const isEphemeral = container?.type === 'message' && container.is_ephemeral === true;
  return {
    isEphemeral,
    async ephemeral(r) {
      if (hasUrl) await respond({ response_type: 'ephemeral', replace_original: false, ...outgoingMessage({ text: r.text, blocks: r.blocks }) });
      else await dm(client, body.user.id, r);
    },
    async replace(r) {
      if (hasUrl) await respond({ replace_original: true, ...outgoingMessage({ text: r.text, blocks: r.blocks }) });
      else await dm(client, body.user.id, r);
    },
  };
}
