import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tableKey } from '../../src/domain/keys';
import type { TableRecord } from '../../src/domain/model';
import { PermanentSourceError } from '../errors';
import type { TableFilterFn } from '../patterns';
import type { Connector, ExtractContext, ExtractedItem } from '../source';

export interface DbtConnectorOptions {
  sourceId: string;
  sourceName: string;
  /** The dbt target folder (holding manifest.json and catalog.json) or the manifest.json itself. */
  path: string;
  /** The `{database}` part of keys (default `dbt`). */
  database?: string;
  /** The `{cluster}` part of keys (default: each relation's warehouse database). */
  cluster?: string;
  filter: TableFilterFn;
}

/** The parts of dbt's artifacts the crawler reads (manifest v7+, catalog v1, run_results v4+). */
interface ManifestNode {
  unique_id: string;
  resource_type: string;
  name: string;
  database?: string | null;
  schema: string;
  alias?: string | null;
  identifier?: string | null;
  description?: string;
  tags?: string[];
  meta?: Record<string, unknown>;
  config?: { materialized?: string; meta?: Record<string, unknown>; tags?: string[]; enabled?: boolean };
  columns?: Record<string, { name: string; description?: string; data_type?: string | null }>;
  depends_on?: { nodes?: string[] };
  deprecation_date?: string | null;
}

interface Manifest {
  metadata?: { dbt_schema_version?: string; adapter_type?: string };
  nodes?: Record<string, ManifestNode>;
  sources?: Record<string, ManifestNode>;
}

interface CatalogTable {
  metadata?: { type?: string; comment?: string | null };
  columns?: Record<string, { type?: string; index?: number; name: string; comment?: string | null }>;
  stats?: Record<string, { id: string; value: unknown; include?: boolean }>;
}

interface Catalog {
  nodes?: Record<string, CatalogTable>;
  sources?: Record<string, CatalogTable>;
}

interface RunResults {
  args?: { which?: string };
  results?: Array<{ unique_id: string; status: string; timing?: Array<{ name: string; completed_at?: string | null }> }>;
}

const RELATIONS = new Set(['model', 'seed', 'snapshot', 'source']);
/** Commands whose run_results.json says a relation was (re)built; `compile` or `docs generate` build nothing. */
const BUILDING_COMMANDS = new Set(['build', 'run', 'seed', 'snapshot']);

function ownersOf(meta: Record<string, unknown> | undefined): string[] {
  const v = meta?.owner ?? meta?.owners;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return [];
}

/**
 * Reads dbt's artifacts: models, seeds, snapshots and sources as tables (descriptions, columns with the
 * warehouse's types from catalog.json and dbt's descriptions, tags, owners from `meta.owner`), lineage from
 * `depends_on`, and loads from run_results.json when it lies beside the manifest. Ephemeral models and
 * disabled nodes have no relation and are left out.
 */
export class DbtConnector implements Connector {
  constructor(private readonly options: DbtConnectorOptions) {}

