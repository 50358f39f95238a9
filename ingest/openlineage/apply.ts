import { normalizeTime, tableChanges, type DiffContext } from '../diff';
import type { Stores } from '../../src/catalog/publish';
import { publishRecords } from '../../src/catalog/publish';
import type { SchemaChange, Table, TableRecord } from '../../src/domain/model';
import type { TableRun } from '../../src/domain/runs';
import type { Logger } from '../../src/log/logger';
import type { LineageRunStore } from '../../src/ports/lineage-run-store';
import { datasetKey, type NamespaceMapping } from './map';
import type { Dataset, RunEvent, SchemaField } from './types';

/** The source name OpenLineage writes under: tables it creates carry it, and so do the schema changes it observes. */
export const OPENLINEAGE_SOURCE = 'openlineage';

/** Schema changes observed by one event, handed to the alert pipeline (the shape a crawl's outcome has). */
export interface ObservedChanges {
  source: string;
  crawlId: string;
  finishedAt: string;
  changes: SchemaChange[];
}

export interface IntakeDeps {
  stores: Stores;
  runs: LineageRunStore;
  mapping: NamespaceMapping;
  /** Hands schema changes to the alert pipeline; it must be idempotent by `crawlId` (a retried event repeats it). */
  announce?: (changes: ObservedChanges) => Promise<void>;
  log: Logger;
}

/** What one event did. */
export interface IntakeResult {
  status: 'applied' | 'duplicate';
  runId: string;
  eventType: string;
  inputs: string[];
  outputs: string[];
  /** Load-history entries added (COMPLETE: one per output table). */
  loads: number;
  changes: number;
  skipped: Array<{ dataset: string; reason: string }>;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** What the source side of a stored table says, as a record that `upsertTables` puts back unchanged. */
export function recordOf(t: Table): TableRecord {
  return defined({
    key: t.key,
    database: t.database,
    cluster: t.cluster,
    schema: t.schema,
    name: t.name,
    kind: t.kind,
    description: t.sourceDescription,
    tags: [...t.sourceTags],
    badges: [...t.badges],
    owners: [...t.sourceOwners],
    columns: t.columns.map((c) => defined({ name: c.name, type: c.type, position: c.position, nullable: c.nullable, description: c.sourceDescription })),
    readers: t.readers.map((r) => ({ ...r })),
    upstream: [...t.upstream],
    deprecated: t.sourceDeprecated,
    rowCount: t.rowCount,
    sizeBytes: t.sizeBytes,
    source: t.source,
  });
}

/** The columns a `schema` facet describes (top-level fields), keeping what it leaves out from the stored columns. */
export function columnsFromFacet(fields: SchemaField[], before: Table | undefined): TableRecord['columns'] {
  const old = new Map((before?.columns ?? []).map((c) => [c.name, c]));
  const ordered = fields.some((f) => f.ordinal_position !== undefined) ? [...fields].sort((a, b) => (a.ordinal_position ?? Infinity) - (b.ordinal_position ?? Infinity)) : fields;
  return ordered.map((f, i) => {
    const o = old.get(f.name);
    return defined({ name: f.name, type: f.type ?? o?.type ?? 'unknown', position: i, nullable: o?.nullable, description: f.description ?? o?.sourceDescription });
  });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies one validated RunEvent to the catalog; a runId + eventType applied before is a `duplicate` and writes
 * nothing. In order, each step idempotent, so a retry after a crash part-way repeats the same writes:
 * 1. each output's inputs become its upstream lineage; an output's `schema` facet that differs from the stored
 *    columns becomes schema changes (ids from the run and event type), recorded and announced, then the columns;
 *    outputs the catalog does not hold are created (source `openlineage`);
 * 2. a COMPLETE adds `eventTime` to every output's load history;
 * 3. every output's last run becomes this one (a FAIL's `errorMessage` facet kept), then the event is marked applied.
 */
export async function applyRunEvent(event: RunEvent, deps: IntakeDeps): Promise<IntakeResult> {
  const runId = event.run.runId;
  const eventType = event.eventType ?? 'OTHER';
  const at = normalizeTime(event.eventTime);
  const skipped: IntakeResult['skipped'] = [];
  const keyed = (ds: Dataset[] | undefined): Array<{ key: string; ds: Dataset; parts: { database: string; cluster: string; schema: string; name: string } }> =>
    (ds ?? []).flatMap((d) => {
      const m = datasetKey(d.namespace, d.name, deps.mapping);
      if (m.kind === 'skipped') {
        skipped.push({ dataset: `${d.namespace}/${d.name}`, reason: m.reason });
        return [];
      }
      return [{ key: m.key, ds: d, parts: m }];
    });
  const inputs = keyed(event.inputs);
  const outputs = keyed(event.outputs);
  const result: IntakeResult = { status: 'duplicate', runId, eventType, inputs: inputs.map((i) => i.key), outputs: outputs.map((o) => o.key), loads: 0, changes: 0, skipped };
  if (await deps.runs.applied(runId, eventType)) return result;

  const stored = new Map((await deps.stores.graph.getTables(outputs.map((o) => o.key))).map((t) => [t.key, t]));
  const inputKeys = [...new Set(inputs.map((i) => i.key))];
  const records: TableRecord[] = [];
  const changes: SchemaChange[] = [];
  const ctx: DiffContext = { source: OPENLINEAGE_SOURCE, crawlId: `openlineage:${runId}:${eventType}`, at, snapshot: `${runId}:${eventType}`, announceAdded: false, stored: () => true };
  for (const o of outputs) {
    const before = stored.get(o.key);
    const base: TableRecord = before ? recordOf(before) : { key: o.key, ...o.parts, columns: [], upstream: [], source: OPENLINEAGE_SOURCE };
    const upstream = [...new Set([...(base.upstream ?? []), ...inputKeys.filter((k) => k !== o.key)])];
    const fields = o.ds.facets?.schema?.fields;
    const next: TableRecord = { ...base, upstream, ...(fields ? { columns: columnsFromFacet(fields, before) } : {}) };
    if (before && fields) changes.push(...tableChanges(before, next, ctx));
    if (!before || !same(base, next) || before.removedAt) records.push(next);
  }
  if (changes.length) {
    await deps.stores.graph.recordSchemaChanges(changes);
    await deps.announce?.({ source: OPENLINEAGE_SOURCE, crawlId: ctx.crawlId, finishedAt: at, changes });
  }
  if (records.length) await publishRecords({ tables: records }, deps.stores);
  if (eventType === 'COMPLETE' && outputs.length) await deps.stores.graph.recordLoads(outputs.map((o) => ({ tableKey: o.key, at })));
  const message = event.run.facets?.errorMessage?.message;
  const job = `${event.job.namespace}/${event.job.name}`;
  const runs: TableRun[] = outputs.map((o) => ({ tableKey: o.key, state: eventType, at, runId, job, ...(eventType === 'FAIL' && message ? { message } : {}) }));
  if (runs.length) await deps.runs.recordRuns(runs);
  await deps.runs.markApplied(runId, eventType, at);
  deps.log.info({ runId, eventType, job, inputs: inputs.length, outputs: outputs.length, changes: changes.length, skipped: skipped.length }, 'openlineage event applied');
  return { ...result, status: 'applied', loads: eventType === 'COMPLETE' ? outputs.length : 0, changes: changes.length };
}
