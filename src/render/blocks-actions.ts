/**
 * The action ids, view callback ids and button values of Nansen's Block Kit: one place, so renderers and Slack
 * listeners agree. Values are compact JSON checked with zod when they come back: a malformed or forged value is a
 * polite `UserError` (in the person's language, see `LocalizedUserError`), never a crash.
 */
import { z } from 'zod';
import { t } from '../text/catalogue';
import { LocalizedUserError } from '../text/localized-error';

export const ACTION = {
  searchPage: 'nansen.search.page',
  tagPage: 'nansen.tag.page',
  share: 'nansen.share',
  openCard: 'nansen.card.open',
  columnsPage: 'nansen.card.columns',
  editDescription: 'nansen.edit.description',
  editColumns: 'nansen.edit.columns',
  editTags: 'nansen.edit.tags',
  editOwners: 'nansen.edit.owners',
  bookmark: 'nansen.bookmark',
  subscribe: 'nansen.subscribe',
  history: 'nansen.history',
  revert: 'nansen.revert',
  browseTag: 'nansen.tag.browse',
  /** The card's "Lineage picture" button: the lineage drawn, 2 hops up and down. */
  lineagePicture: 'nansen.card.lineage',
  /** The card's overflow menu: edit actions and history (the option value says which). */
  cardMenu: 'nansen.card.menu',
  /** "Share to channel" beside a result of an answer: the result's card, posted for everyone, attributed to the sharer. */
  shareResult: 'nansen.result.share',
  /** "Not what I meant" under an answer: records the miss with what was offered. */
  notWhatIMeant: 'nansen.answer.miss',
  /** "N more results" under an answer: the rest of its results, for the person who clicked. */
  moreResults: 'nansen.answer.more',
} as const;

export type ActionName = keyof typeof ACTION;

/** Callback ids of Nansen's shortcuts (the same in manifest.yml). */
export const SHORTCUT = {
  /** The message shortcut "Ask Nansen". */
  askNansen: 'ask_nansen',
} as const;

export const VIEW = {
  editDescription: 'nansen.view.edit.description',
  editColumns: 'nansen.view.edit.columns',
  editTags: 'nansen.view.edit.tags',
  editOwners: 'nansen.view.edit.owners',
  /** "Ask Nansen" on a message: where to answer. */
  ask: 'nansen.view.ask',
} as const;

/** The callback id of a table card shown in a modal (App Home): it has no submit, so it never comes back as a submission. */
export const CARD_VIEW = 'nansen.view.card';

/** Input block and action ids of the edit dialogs. */
export const INPUT = {
  description: 'description',
  tags: 'tags',
  /** The owners dialog's people picker (`multi_users_select`, action id `users`) ... */
  owners: 'owners',
  users: 'users',
  /** ... and its checkboxes of current owners without a Slack account (action id `keep`). */
  ownersKeep: 'owners.keep',
  keep: 'keep',
  /** The "Ask Nansen" dialog's radio buttons: `thread` or `private`. */
  askWhere: 'ask.where',
  where: 'where',
  /** Column inputs: `col.<index into the metadata's column list>`. */
  columnPrefix: 'col.',
  value: 'value',
} as const;

/**
 * An action id for the n-th button of one kind in a message (Slack wants action ids unique within a message);
 * listeners match every n with `actionPattern`.
 */
export function actionId(base: string, n?: number): string {
  return n === undefined ? base : `${base}:${n}`;
}

export function actionPattern(base: string): RegExp {
  return new RegExp(`^${base.replace(/\./g, '\\.')}(:\\d+)?$`);
}

/** Every action id base Nansen renders: anything else is an unknown action. */
export function isKnownAction(id: string): boolean {
  return Object.values(ACTION).some((base) => actionPattern(base).test(id));
}

const key = z.string().min(1).max(600);

