import { refreshSearch } from '../catalog/publish';
import { effectiveFieldValue } from '../domain/edits';
import { EditConflictError } from '../domain/errors';
import { effectiveOwners } from '../domain/model';
import type { EditField, EditLogEntry, EditValue, Table, UserId } from '../domain/model';
import type { CoreDeps, EditPolicy } from './deps';
import { invalidateOverview } from './overview';
import type { Actor, PersonRef } from './people';
import { actorFromSlack, resolveActors, resolvePeople } from './people';
import { tableTitle } from '../domain/keys';
import type { PeopleDirectory } from '../ports/people-directory';
import type { OwnerPicks, UserUpsert } from './owner-picks';
import { resolveOwnerPicks } from './owner-picks';
import { messagesFor, t, type Lang } from '../text/catalogue';
import { LocalizedUserError } from '../text/localized-error';

/** How much a person may type into an edit. Longer input is refused with a field error, never truncated. */
export const EDIT_LIMITS = {
  description: 2000,
  columnDescription: 1000,
  maxTags: 20,
  tagLength: 40,
  maxOwners: 10,
  /** Raw text of a tags or owners input. */
  listText: 1000,
} as const;

/** What a person changed in an edit dialog, as typed. */
export type EditChange =
  | { kind: 'description'; text: string }
  /** Column name → the description typed for it (every column of the dialog, changed or not). */
  | { kind: 'column_descriptions'; descriptions: Record<string, string> }
  | { kind: 'tags'; text: string }
  | { kind: 'owners'; text: string }
  /** Owners picked in Slack's people picker, plus the current owners without a Slack account that were kept. */
  | ({ kind: 'owner_picks' } & OwnerPicks);

/**
 * What an edit may need beyond the core's dependencies: Slack's people directory, for owners picked in Slack, and
 * the language of the person editing, for field errors (default English).
 */
export interface EditContext {
  directory?: PeopleDirectory;
  lang?: Lang;
}

type Messages = ReturnType<typeof messagesFor>;

export interface EditSubmission {
  tableKey: string;
  /** The table version the dialog was opened on. */
  expectedVersion: number;
  actorSlackId: string;
  change: EditChange;
}

/** Problems with what was typed, by input: `description`, `tags`, `owners`, or `column:<name>`. */
export type FieldErrors = Record<string, string>;

export type EditOutcome =
  | { kind: 'saved'; entries: EditLogEntry[]; table: Table }
  | { kind: 'unchanged'; table: Table }
  | { kind: 'invalid'; errors: FieldErrors };

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Whether the policy lets this person edit this table. */
export function mayEdit(table: Pick<Table, 'humanOwners' | 'sourceOwners'>, actor: Actor, policy: EditPolicy): boolean {
  if (policy.mode === 'everyone') return true;
  if (policy.admins.has(actor.slackId)) return true;
  return actor.user !== undefined && effectiveOwners(table).includes(actor.user.id);
}

async function requirePermission(table: Table, actor: Actor, deps: Pick<CoreDeps, 'graph' | 'policy'>): Promise<void> {
  if (mayEdit(table, actor, deps.policy)) return;
  const owners = await resolvePeople(effectiveOwners(table), deps.graph);
  const names = owners.map((o) => o.name ?? o.id).join(', ');
  const title = tableTitle(table);
  throw new LocalizedUserError('forbidden', (lang) => (owners.length ? t(lang, 'error.editForbidden', { table: title, names }) : t(lang, 'error.editForbiddenNoOwners', { table: title })), { tableKey: table.key });
}

async function requireTable(key: string, deps: Pick<CoreDeps, 'graph'>): Promise<Table> {
  const table = await deps.graph.getTable(key);
  if (!table) throw new LocalizedUserError('unknown_table', (lang) => t(lang, 'error.unknownTableRenamed', { key }), { tableKey: key });
  return table;
}

/**
 * Checks, before a dialog opens, that the table exists and the person may edit it (the same check runs again on
 * submission). Returns the table as the dialog should show it.
 */
