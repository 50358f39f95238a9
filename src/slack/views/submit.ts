import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { EditChange, EditOutcome, FieldErrors } from '../../core/edits';
import { conflictAuthors, submitEdit } from '../../core/edits';
import { EditConflictError } from '../../domain/errors';
import { cardMessages } from '../../render/messages/card';
import { outgoingMessage } from '../../text/mrkdwn';
import { explainFailure } from '../../core/errors';
import { tableCardOf } from '../../core/table-card';
import type { ModalMetadata } from '../../render/blocks-actions';
import { decodeMetadata } from '../../render/blocks-actions';
import type { Rendered } from '../../render/blocks-common';
import { context } from '../../render/blocks-common';
import { failureBlocks, noticeBlocks } from '../../render/blocks-messages';
import { tableCardBlocks, tableCardModal } from '../../render/table-card';
import type { SlackDeps } from '../deps';
import { slackPeopleDirectory } from '../people-directory';
import { asPersonError, dm, failureLang } from '../support';
import { escapeMrkdwn, stripNul } from '../../text/mrkdwn';
import { replyLang, replyLangNow } from '../deps';
import { t, type Lang } from '../../text/catalogue';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** What a dialog's submission says: the change, and which input block shows an error about a field. */
export interface ReadSubmission {
  change: EditChange;
  /** The input block for general problems (permission, conflict). */
  mainBlock: string;
  /** Block id of the input for a `FieldErrors` key. */
  blockOf(field: string): string | undefined;
}

const WHAT: Record<EditChange['kind'], 'field.description' | 'field.columnDescriptions' | 'field.tags' | 'field.owners'> = { description: 'field.description', column_descriptions: 'field.columnDescriptions', tags: 'field.tags', owners: 'field.owners', owner_picks: 'field.owners' };

/** The text value of an input block in a submitted view. */
export function inputValue(view: ViewSubmitAction['view'], blockId: string, actionId: string): string {
  const v = view.state.values[blockId]?.[actionId]?.value;
  return typeof v === 'string' ? v : '';
}

/** The strings a select or checkboxes input sent (`selected_users`, or the values of `selected_options`); at most `max`. */
export function selectedValues(view: ViewSubmitAction['view'], blockId: string, actionId: string, max = 100): string[] {
  const v = view.state.values[blockId]?.[actionId] as { selected_users?: unknown; selected_options?: unknown } | undefined;
  const raw: unknown[] = Array.isArray(v?.selected_users) ? v.selected_users : Array.isArray(v?.selected_options) ? v.selected_options.map((o: { value?: unknown } | null) => o?.value) : [];
  return raw.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 200).slice(0, max);
}

/** Whether a response_url is Slack's (or, in tests, the configured fake API's): never post to anything else. */
export function responseUrlAllowed(url: string, apiUrl: string | undefined): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && /^hooks\.slack(-gov)?\.com$/.test(u.hostname)) return true;
    return apiUrl !== undefined && u.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}

/**
 * After a save: the card the dialog came from shows the new values. When its response_url has expired (or was used
 * up), the updated card goes to the person another way: an ephemeral message in the card's channel, else a DM.
 */
async function reportSaved(meta: ModalMetadata, outcome: Extract<EditOutcome, { kind: 'saved' }>, kind: EditChange['kind'], user: string, args: ViewArgs, deps: SlackDeps): Promise<void> {
  const lang = await replyLang(deps, args.client, user);
  const note = t(lang, 'edit.saved', { field: t(lang, WHAT[kind]), command: `\`/data history ${escapeMrkdwn(outcome.table.schema)}.${escapeMrkdwn(outcome.table.name)}\`` });
  const fresh = await tableCardOf(outcome.table, deps);
  if (meta.vw) {
    try {
      await args.client.views.update({ view_id: meta.vw, view: stripNul(tableCardModal(fresh, { now: deps.now(), timeZone: deps.timeZone, columnPage: meta.cp ?? 0, note, lang })) });
      return;
    } catch (err) {
      deps.log.info({ err, user, tableKey: meta.key }, 'could not refresh the card modal; confirming another way');
    }
  }
  const card = tableCardBlocks(fresh, { now: deps.now(), timeZone: deps.timeZone, columnPage: meta.cp ?? 0, shareable: true, lang });
  if (meta.ru && responseUrlAllowed(meta.ru, deps.apiUrl)) {
    try {
      await postToResponseUrl(meta.ru, { replace_original: true, text: card.text, blocks: [context([note]), ...card.blocks] });
      return;
    } catch (err) {
      deps.log.info({ err, user, tableKey: meta.key }, 'response_url refused the saved card; confirming another way');
    }
  }
  const confirmation: Rendered = { text: card.text, blocks: [context([note, ...(meta.ru ? [cardMessages[lang].savedElsewhere] : [])]), ...card.blocks] };
  if (meta.ch && !meta.ch.startsWith('D')) {
    try {
      await args.client.chat.postEphemeral({ channel: meta.ch, user, ...outgoingMessage(confirmation) });
      return;
    } catch (err) {
      deps.log.info({ err, user, channel: meta.ch }, 'could not confirm a saved edit in its channel; sending a DM');
    }
  }
  await dm(args.client, user, confirmation);
}