  private async readJson<T>(file: string, required: boolean): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new PermanentSourceError(this.options.sourceId, 'bad_config', `source ${this.options.sourceId}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new PermanentSourceError(this.options.sourceId, 'bad_artifact', `source ${this.options.sourceId}: ${file} is not valid JSON (${(e as Error).message})`);
    }
  }

  async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    let dir = this.options.path;
    let manifestFile = join(dir, 'manifest.json');
    const info = await stat(dir).catch(() => undefined);
    if (info?.isFile()) {
      manifestFile = dir;
      dir = dirname(dir);
    }
    const manifest = (await this.readJson<Manifest>(manifestFile, true))!;
    if (!manifest.nodes || typeof manifest.nodes !== 'object') {
      throw new PermanentSourceError(this.options.sourceId, 'bad_artifact', `source ${this.options.sourceId}: ${basename(manifestFile)} has no nodes; is it a dbt manifest?`);
    }
    const catalog = (await this.readJson<Catalog>(join(dir, 'catalog.json'), false)) ?? {};
    const runResults = await this.readJson<RunResults>(join(dir, 'run_results.json'), false);

    const database = this.options.database ?? 'dbt';
    const relations = new Map<string, { node: ManifestNode; key: string; schema: string; name: string; cluster: string }>();
    for (const node of [...Object.values(manifest.nodes), ...Object.values(manifest.sources ?? {})]) {
      if (!RELATIONS.has(node.resource_type)) continue;
      if (node.config?.enabled === false || node.config?.materialized === 'ephemeral') continue;
      const name = node.resource_type === 'source' ? (node.identifier ?? node.name) : (node.alias ?? node.name);
      const cluster = (this.options.cluster ?? node.database ?? 'default').replace(/[./:]/g, '_');
      if (node.schema.includes('/')) continue;
      relations.set(node.unique_id, { node, key: tableKey({ database, cluster, schema: node.schema, name }), schema: node.schema, name, cluster });
    }

    const loads = new Map<string, string[]>();
    const built = !runResults?.args?.which || BUILDING_COMMANDS.has(runResults.args.which);
    for (const r of built ? (runResults?.results ?? []) : []) {
      if (r.status !== 'success' && r.status !== 'pass') continue;
      const done = r.timing?.find((t) => t.name === 'execute')?.completed_at;
      if (done && !Number.isNaN(Date.parse(done))) loads.set(r.unique_id, [...(loads.get(r.unique_id) ?? []), new Date(done).toISOString()]);
    }

    const selected = [...relations.values()].filter((r) => this.options.filter(r.schema, r.name));
    yield { kind: 'total', tables: selected.length };
    for (const { node, key, schema, name, cluster } of selected) {
      if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
      const cat = (node.resource_type === 'source' ? catalog.sources : catalog.nodes)?.[node.unique_id];
      const documented = new Map(Object.values(node.columns ?? {}).map((c) => [c.name.toLowerCase(), c]));
      const columns = cat?.columns
        ? Object.values(cat.columns)
            .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
            .map((c, position) => {
              const doc = documented.get(c.name.toLowerCase());
              const description = doc?.description || c.comment || undefined;
              return { name: c.name, type: c.type ?? doc?.data_type ?? 'unknown', position, ...(description ? { description } : {}) };
            })
        : Object.values(node.columns ?? {}).map((c, position) => ({ name: c.name, type: c.data_type ?? 'unknown', position, ...(c.description ? { description: c.description } : {}) }));
      const meta = { ...(node.config?.meta ?? {}), ...(node.meta ?? {}) };
      const tags = [...new Set([...(node.tags ?? []), ...(node.config?.tags ?? [])])];
      const owners = ownersOf(meta);
      const description = node.description || cat?.metadata?.comment || undefined;
      const upstream = [...new Set((node.depends_on?.nodes ?? []).map((id) => relations.get(id)?.key).filter((k): k is string => k !== undefined))].sort();
      const rowStat = cat?.stats?.row_count?.value ?? cat?.stats?.num_rows?.value;
      const bytesStat = cat?.stats?.bytes?.value ?? cat?.stats?.num_bytes?.value;
      const isView = node.config?.materialized === 'view' || node.config?.materialized === 'materialized_view' || cat?.metadata?.type?.toUpperCase() === 'VIEW';
      const deprecated = !!node.deprecation_date && Date.parse(node.deprecation_date) <= context.now.getTime();
      const record: TableRecord = {
        key,
        database,
        cluster,
        schema,
        name,
        kind: isView ? 'view' : 'table',
        ...(description ? { description } : {}),
        ...(tags.length ? { tags } : {}),
        ...(owners.length ? { owners } : {}),
        columns,
        ...(upstream.length ? { upstream } : {}),
        ...(loads.get(node.unique_id) ? { updates: loads.get(node.unique_id) } : {}),
        ...(typeof rowStat === 'number' ? { rowCount: rowStat } : {}),
        ...(typeof bytesStat === 'number' ? { sizeBytes: bytesStat } : {}),
        ...(deprecated ? { deprecated } : {}),
        source: this.options.sourceName,
      };
      yield { kind: 'table', record };
    }
  }

  async close(): Promise<void> {}
}
