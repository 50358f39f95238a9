import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { revertEdit, submitEdit, type EditChange } from '../core/edits';
import { UserError } from '../domain/errors';
import { structured } from './result';
import { requireTable } from './lookup';
import type { McpDeps } from './deps';

/** The write tools' names (offered only with NANSEN_MCP_WRITE=1). */
export const WRITE_TOOLS = ['update_description', 'update_column_description', 'update_tags', 'update_owners', 'revert_edit'] as const;

const EXPECTED_VERSION = z.number().int().min(0).optional().describe('The table version you read (get_table); a newer one is a conflict and nothing is written. Omit to edit the current version.');

/**
 * Registers the edit tools. Each makes the edit as `actorSlackId` through `submitEdit` / `revertEdit`, so the edit
 * policy, input limits, version check and edit log are the Slack modals' own.
 */
export function registerWriteTools(server: McpServer, deps: McpDeps, actorSlackId: string): void {
  const edit = async (tool: string, table: string, expected: number | undefined, change: EditChange) =>
    structured(tool, deps, async () => {
      const t = await requireTable(table, deps);
      const outcome = await submitEdit({ tableKey: t.key, expectedVersion: expected ?? t.version, actorSlackId, change }, deps);
      switch (outcome.kind) {
        case 'invalid':
          throw new UserError('invalid_edit', Object.values(outcome.errors).join(' '), { errors: outcome.errors });
        case 'unchanged':
          return { outcome: 'unchanged', table: t.key, version: outcome.table.version };
        case 'saved':
          return { outcome: 'saved', table: t.key, version: outcome.table.version, edits: outcome.entries };
      }
    });
  const destructive = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

  server.registerTool(
    'update_description',
    { title: "Edit a table's description", description: "Sets the table's human description (the next crawl never overwrites it). Logged, revertible.", inputSchema: { table: z.string().min(1).max(500), description: z.string().min(1), expected_version: EXPECTED_VERSION }, annotations: destructive },
    ({ table, description, expected_version }) => edit('update_description', table, expected_version, { kind: 'description', text: description }),
  );
  server.registerTool(
    'update_column_description',
    { title: "Edit a column's description", description: "Sets one column's human description. Logged, revertible.", inputSchema: { table: z.string().min(1).max(500), column: z.string().min(1).max(300), description: z.string().min(1), expected_version: EXPECTED_VERSION }, annotations: destructive },
    ({ table, column, description, expected_version }) => edit('update_column_description', table, expected_version, { kind: 'column_descriptions', descriptions: { [column]: description } }),
  );
  server.registerTool(
    'update_tags',
    { title: "Set a table's tags", description: 'Replaces the tags people set on the table (single words). Logged, revertible.', inputSchema: { table: z.string().min(1).max(500), tags: z.array(z.string().max(100)).max(50), expected_version: EXPECTED_VERSION }, annotations: destructive },
    ({ table, tags, expected_version }) => edit('update_tags', table, expected_version, { kind: 'tags', text: tags.join(' ') }),
  );
  server.registerTool(
    'update_owners',
    { title: "Set a table's owners", description: 'Replaces the owners people set on the table: catalog user ids (jiwoo.kim). Logged, revertible.', inputSchema: { table: z.string().min(1).max(500), owners: z.array(z.string().max(200)).min(1).max(20), expected_version: EXPECTED_VERSION }, annotations: destructive },
    ({ table, owners, expected_version }) => edit('update_owners', table, expected_version, { kind: 'owners', text: owners.join(' ') }),
  );
  server.registerTool(
    'revert_edit',
    { title: 'Revert an edit', description: 'Undoes a logged edit (by the id an update tool returned) by writing its old value back, as a new logged edit.', inputSchema: { edit_id: z.string().min(1).max(200) }, annotations: destructive },
    ({ edit_id }) =>
      structured('revert_edit', deps, async () => {
        const r = await revertEdit({ editId: edit_id, actorSlackId }, deps);
        return { outcome: 'reverted', table: r.table.key, version: r.table.version, edit: r.entry };
      }),
  );
}