/** The text of a conflict, naming who made the other edit (or saying it was the person themself). */
async function conflictText(err: EditConflictError, user: string, deps: SlackDeps, lang: Lang): Promise<string> {
  const d = err.detail as { tableKey: string; expected: number; actual: number };
  const m = cardMessages[lang];
  const table = await deps.graph.getTable(d.tableKey);
  const title = table ? `${table.cluster}.${table.schema}.${table.name}` : d.tableKey;
  try {
    const who = await conflictAuthors(d.tableKey, d.expected, d.actual, user, deps);
    if (who.others.length) return m.conflictByOthers(who.others.map((p) => p.name ?? p.id).join(', '), title);
    if (who.self) return m.conflictBySelf(title);
  } catch (e) {
    deps.log.warn({ err: e, tableKey: d.tableKey }, 'could not read who made a conflicting edit');
  }
  return m.conflictUnknown(title);
}

function toSlackErrors(errors: FieldErrors, read: ReadSubmission): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) out[read.blockOf(field) ?? read.mainBlock] = message;
  return out;
}

/**
 * Registers the submission of an edit dialog. The edit runs before the acknowledgement when it finishes within the
 * deadline (well inside Slack's 3 s), so problems show in the dialog as field errors: invalid input, no permission,
 * a conflict with someone else's edit. When the store is slower, the dialog closes and a DM reports the outcome.
 */
export function onEditSubmission(app: App, deps: SlackDeps, callbackId: string, read: (view: ViewSubmitAction['view'], meta: ModalMetadata) => ReadSubmission): void {
  app.view<ViewSubmitAction>(callbackId, async (args) => {
    const { ack, body, view, client } = args;
    const user = body.user.id;
    const where = { listener: `view:${callbackId}`, user };
    let meta: ModalMetadata;
    let submission: ReadSubmission;
    try {
      meta = decodeMetadata(view.private_metadata);
      submission = read(view, meta);
    } catch (err) {
      await ack();
      await dm(client, user, failureBlocks(explainFailure(err, deps.log, where, await failureLang(deps, user, client)))).catch((e: unknown) => deps.log.warn({ err: e, ...where }, 'could not tell the person about a failure'));
      return;
    }
    // field errors in the person's language: the cached one (the dialog was opened moments ago), the ack cannot wait
    const work = submitEdit({ tableKey: meta.key, expectedVersion: meta.v, actorSlackId: user, change: submission.change }, { ...deps, directory: slackPeopleDirectory(client), lang: replyLangNow(deps, client, user) });
    let outcome: EditOutcome | undefined;
    try {
      const raced = await Promise.race([work.then((o) => ({ o })), new Promise<undefined>((r) => setTimeout(() => r(undefined), deps.submitDeadlineMs ?? 2000).unref())]);
      outcome = raced?.o;
    } catch (err) {
      const lang = replyLangNow(deps, client, user);
      const text = err instanceof EditConflictError ? await conflictText(err, user, deps, lang) : explainFailure(asPersonError(err, lang), deps.log, { ...where, tableKey: meta.key }, lang).text;
      await ack({ response_action: 'errors', errors: { [submission.mainBlock]: text } });
      return;
    }
    if (!outcome) {
      await ack();
      const tell = (r: Rendered) => dm(client, user, r);
      try {
        const late = await work;
        if (late.kind === 'saved') await reportSaved(meta, late, submission.change.kind, user, args, deps);
        else if (late.kind === 'invalid') await tell(noticeBlocks(t(await replyLang(deps, client, user), 'edit.notSaved', { errors: Object.values(late.errors).map(escapeMrkdwn).join(' ') })));
      } catch (err) {
        const lang = replyLangNow(deps, client, user);
        await tell(failureBlocks(explainFailure(asPersonError(err, lang), deps.log, { ...where, tableKey: meta.key }, lang))).catch(() => undefined);
      }
      return;
    }
    switch (outcome.kind) {
      case 'invalid':
        await ack({ response_action: 'errors', errors: toSlackErrors(outcome.errors, submission) });
        return;
      case 'unchanged':
        await ack();
        return;
      case 'saved':
        await ack();
        await reportSaved(meta, outcome, submission.change.kind, user, args, deps).catch((err: unknown) => explainFailure(err, deps.log, { ...where, step: 'report saved edit' }));
        return;
    }
  });
}