export async function prepareEdit(tableKey: string, actorSlackId: string, deps: Pick<CoreDeps, 'graph' | 'policy'>): Promise<{ table: Table; actor: Actor }> {
  const table = await requireTable(tableKey, deps);
  const actor = await actorFromSlack(actorSlackId, deps.graph);
  await requirePermission(table, actor, deps);
  return { table, actor };
}

function sameValue(a: EditValue, b: EditValue): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** Parses an owners input: catalog ids (`jiwoo.kim`, `@jiwoo.kim`) and Slack mentions (`<@U123>`). */
async function parseOwners(text: string, deps: Pick<CoreDeps, 'graph'>, m: Messages): Promise<{ ids: UserId[] } | { error: string }> {
  if (text.length > EDIT_LIMITS.listText) return { error: m('edit.error.ownersTooLong', { length: formatCount(text.length), max: formatCount(EDIT_LIMITS.listText) }) };
  const slackIds: string[] = [];
  const rest = text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => {
    slackIds.push(id);
    return ' ';
  });
  const names = splitList(rest).map((n) => n.replace(/^@/, ''));
  const unknown: string[] = [];
  const ids: UserId[] = [];
  const bySlack = await Promise.all(slackIds.map((s) => deps.graph.getUserBySlackId(s)));
  bySlack.forEach((u, i) => (u ? ids.push(u.id) : unknown.push(`<@${slackIds[i]}>`)));
  const known = new Set((await deps.graph.getUsers(names)).map((u) => u.id));
  for (const n of names) {
    if (known.has(n)) ids.push(n);
    else unknown.push(n);
  }
  const unique = [...new Set(ids)];
  if (unknown.length) return { error: m('edit.error.unknownOwners', { names: unknown.join(', ') }) };
  if (!unique.length) return { error: m('edit.error.noOwners') };
  if (unique.length > EDIT_LIMITS.maxOwners) return { error: m('edit.error.tooManyOwnersListed', { max: EDIT_LIMITS.maxOwners, n: unique.length }) };
  return { ids: unique };
}

