/**
 * Nansen's metadata model, after the Ground paper's split that Amundsen uses too:
 * context (what the data is), behaviour (how it is made and used) and change (how it changed).
 *
 * Everything a source says is kept apart from what a person said: `source*` fields are written by ingestion,
 * `human*` fields only by edits, and the effective value is the human one when a person has set it.
 */

/** A user id as the catalog knows it (`jiwoo.kim`), not a Slack id. */
export type UserId = string;

/** An ISO-8601 instant (`2026-11-24T08:05:00Z`). */
export type IsoTime = string;

export interface User {
  id: UserId;
  name: string;
  email?: string;
  /** The person's Slack member id (`U0519E125C9`), when known; lets answers mention them. */
  slackId?: string;
  team?: string;
}

export interface Column {
  name: string;
  type: string;
  /** 0-based position in the table. */
  position: number;
  nullable?: boolean;
  sourceDescription?: string;
  humanDescription?: string;
}

/** Reads of a table by one user: the basis of "frequent users" and of popularity. */
export interface ReadCount {
  user: UserId;
  count: number;
}

export type TableKind = 'table' | 'view';

/**
 * What a source (a crawl or an imported catalog file) says about a table. Ingestion writes exactly this;
 * it never carries human-edited values.
 */
export interface TableRecord {
  /** `{database}://{cluster}.{schema}/{name}`, Amundsen's convention. */
  key: string;
  database: string;
  cluster: string;
  schema: string;
  name: string;
  kind?: TableKind;
  description?: string;
  tags?: string[];
  badges?: string[];
  owners?: UserId[];
  columns: Array<Omit<Column, 'humanDescription' | 'sourceDescription'> & { description?: string }>;
  /** Observed load times, any order; merged into the table's load history (never shrinks it). */
  updates?: IsoTime[];
  readers?: ReadCount[];
  /** Keys of the tables this one is built from. */
  upstream?: string[];
  deprecated?: boolean;
  rowCount?: number;
  sizeBytes?: number;
  /** The source that published this record (`catalog:dev`, `postgres:warehouse`). */
  source?: string;
}

export interface DashboardRecord {
  /** `{tool}://{group}/{id}`. */
  key: string;
  name: string;
  description?: string;
  owners?: UserId[];
  /** Keys of the tables the dashboard reads. */
  tables?: string[];
  url?: string;
  source?: string;
}

/** A table as the stores hold it: the source's view, people's edits, and the graph around it. */
export interface Table {
  key: string;
  database: string;
  cluster: string;
  schema: string;
  name: string;
  kind: TableKind;
  sourceDescription?: string;
  humanDescription?: string;
  sourceTags: string[];
  /** Tags a person set; when present they replace the source's tags. */
  humanTags?: string[];
  badges: string[];
  sourceOwners: UserId[];
  /** Owners a person set; when present they replace the source's owners. */
  humanOwners?: UserId[];
  columns: Column[];
  readers: ReadCount[];
  upstream: string[];
  downstream: string[];
  dashboards: string[];
  /** Every observed load time, oldest first. */
  updates: IsoTime[];
  /** Effective deprecation: a person's flag when set, else the source's. */
  deprecated: boolean;
  /** Deprecation as a person set it; a crawl never overrides it. */
  humanDeprecated?: boolean;
  /** Deprecation as the source says it. */
  sourceDeprecated?: boolean;
  rowCount?: number;
  sizeBytes?: number;
  source?: string;
  /** When a crawl found the table gone from its source; removed tables are kept, not deleted. */
  removedAt?: IsoTime;
  /** Incremented by every human edit; edits carry the version they saw, so concurrent edits conflict. */
  version: number;
}

export interface Dashboard {
  key: string;
  name: string;
  description?: string;
  owners: UserId[];
  tables: string[];
  url?: string;
  source?: string;
  removedAt?: IsoTime;
}

/** The fields a person may edit. */
export type EditField =
  | { kind: 'description' }
  | { kind: 'column_description'; column: string }
  | { kind: 'tags' }
  | { kind: 'owners' }
  | { kind: 'deprecated' };

/** The value of an edit: text for descriptions, a list for tags and owners, a flag for deprecation. */
export type EditValue = string | string[] | boolean | null;

/** A request to change one field of a table, made by a person. */
export interface EditRequest {
  tableKey: string;
  field: EditField;
  value: EditValue;
  actor: UserId;
  /** The table version the person saw; a mismatch is a conflict, never a silent overwrite. Omit to force. */
  expectedVersion?: number;
  /** Set when this edit undoes an earlier one. */
  revertOf?: string;
}

/** One logged human edit: who, when, old, new. */
export interface EditLogEntry {
  id: string;
  tableKey: string;
  field: EditField;
  oldValue: EditValue;
  newValue: EditValue;
  actor: UserId;
  at: IsoTime;
  revertOf?: string;
}

export type SchemaChangeKind =
  | 'table_added'
  | 'table_removed'
  | 'column_added'
  | 'column_removed'
  | 'column_type_changed'
  | 'column_nullability_changed'
  | 'description_changed';

/** One schema change a crawl observed. */
export interface SchemaChange {
  id: string;
  source: string;
  /** The crawl that observed it: changes of one crawl are announced together. */
  crawlId: string;
  at: IsoTime;
  tableKey: string;
  kind: SchemaChangeKind;
  column?: string;
  oldValue?: string;
  newValue?: string;
}

/** The effective description: a person's over the source's. */
export function effectiveDescription(t: Pick<Table, 'humanDescription' | 'sourceDescription'>): string | undefined {
  return t.humanDescription ?? t.sourceDescription;
}

export function effectiveTags(t: Pick<Table, 'humanTags' | 'sourceTags'>): string[] {
  return t.humanTags ?? t.sourceTags;
}

export function effectiveOwners(t: Pick<Table, 'humanOwners' | 'sourceOwners'>): UserId[] {
  return t.humanOwners ?? t.sourceOwners;
}

export function effectiveColumnDescription(c: Pick<Column, 'humanDescription' | 'sourceDescription'>): string | undefined {
  return c.humanDescription ?? c.sourceDescription;
}

/** The last observed load, if any. */
export function lastUpdate(t: Pick<Table, 'updates'>): IsoTime | undefined {
  return t.updates.length ? t.updates[t.updates.length - 1] : undefined;
}

/** Total reads across users: the popularity signal. */
export function totalReads(t: Pick<Table, 'readers'>): number {
  return t.readers.reduce((sum, r) => sum + r.count, 0);
}
