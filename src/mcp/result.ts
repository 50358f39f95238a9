import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { explainFailure } from '../core/errors';
import { UserError } from '../domain/errors';
import type { McpDeps } from './deps';

/** A tool's answer: the structured value, and (unless given) the same as JSON text for clients that read only text. */
export function ok(value: object, text?: string): CallToolResult {
  const structured = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  return { content: [{ type: 'text', text: text ?? JSON.stringify(structured, null, 2) }], structuredContent: structured };
}

/**
 * Runs a tool body. A `UserError` becomes a tool error with its message and code; anything else is logged once
 * with a reference id and the client gets the apology that quotes it (never a stack or a backend's message).
 */
export async function guarded(tool: string, deps: Pick<McpDeps, 'log'>, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    const notice = explainFailure(err, deps.log, { mcpTool: tool });
    const detail = err instanceof UserError ? { code: err.code, ...(err.detail ?? {}) } : { ref: notice.ref };
    return { isError: true, content: [{ type: 'text', text: notice.text }], structuredContent: JSON.parse(JSON.stringify({ error: notice.text, ...detail })) as Record<string, unknown> };
  }
}

/** `guarded` for a body that returns the structured value. */
export function structured(tool: string, deps: Pick<McpDeps, 'log'>, body: () => Promise<object>): Promise<CallToolResult> {
  return guarded(tool, deps, async () => ok(await body()));
}
