import { EditConflictError, UserError } from './errors';
import type { EditField, EditLogEntry, EditRequest, EditValue, Table } from './model';
import { effectiveColumnDescription, effectiveDescription, effectiveOwners, effectiveTags } from './model';

type EditableTable = Omit<Table, 'upstream' | 'downstream' | 'dashboards' | 'updates'>;

/** The value a person sees for a field now (human over source): what an edit log records as "old". */
export function effectiveFieldValue(table: EditableTable, field: EditField): EditValue {
  switch (field.kind) {
    case 'description':
      return effectiveDescription(table) ?? null;
    case 'column_description': {
      const column = table.columns.find((c) => c.name === field.column);
      return column ? (effectiveColumnDescription(column) ?? null) : null;
    }
    case 'tags':
      return [...effectiveTags(table)];
    case 'owners':
      return [...effectiveOwners(table)];
    case 'deprecated':
      return table.deprecated;
  }
}

function expectText(value: EditValue, what: string): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string') throw new UserError('bad_edit', `${what} must be text.`);
  return value;
}

function expectList(value: EditValue, what: string): string[] | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value)) throw new UserError('bad_edit', `${what} must be a list.`);
  return [...new Set(value.map((v) => v.trim()).filter(Boolean))];
}

/**
 * Returns a copy of the table with a person's edit applied to the human side of the field. `null` clears the
 * person's value, so the source's shows again. Throws `UserError` for an unknown column or a value of the wrong shape.
 */
export function applyFieldEdit<T extends EditableTable>(table: T, field: EditField, value: EditValue): T {
  const next: T = { ...table, columns: table.columns.map((c) => ({ ...c })) };
  switch (field.kind) {
    case 'description': {
      const text = expectText(value, 'A description');
      if (text === undefined) delete next.humanDescription;
      else next.humanDescription = text;
      return next;
    }
    case 'column_description': {
      const column = next.columns.find((c) => c.name === field.column);
      if (!column) throw new UserError('unknown_column', `${table.key} has no column ${field.column}.`, { tableKey: table.key, column: field.column });
      const text = expectText(value, 'A column description');
      if (text === undefined) delete column.humanDescription;
      else column.humanDescription = text;
      return next;
    }
    case 'tags': {
      const tags = expectList(value, 'Tags');
      if (tags === undefined) delete next.humanTags;
      else next.humanTags = tags.map((t) => t.toLowerCase());
      return next;
    }
    case 'owners': {
      const owners = expectList(value, 'Owners');
      if (owners === undefined) delete next.humanOwners;
      else next.humanOwners = owners;
      return next;
    }
    case 'deprecated': {
      if (value !== null && typeof value !== 'boolean') throw new UserError('bad_edit', 'Deprecation must be true or false.');
      if (value === null) delete next.humanDeprecated;
      else next.humanDeprecated = value;
      next.deprecated = value ?? table.sourceDeprecated ?? false;
      return next;
    }
  }
}

/**
 * One edit of a table as a store holds it: the version the person saw checked, the field changed, the version
 * bumped, and the log entry. `derive` lets a store set what follows from the change (Neo4j's effective
 * `deprecated`) before the entry reads the new value.
 */
export function planEdit<T extends EditableTable>(stored: T, request: EditRequest, made: { id: string; at: string }, derive: (updated: T) => void = () => undefined): { updated: T; entry: EditLogEntry } {
  if (request.expectedVersion !== undefined && request.expectedVersion !== stored.version) {
    throw new EditConflictError(request.tableKey, request.expectedVersion, stored.version);
  }
  const updated = applyFieldEdit(stored, request.field, request.value);
  derive(updated);
  updated.version = stored.version + 1;
  const entry: EditLogEntry = {
    id: made.id,
    tableKey: request.tableKey,
    field: request.field,
    oldValue: effectiveFieldValue(stored, request.field),
    newValue: effectiveFieldValue(updated, request.field),
    actor: request.actor,
    at: made.at,
    ...(request.revertOf ? { revertOf: request.revertOf } : {}),
  };
  return { updated, entry };
}
