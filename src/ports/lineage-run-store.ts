import type { IsoTime } from '../domain/model';
import type { TableRun } from '../domain/runs';

/** Reads the last reported run of tables: answers say "the last run failed" with it. */
export interface RunStatusReader {
  /** The latest run (by event time) of each table that has one. */
  lastRuns(tableKeys: string[]): Promise<Map<string, TableRun>>;
}

/**
 * What the OpenLineage intake remembers beside the graph: which events it has applied, and each table's last run.
 *
 * Contract:
 * - `markApplied` is durable once it resolves; `applied` is true for a runId + eventType marked before;
 * - the intake applies an event's writes first (each idempotent) and marks it after, so an event lost to a crash
 *   between the two is applied again on the producer's retry, never skipped;
 * - `recordRuns` keeps, per table, the run with the latest `at` (ties: the last recorded wins).
 */
export interface LineageRunStore extends RunStatusReader {
  init(): Promise<void>;
  close(): Promise<void>;
  /** Whether this runId + eventType was applied already. */
  applied(runId: string, eventType: string): Promise<boolean>;
  /** Remembers that this runId + eventType has been applied. */
  markApplied(runId: string, eventType: string, at: IsoTime): Promise<void>;
  /** Keeps these runs as their tables' last run where they are newer. */
  recordRuns(runs: TableRun[]): Promise<void>;
}

/** One row of a lineage run store as it is moved from the local file to the shared store. */
export type LineageRunRecord = { kind: 'applied'; runId: string; eventType: string; at: IsoTime } | { kind: 'table_run'; run: TableRun };
