import type { IsoTime } from '../domain/model';
import type { AnsweringDeps, FailedRun } from './types';

/**
 * The table's last reported run when it failed or was aborted and no load was seen after it; undefined otherwise,
 * and when no run store is configured or it cannot be read (answers never fail for it).
 */
export async function failedRun(tableKey: string, lastLoad: IsoTime | undefined, deps: Pick<AnsweringDeps, 'runs'>): Promise<FailedRun | undefined> {
  if (!deps.runs) return undefined;
  const run = (await deps.runs.lastRuns([tableKey]).catch(() => new Map())).get(tableKey);
  if (!run || (run.state !== 'FAIL' && run.state !== 'ABORT')) return undefined;
  if (lastLoad && Date.parse(lastLoad) > Date.parse(run.at)) return undefined;
  return { state: run.state, at: run.at, job: run.job, ...(run.message ? { message: run.message } : {}) };
}
