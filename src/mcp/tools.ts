/**
 * The catalog as MCP tools: the same use cases as the Slack front end (`src/core`, `src/answering`), returned as
 * structured content with a text rendering beside it. Read tools always; write tools only when the server is
 * built with `write` (NANSEN_MCP_WRITE=1), and then every edit goes through `submitEdit` / `revertEdit`: the edit
 * policy, the version check and the edit log, exactly as a Slack modal's.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { recentSchemaChanges } from '../alerts/recent';
import type { McpDeps } from './deps';
import { searchCatalog, SEARCH_MAX_RESULTS } from '../core/search-catalog';
import { tableCardOf } from '../core/table-card';
import { guarded, ok } from './result';
import { renderTerminal } from '../render/terminal';
import { lineageOf, requireTable } from './lookup';
import { registerWriteTools } from './write-tools';

/** Whether, and as whom, the server offers write tools. */
export interface McpOptions {
  /** Set (NANSEN_MCP_WRITE=1) to add the write tools; edits are made as this Slack member id. */
  write?: { actorSlackId: string };
  /** Server version reported to clients. */
  version?: string;
}

export type { McpDeps } from './deps';

/** The tool names the server offers without writes, in the order it lists them. */
export const READ_TOOLS = ['search', 'get_table', 'get_lineage', 'ask', 'recent_schema_changes'] as const;

const TABLE_REF = z.string().min(1).max(500).describe('A table key (hive://gold.game_log/sessions) or its name: schema.table, cluster.schema.table or a bare table name');

/** Builds an MCP server with the catalog tools; connect it to one transport. */
export function createMcpServer(deps: McpDeps, options: McpOptions = {}): McpServer {
  const server = new McpServer({ name: 'nansen', version: options.version ?? '0.1.0' }, { maxToolInputElements: 2000 });
  const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

  server.registerTool(
    'search',
    {
      title: 'Search the data catalog',
      description: 'Ranked search of tables and dashboards by words (English or Korean): names, columns, descriptions, tags. Returns key, title, description, owners, last update.',
      inputSchema: {
        query: z.string().min(1).max(500).describe('What to look for, in your own words ("latency by country")'),
        limit: z.number().int().min(1).max(SEARCH_MAX_RESULTS).optional().describe('Results per page (default 10)'),
        page: z.number().int().min(0).optional().describe('0-based page (default 0)'),
      },
      annotations: readOnly,
    },
    ({ query, limit, page }) =>
      guarded('search', deps, async () => {
        const result = await searchCatalog(query, page ?? 0, deps, limit ?? 10);
        return ok({ query: result.query, page: result.page, hasMore: result.hasMore, results: result.items });
      }),
  );

  server.registerTool(
    'get_table',
    {
      title: 'Get a table',
      description: "A table's card: description (and whether a person or the source wrote it), columns, owners, frequent users, tags, badges, last update and cadence, lineage, dashboards, recent schema changes, version.",
      inputSchema: { table: TABLE_REF },
      annotations: readOnly,
    },
    ({ table }) =>
      guarded('get_table', deps, async () => {
        const card = await tableCardOf(await requireTable(table, deps), deps);
        return ok({ table: card });
      }),
  );

  server.registerTool(
    'get_lineage',
    {
      title: 'Get lineage',
      description: 'Tables a table is built from (upstream) and built into (downstream), nearest first, up to `depth` hops, and the dashboards that read it.',
      inputSchema: {
        table: TABLE_REF,
        direction: z.enum(['upstream', 'downstream', 'both']).optional().describe('Default both'),
        depth: z.number().int().min(1).max(5).optional().describe('Hops to follow (default 1)'),
      },
      annotations: readOnly,
    },
    ({ table, direction, depth }) =>
      guarded('get_lineage', deps, async () => {
        const t = await requireTable(table, deps);
        return ok(await lineageOf(t, direction ?? 'both', depth ?? 1, deps));
      }),
  );

  server.registerTool(
    'ask',
    {
      title: 'Ask about data',
      description:
        'Answers a question about the data catalog as the Slack bot would ("which table has latency by country?", "when was game_log.sessions last updated?", "who owns daily_revenue?"). Returns the structured answer and its text. Pass earlier questions of the conversation in `thread` for follow-ups ("is it hourly?").',
      inputSchema: {
        question: z.string().min(1).max(2000),
        thread: z.array(z.string().max(2000)).max(6).optional().describe('Earlier questions of the conversation, oldest first'),
        table: z.string().max(500).optional().describe('The table key the conversation is about, if known'),
      },
      annotations: readOnly,
    },
    ({ question, thread, table }) =>
      guarded('ask', deps, async () => {
        const answer = await deps.answer(
          { text: question, ...(thread?.length ? { thread } : {}), ...(table ? { subjectTable: table } : {}) },
          { graph: deps.graph, search: deps.search, now: deps.now, timeZone: deps.timeZone, ...(deps.vocabulary ? { vocabulary: deps.vocabulary } : {}), ...(deps.meaning ? { meaning: deps.meaning } : {}), ...(deps.runs ? { runs: deps.runs } : {}) },
        );
        return ok({ answer }, renderTerminal(answer, { color: false }));
      }),
  );

  server.registerTool(
    'recent_schema_changes',
    {
      title: 'Recent schema changes',
      description: 'Schema changes the crawls observed, newest first, classified breaking / additive / informational; of one table or of the whole catalog.',
      inputSchema: { table: TABLE_REF.optional(), limit: z.number().int().min(1).max(100).optional().describe('Default 20') },
      annotations: readOnly,
    },
    ({ table, limit }) =>
      guarded('recent_schema_changes', deps, async () => {
        const key = table ? (await requireTable(table, deps)).key : undefined;
        const changes = await recentSchemaChanges({ graph: deps.graph }, { ...(key ? { tableKey: key } : {}), limit: limit ?? 20 });
        return ok({ ...(key ? { table: key } : {}), changes: changes.map((c) => ({ at: c.at, table: c.tableKey, label: c.label, severity: c.severity, detail: c.detail, text: c.text, crawlId: c.crawlId })) });
      }),
  );

  if (options.write) registerWriteTools(server, deps, options.write.actorSlackId);
  return server;
}
