import neo4j, { type Driver, type Integer } from 'neo4j-driver';
import { classifySourceError } from '../errors';
import type { AmundsenDashboard, AmundsenSource, AmundsenTable, AmundsenUser, LabelCounts } from '../amundsen/source';

export interface AmundsenNeo4jOptions {
  /** `bolt://` or `neo4j://` URL of Amundsen's Neo4j. */
  url: string;
  username?: string;
  password?: string;
  /** The database (Neo4j 4+); default the server's default. */
  database?: string;
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : neo4j.isInt(v) ? (v as Integer).toNumber() : typeof v === 'number' ? v : Number(v));
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

const TABLES = `
MATCH (t:Table) WHERE t.key > $after
WITH t ORDER BY t.key LIMIT $limit
RETURN t.key AS key, t.name AS name, coalesce(t.is_view, false) AS isView,
  [(t)-[:TABLE_OF]->(s:Schema)-[:SCHEMA_OF]->(c:Cluster)-[:CLUSTER_OF]->(d:Database) | {schema: s.name, cluster: c.name, database: d.name}][0] AS location,
  [(t)-[:DESCRIPTION]->(x:Description) | x.description][0] AS description,
  [(t)-[:DESCRIPTION]->(x:Programmatic_Description) | {source: x.description_source, text: x.description}] AS programmatic,
  [(t)-[:TAGGED_BY]->(g:Tag) | {key: g.key, type: g.tag_type}] AS tags,
  [(t)-[:HAS_BADGE]->(b:Badge) | b.key] AS badges,
  [(t)-[:OWNER]->(u:User) | u.key] AS owners,
  [(u:User)-[r:READ]->(t) | {user: u.key, count: r.read_count}] AS readers,
  [(t)-[:HAS_UPSTREAM]->(up:Table) | up.key] AS upstream,
  [(t)-[:LAST_UPDATED_AT]->(ts:Timestamp) | coalesce(ts.last_updated_timestamp, ts.timestamp)][0] AS lastUpdated,
  [(t)-[:COLUMN]->(c:Column) | {name: c.name, type: c.col_type, sortOrder: c.sort_order,
     description: [(c)-[:DESCRIPTION]->(cd:Description) | cd.description][0], badges: [(c)-[:HAS_BADGE]->(cb:Badge) | cb.key],
     stats: size([(c)-[:STAT]->(st) | st]), lineage: size([(c)-[:HAS_UPSTREAM]->(cu) | cu])}] AS columns,
  size([(t)-[:WATERMARK]->(w) | w]) AS watermarks,
  [(t)-[:DERIVED_FROM]->(a:Application) | coalesce(a.name, a.key)] AS applications,
  size([(t)-[:HAS_REPORT]->(x) | x]) AS reports,
  size([(t)-[:SOURCE]->(x) | x]) AS sources`;

const DASHBOARDS = `
MATCH (d:Dashboard) WHERE d.key > $after
WITH d ORDER BY d.key LIMIT $limit
RETURN d.key AS key, d.name AS name, d.dashboard_url AS url,
  [(d)-[:DESCRIPTION]->(x:Description) | x.description][0] AS description,
  [(d)-[:DASHBOARD_OF]->(g:Dashboardgroup) | g.name][0] AS grp,
  [(d)-[:OWNER]->(u:User) | u.key] AS owners,
  [(d)-[:DASHBOARD_WITH_TABLE]->(t:Table) | t.key] AS tables,
  [(u:User)-[r:READ]->(d) | {user: u.key, count: r.read_count}] AS readers,
  size([(d)-[:HAS_QUERY]->(q) | q]) AS queries,
  size([(d)-[:HAS_QUERY]->()-[:HAS_CHART]->(c) | c]) AS charts,
  size([(d)-[:EXECUTED]->(e) | e]) AS executions,
  [(d)-[:LAST_UPDATED_AT]->(ts:Timestamp) | coalesce(ts.timestamp, ts.last_updated_timestamp)][0] AS lastUpdated`;

const USERS = `
MATCH (u:User) WHERE u.key > $after
WITH u ORDER BY u.key LIMIT $limit
RETURN u.key AS key, u.email AS email, u.full_name AS fullName, u.first_name AS firstName, u.last_name AS lastName, u.slack_id AS slackId, u.team_name AS teamName`;

/**
 * Reads Amundsen's Neo4j (read transactions, every value a parameter), in key order with keyset paging, so a large
 * graph streams in batches and a batch is never skipped or read twice. Connection failures are `SourceError`s
 * (bad credentials permanent, refused or timed out transient).
 */
export class AmundsenNeo4jSource implements AmundsenSource {
  private readonly driver: Driver;

  constructor(private readonly options: AmundsenNeo4jOptions) {
    this.driver = neo4j.driver(options.url, options.username ? neo4j.auth.basic(options.username, options.password ?? '') : undefined, { disableLosslessIntegers: false, connectionTimeout: 10_000, maxTransactionRetryTime: 10_000 });
  }