function parseTags(text: string, m: Messages): { tags: string[] } | { error: string } {
  if (text.length > EDIT_LIMITS.listText) return { error: m('edit.error.tagsTooLong', { length: formatCount(text.length), max: formatCount(EDIT_LIMITS.listText) }) };
  const tags = [...new Set(splitList(text.toLowerCase()).map((t) => t.replace(/^#/, '')))];
  const bad = tags.filter((t) => !/^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_-]*$/u.test(t) || t.length > EDIT_LIMITS.tagLength);
  if (bad.length) return { error: m('edit.error.badTags', { max: EDIT_LIMITS.tagLength, tags: bad.slice(0, 5).join(', ') }) };
  if (tags.length > EDIT_LIMITS.maxTags) return { error: m('edit.error.tooManyTags', { max: EDIT_LIMITS.maxTags, n: tags.length }) };
  return { tags };
}

function checkText(text: string, max: number, say: (length: string, max: string) => string): string | undefined {
  if (text.length > max) return say(formatCount(text.length), formatCount(max));
  return undefined;
}

type EditPlan = { edits: Array<{ field: EditField; value: EditValue }>; users?: UserUpsert[] } | { errors: FieldErrors };

/**
 * Turns what was typed into field edits (unchanged fields left out), or field errors. Pure but for user look-ups;
 * catalog users that owners picked in Slack need come back as `users`, to be written only if the edit goes ahead.
 */
async function planEdit(table: Table, change: EditChange, deps: Pick<CoreDeps, 'graph'> & EditContext): Promise<EditPlan> {
  const edits: Array<{ field: EditField; value: EditValue }> = [];
  const m = messagesFor(deps.lang ?? 'en');
  const push = (field: EditField, value: EditValue): void => {
    if (!sameValue(effectiveFieldValue(table, field), value)) edits.push({ field, value });
  };
  switch (change.kind) {
    case 'description': {
      const text = change.text.trim();
      const err = checkText(text, EDIT_LIMITS.description, (length, max) => m('edit.error.descriptionTooLong', { length, max }));
      if (err) return { errors: { description: err } };
      if (!text) return { errors: { description: m('edit.error.descriptionEmpty') } };
      push({ kind: 'description' }, text);
      return { edits };
    }
    case 'column_descriptions': {
      const errors: FieldErrors = {};
      const columns = new Set(table.columns.map((c) => c.name));
      for (const [column, raw] of Object.entries(change.descriptions)) {
        if (!columns.has(column)) {
          errors[`column:${column}`] = m('edit.error.columnGone', { table: tableTitle(table), column });
          continue;
        }
        const text = raw.trim();
        const err = checkText(text, EDIT_LIMITS.columnDescription, (length, max) => m('edit.error.columnTooLong', { length, max }));
        if (err) {
          errors[`column:${column}`] = err;
          continue;
        }
        const field: EditField = { kind: 'column_description', column };
        const current = effectiveFieldValue(table, field);
        if (!text && current === null) continue;
        if (!text) {
          errors[`column:${column}`] = m('edit.error.columnEmpty');
          continue;
        }
        push(field, text);
      }
      return Object.keys(errors).length ? { errors } : { edits };
    }
    case 'tags': {
      const parsed = parseTags(change.text, m);
      if ('error' in parsed) return { errors: { tags: parsed.error } };
      push({ kind: 'tags' }, parsed.tags);
      return { edits };
    }
    case 'owners': {
      const parsed = await parseOwners(change.text, deps, m);
      if ('error' in parsed) return { errors: { owners: parsed.error } };
      push({ kind: 'owners' }, parsed.ids);
      return { edits };
    }
    case 'owner_picks': {
      const resolved = await resolveOwnerPicks(table, change, deps, EDIT_LIMITS.maxOwners);
      if ('error' in resolved) return { errors: { owners: resolved.error } };
      push({ kind: 'owners' }, resolved.ids);
      return edits.length ? { edits, users: resolved.upserts } : { edits };
    }
  }
}

/**
 * Applies an edit made in a dialog: checks the policy (on the server, whatever the client showed), validates the
 * input (field errors, nothing written), refuses a stale version (`EditConflictError`, nothing written), then writes
 * each changed field through `graph.applyEdit` (atomic, logged: who, when, old, new), refreshes search at once and
 * logs the edit. Several columns are written one after another, each carrying the version the previous produced.
 */
export async function submitEdit(sub: EditSubmission, deps: Pick<CoreDeps, 'graph' | 'search' | 'policy' | 'log'> & EditContext): Promise<EditOutcome> {
  const table = await requireTable(sub.tableKey, deps);
  const actor = await actorFromSlack(sub.actorSlackId, deps.graph);
  await requirePermission(table, actor, deps);
  const plan = await planEdit(table, sub.change, deps);
  if ('errors' in plan) return { kind: 'invalid', errors: plan.errors };
  if (table.version !== sub.expectedVersion) throw new EditConflictError(table.key, sub.expectedVersion, table.version);
  if (!plan.edits.length) return { kind: 'unchanged', table };
  if (plan.users?.length) {
    // Written before the edit that names them (an owner must be a catalog user); if the edit then loses a race, the
    // people stay in the catalog, which is true of them anyway.
    await deps.graph.upsertUsers(plan.users.map((u) => u.user));
    for (const u of plan.users) deps.log.info({ userId: u.user.id, slackId: u.user.slackId, tableKey: table.key, actor: actor.id }, u.kind === 'created' ? 'catalog user added from Slack' : 'catalog user linked to Slack');
  }
  const entries: EditLogEntry[] = [];
  let version = sub.expectedVersion;
  let latest = table;
  try {
    for (const e of plan.edits) {
      const r = await deps.graph.applyEdit({ tableKey: table.key, field: e.field, value: e.value, actor: actor.id, expectedVersion: version });
      entries.push(r.entry);
      latest = r.table;
      version = r.table.version;
    }
  } finally {
    if (entries.length) await afterEdit(table.key, entries, deps);
  }
  return { kind: 'saved', entries, table: latest };
}

async function afterEdit(tableKey: string, entries: EditLogEntry[], deps: Pick<CoreDeps, 'graph' | 'search' | 'log'>): Promise<void> {
  await refreshSearch({ tables: [tableKey] }, deps);
  invalidateOverview(deps.graph);
  for (const e of entries) deps.log.info({ tableKey, field: e.field, actor: e.actor, editId: e.id, ...(e.revertOf ? { revertOf: e.revertOf } : {}) }, 'table edited');
}

/**
 * Undoes a logged edit by writing its old value as a new edit (`revertOf` names the undone one), under the same
 * policy and version check as any edit.
 */
export async function revertEdit(input: { editId: string; actorSlackId: string; expectedVersion?: number }, deps: Pick<CoreDeps, 'graph' | 'search' | 'policy' | 'log'>): Promise<{ entry: EditLogEntry; table: Table }> {
  const original = await deps.graph.getEdit(input.editId);
  if (!original) throw new LocalizedUserError('unknown_edit', (lang) => t(lang, 'error.unknownEdit'), { editId: input.editId });
  const table = await requireTable(original.tableKey, deps);
  const actor = await actorFromSlack(input.actorSlackId, deps.graph);
  await requirePermission(table, actor, deps);
  const expected = input.expectedVersion ?? table.version;
  if (table.version !== expected) throw new EditConflictError(table.key, expected, table.version);
  const r = await deps.graph.applyEdit({ tableKey: table.key, field: original.field, value: original.oldValue, actor: actor.id, expectedVersion: expected, revertOf: original.id });
  await afterEdit(table.key, [r.entry], deps);
  return r;
}

export interface HistoryEntry extends EditLogEntry {
  actorRef: PersonRef;
  /** The id of a later edit that reverted this one. */
  revertedBy?: string;
}

export interface TableHistory {
  key: string;
  title: string;
  version: number;
  entries: HistoryEntry[];
}

/** A table's edits, newest first, with who made them and which were reverted. */
export async function tableHistory(tableKey: string, deps: Pick<CoreDeps, 'graph'>, limit = 15): Promise<TableHistory> {
  const table = await requireTable(tableKey, deps);
  const log = await deps.graph.editLog(tableKey, 100);
  const revertedBy = new Map(log.filter((e) => e.revertOf).map((e) => [e.revertOf!, e.id]));
  const shown = log.slice(0, limit);
  const actors = await resolveActors(shown.map((e) => e.actor), deps.graph);
  return {
    key: table.key,
    title: tableTitle(table),
    version: table.version,
    entries: shown.map((e) => ({ ...e, actorRef: actors.get(e.actor) ?? { id: e.actor }, ...(revertedBy.has(e.id) ? { revertedBy: revertedBy.get(e.id)! } : {}) })),
  };
}

/** Who made the edits a conflicting dialog missed: the other people (newest first), and whether the person was among them. */
export interface ConflictAuthors {
  others: PersonRef[];
  self: boolean;
}

/**
 * Reads the edits made since the version a dialog was opened on (each edit bumps the version by one) and says who
 * made them, so a conflict can name them, or say it was the person themself in another dialog.
 */
export async function conflictAuthors(tableKey: string, expected: number, actual: number, actorSlackId: string, deps: Pick<CoreDeps, 'graph'>): Promise<ConflictAuthors> {
  const missed = Math.min(Math.max(actual - expected, 1), 20);
  const [entries, actor] = await Promise.all([deps.graph.editLog(tableKey, missed), actorFromSlack(actorSlackId, deps.graph)]);
  const otherIds = [...new Set(entries.map((e) => e.actor).filter((id) => id !== actor.id))];
  const refs = await resolveActors(otherIds, deps.graph);
  return { others: otherIds.map((id) => refs.get(id) ?? { id }), self: entries.some((e) => e.actor === actor.id) };
}
