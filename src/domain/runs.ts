import type { IsoTime } from './model';

/** The states of a job run that OpenLineage reports and Nansen keeps. */
export type RunState = 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';

/** The last run that wrote (or tried to write) a table, as a lineage producer (Airflow, dbt-ol, Spark) reported it. */
export interface TableRun {
  tableKey: string;
  state: RunState;
  /** When the producer says the state was reached. */
  at: IsoTime;
  runId: string;
  /** `namespace/name` of the job. */
  job: string;
  /** The failure's message, from an `errorMessage` run facet. */
  message?: string;
}
