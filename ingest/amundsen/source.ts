/**
 * Amundsen's metadata as its Neo4j graph holds it (the model databuilder 7.x writes), read in batches. The
 * connector (`ingest/connectors/amundsen.ts`) implements `AmundsenSource` over neo4j-driver; `migrate.ts` maps what
 * it reads to Nansen's model.
 */

/** A `User` node. */
export interface AmundsenUser {
  /** The node key: an email. */
  key: string;
  email?: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
  slackId?: string;
  teamName?: string;
}

export interface AmundsenColumn {
  name: string;
  type?: string;
  sortOrder?: number;
  /** The `Description` node's text (the one Amundsen's UI edits). */
  description?: string;
  badges: string[];
}

/** A `Table` node with everything around it. */
export interface AmundsenTable {
  /** `{database}://{cluster}.{schema}/{table}`. */
  key: string;
  name: string;
  isView: boolean;
  /** Database, cluster and schema names along TABLE_OF → SCHEMA_OF → CLUSTER_OF, when the chain is there. */
  location?: { database?: string; cluster?: string; schema?: string };
  /** The `Description` node: user-written in Amundsen's model (`description_source` = `description`). */
  description?: string;
  /** `Programmatic_Description` nodes, by their source (`quality_service`, `s3_crawler`). */
  programmatic: Array<{ source: string; text: string }>;
  tags: Array<{ key: string; type?: string }>;
  badges: string[];
  /** User keys along OWNER. */
  owners: string[];
  /** READ edges with their `read_count`. */
  readers: Array<{ user: string; count: number }>;
  /** Table keys along HAS_UPSTREAM. */
  upstream: string[];
  /** `Timestamp` (LAST_UPDATED_AT), epoch seconds. */
  lastUpdated?: number;
  columns: AmundsenColumn[];
  watermarks: number;
  applications: string[];
  /** Other nodes hanging off the table that Nansen has no place for (reports, sources, column stats and lineage). */
  other: Record<string, number>;
}

/** A `Dashboard` node with its group, queries, charts, owners and tables. */
export interface AmundsenDashboard {
  key: string;
  name: string;
  description?: string;
  url?: string;
  group?: string;
  owners: string[];
  tables: string[];
  readers: Array<{ user: string; count: number }>;
  queries: number;
  charts: number;
  executions: number;
  lastUpdated?: number;
}

/** Nodes per label, as the source graph holds them. */
export type LabelCounts = Record<string, number>;

/** Amundsen's graph, read in key order, batch after batch. */
export interface AmundsenSource {
  /** Nodes per label. */
  counts(): Promise<LabelCounts>;
  users(batchSize: number): AsyncGenerator<AmundsenUser[]>;
  tables(batchSize: number): AsyncGenerator<AmundsenTable[]>;
  dashboards(batchSize: number): AsyncGenerator<AmundsenDashboard[]>;
  /** Counts of what hangs off nodes the migration does not read (so the report can say it skipped them). */
  unmapped(): Promise<{ schemaDescriptions: number; groupDescriptions: number }>;
  close(): Promise<void>;
}