  private async read<T>(cypher: string, params: Record<string, unknown>, map: (r: Record<string, unknown>) => T): Promise<T[]> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ, ...(this.options.database ? { database: this.options.database } : {}) });
    try {
      const res = await session.executeRead((tx) => tx.run(cypher, params));
      return res.records.map((r) => map(r.toObject() as Record<string, unknown>));
    } catch (e) {
      throw classifySourceError(e, { source: 'amundsen', target: this.options.url, secrets: [this.options.password] });
    } finally {
      await session.close();
    }
  }

  private async *paged<T extends { key: string }>(cypher: string, batchSize: number, map: (r: Record<string, unknown>) => T): AsyncGenerator<T[]> {
    let after = '';
    while (true) {
      const batch = await this.read(cypher, { after, limit: neo4j.int(batchSize) }, map);
      if (!batch.length) return;
      yield batch;
      after = batch[batch.length - 1]!.key;
      if (batch.length < batchSize) return;
    }
  }

  async counts(): Promise<LabelCounts> {
    // fail at once on a server that is not there, rather than after the driver's retries
    await this.driver.getServerInfo(this.options.database ? { database: this.options.database } : {}).catch((e: unknown) => {
      throw classifySourceError(e, { source: 'amundsen', target: this.options.url, secrets: [this.options.password] });
    });
    const rows = await this.read('MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n', {}, (r) => [r.label as string, num(r.n) ?? 0] as const);
    return Object.fromEntries(rows);
  }

  users(batchSize: number): AsyncGenerator<AmundsenUser[]> {
    return this.paged(USERS, batchSize, (r) => {
      const u: AmundsenUser = { key: r.key as string };
      for (const k of ['email', 'fullName', 'firstName', 'lastName', 'slackId', 'teamName'] as const) {
        const v = str(r[k]);
        if (v) u[k] = v;
      }
      return u;
    });
  }

  tables(batchSize: number): AsyncGenerator<AmundsenTable[]> {
    return this.paged(TABLES, batchSize, (r) => {
      const loc = (r.location ?? undefined) as { schema?: string; cluster?: string; database?: string } | undefined;
      const columns = (r.columns as Array<Record<string, unknown>>).map((c) => ({
        name: c.name as string,
        ...(str(c.type) ? { type: str(c.type)! } : {}),
        ...(num(c.sortOrder) !== undefined ? { sortOrder: num(c.sortOrder)! } : {}),
        ...(str(c.description) ? { description: str(c.description)! } : {}),
        badges: strs(c.badges),
        stats: num(c.stats) ?? 0,
        lineage: num(c.lineage) ?? 0,
      }));
      const lastUpdated = num(r.lastUpdated);
      const t: AmundsenTable = {
        key: r.key as string,
        name: (r.name as string) ?? '',
        isView: r.isView === true,
        ...(loc ? { location: Object.fromEntries(Object.entries(loc).filter(([, v]) => typeof v === 'string')) } : {}),
        ...(str(r.description) ? { description: str(r.description)! } : {}),
        programmatic: (r.programmatic as Array<{ source: unknown; text: unknown }>).filter((p) => str(p.text)).map((p) => ({ source: str(p.source) ?? 'unknown', text: p.text as string })),
        tags: (r.tags as Array<{ key: unknown; type: unknown }>).filter((g) => str(g.key)).map((g) => ({ key: g.key as string, ...(str(g.type) ? { type: g.type as string } : {}) })),
        badges: strs(r.badges),
        owners: strs(r.owners),
        readers: (r.readers as Array<{ user: unknown; count: unknown }>).filter((x) => str(x.user)).map((x) => ({ user: x.user as string, count: num(x.count) ?? 0 })),
        upstream: strs(r.upstream),
        ...(lastUpdated !== undefined ? { lastUpdated } : {}),
        columns: columns.map(({ stats: _s, lineage: _l, ...c }) => c),
        watermarks: num(r.watermarks) ?? 0,
        applications: strs(r.applications),
        other: {
          reports: num(r.reports) ?? 0,
          sources: num(r.sources) ?? 0,
          column_stats: columns.reduce((n, c) => n + c.stats, 0),
          column_lineage: columns.reduce((n, c) => n + c.lineage, 0),
        },
      };
      return t;
    });
  }

  dashboards(batchSize: number): AsyncGenerator<AmundsenDashboard[]> {
    return this.paged(DASHBOARDS, batchSize, (r) => {
      const lastUpdated = num(r.lastUpdated);
      return {
        key: r.key as string,
        name: (r.name as string) ?? (r.key as string),
        ...(str(r.description) ? { description: str(r.description)! } : {}),
        ...(str(r.url) ? { url: str(r.url)! } : {}),
        ...(str(r.grp) ? { group: str(r.grp)! } : {}),
        owners: strs(r.owners),
        tables: strs(r.tables),
        readers: (r.readers as Array<{ user: unknown; count: unknown }>).filter((x) => str(x.user)).map((x) => ({ user: x.user as string, count: num(x.count) ?? 0 })),
        queries: num(r.queries) ?? 0,
        charts: num(r.charts) ?? 0,
        executions: num(r.executions) ?? 0,
        ...(lastUpdated !== undefined ? { lastUpdated } : {}),
      };
    });
  }

  async unmapped(): Promise<{ schemaDescriptions: number; groupDescriptions: number }> {
    const [row] = await this.read(
      'RETURN size([(:Schema)-[:DESCRIPTION]->(d) | d]) AS schemas, size([(:Dashboardgroup)-[:DESCRIPTION]->(d) | d]) AS groups',
      {},
      (r) => ({ schemaDescriptions: num(r.schemas) ?? 0, groupDescriptions: num(r.groups) ?? 0 }),
    );
    return row ?? { schemaDescriptions: 0, groupDescriptions: 0 };
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
