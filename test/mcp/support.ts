import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { seedDemoCatalog } from '../../src/main/shell';
import { openStores } from '../../src/main/stores';

/** A temporary data dir holding the demo catalog in the embedded stores; `cleanup` removes it. */
export async function seededDataDir(): Promise<{ dir: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-mcp-'));
  const stores = await openStores(loadConfig({ NANSEN_DATA_DIR: dir }), silentLogger(), 'embedded');
  try {
    await seedDemoCatalog(stores, new Date());
  } finally {
    await stores.close();
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of an MCP server on that data dir: embedded, no embeddings, no Redis. */
export function mcpEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { NANSEN_DATA_DIR: dir, NANSEN_BACKEND: 'embedded', NANSEN_TIMEZONE: 'Asia/Seoul', ...extra };
}

export function newClient(): Client {
  return new Client({ name: 'nansen-test', version: '1.0.0' });
}

/** Calls a tool and returns its structured content, failing on a tool error. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent as Record<string, unknown>;
}

/** Calls a tool that must succeed; its structured content and its text. */
export async function callText(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ structured: Record<string, unknown>; text: string }> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  const first = r.content[0];
  return { structured: r.structuredContent as Record<string, unknown>, text: first?.type === 'text' ? first.text : '' };
}

/** Calls a tool that must fail, returning its result. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (!r.isError) throw new Error(`${name} should have failed: ${JSON.stringify(r.structuredContent)}`);
  return r;
}