export const VALUES = {
  searchPage: z.strictObject({ q: z.string().max(600), p: z.number().int().min(0).max(100) }),
  tagPage: z.strictObject({ t: z.string().min(1).max(100), p: z.number().int().min(0).max(1000) }),
  share: z.discriminatedUnion('k', [
    z.strictObject({ k: z.literal('search'), q: z.string().max(600), p: z.number().int().min(0).max(100) }),
    z.strictObject({ k: z.literal('tag'), t: z.string().min(1).max(100), p: z.number().int().min(0).max(1000) }),
    z.strictObject({ k: z.literal('card'), key, cp: z.number().int().min(0).max(1000).optional() }),
  ]),
  table: z.strictObject({ key }),
  columnsPage: z.strictObject({ key, cp: z.number().int().min(0).max(1000) }),
  edit: z.strictObject({ key, v: z.number().int().min(0), cp: z.number().int().min(0).max(1000).optional() }),
  revert: z.strictObject({ id: z.string().min(1).max(100), key, v: z.number().int().min(0) }),
  tag: z.strictObject({ t: z.string().min(1).max(100) }),
  /** An option of the card's overflow menu: which action (`a`), on which table and version. At most 150 characters (Slack's option value limit). */
  cardMenu: z.strictObject({ a: z.enum(['description', 'columns', 'tags', 'owners', 'history']), key, v: z.number().int().min(0), cp: z.number().int().min(0).max(1000).optional() }),
  /** "Not what I meant": the question (`q`, as searched), its language and what the answer offered, best first. */
  miss: z.strictObject({ q: z.string().max(1000), l: z.enum(['en', 'ko']), o: z.array(key).max(10) }),
  /** "More results": the question and the keys of the results not shown yet, in order. */
  more: z.strictObject({ q: z.string().max(1000), l: z.enum(['en', 'ko']), r: z.array(z.strictObject({ key, d: z.literal(1).optional() })).min(1).max(10) }),
} as const;

export type ValueOf<K extends keyof typeof VALUES> = z.infer<(typeof VALUES)[K]>;

export function encodeValue<K extends keyof typeof VALUES>(_kind: K, value: ValueOf<K>): string {
  return JSON.stringify(value);
}

/** Decodes a button value; throws a `LocalizedUserError('bad_payload')` for anything malformed. */
export function decodeValue<K extends keyof typeof VALUES>(kind: K, raw: unknown): ValueOf<K> {
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  const r = VALUES[kind].safeParse(parsed);
  if (!r.success) throw new LocalizedUserError('bad_payload', (lang) => t(lang, 'error.badButton'));
  return r.data as ValueOf<K>;
}

/** What an edit dialog carries in `private_metadata`: the table, the version it showed, and where to report back. */
export const MODAL_METADATA = z.strictObject({
  key,
  v: z.number().int().min(0),
  /** Columns of a column-descriptions dialog, in input order. */
  cols: z.array(z.string().max(300)).max(100).optional(),
  /** The card's column page, to re-render the card after saving. */
  cp: z.number().int().min(0).optional(),
  /** The response_url of the card the dialog was opened from. */
  ru: z.string().url().max(1000).optional(),
  /** The channel of the card the dialog was opened from: a saved edit is confirmed there when the response_url has expired. */
  ch: z.string().regex(/^[CDGU][A-Z0-9]+$/).max(30).optional(),
  /** The card modal the dialog was pushed onto (a card opened from App Home): a saved edit updates it. */
  vw: z.string().regex(/^V[A-Z0-9]+$/).max(30).optional(),
});

export type ModalMetadata = z.infer<typeof MODAL_METADATA>;

export function decodeMetadata(raw: unknown): ModalMetadata {
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  const r = MODAL_METADATA.safeParse(parsed);
  if (!r.success) throw new LocalizedUserError('bad_payload', (lang) => t(lang, 'error.badDialog'));
  return r.data;
}

/** Most characters of a question an "Ask Nansen" dialog carries (its metadata holds 3000 in all). */
export const ASK_QUESTION_MAX = 2500;

/** What the "Ask Nansen" dialog carries: the message's channel, ts, thread (when it is a reply) and text. */
export const ASK_METADATA = z.strictObject({
  ch: z.string().regex(/^[CDG][A-Z0-9]+$/).max(30),
  ts: z.string().regex(/^\d+\.\d+$/).max(30),
  th: z.string().regex(/^\d+\.\d+$/).max(30).optional(),
  q: z.string().min(1).max(ASK_QUESTION_MAX),
});

export type AskMetadata = z.infer<typeof ASK_METADATA>;

export function decodeAskMetadata(raw: unknown): AskMetadata {
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  const r = ASK_METADATA.safeParse(parsed);
  if (!r.success) throw new LocalizedUserError('bad_payload', (lang) => t(lang, 'error.badAskDialog'));
  return r.data;
}
