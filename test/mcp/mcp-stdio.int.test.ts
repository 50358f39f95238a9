import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { READ_TOOLS } from '../../src/mcp/tools';
import { call, callText, mcpEnv, newClient, seededDataDir } from './support';

const ROOT = join(__dirname, '..', '..');

/** `npm run -s nansen -- mcp` as a coding assistant starts it: the SDK's stdio client spawns the real command. */
describe('MCP over stdio (SDK client, the real command)', () => {
  let data: Awaited<ReturnType<typeof seededDataDir>>;
  let client: Client;
  let stderr = '';

  beforeAll(async () => {
    data = await seededDataDir();
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...mcpEnv(data.dir), LOG_LEVEL: 'warn' };
    delete env.NANSEN_MCP_WRITE;
    delete env.NANSEN_EMBEDDINGS_URL; // lexical answers: deterministic whatever the services env holds
    const transport = new StdioClientTransport({ command: 'npm', args: ['run', '-s', 'nansen', '--', 'mcp'], cwd: ROOT, env, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = newClient();
    await client.connect(transport);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    data?.cleanup();
  });

  it('lists the read tools and answers a search, a card and a question', async () => {
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
    const search = await call(client, 'search', { query: '국가별 레이턴시' });
    expect((search.results as Array<{ key: string }>).map((r) => r.key)).toContain('hive://gold.game_log/network_latency_by_country');
    const card = (await call(client, 'get_table', { table: 'hive://gold.billing/daily_revenue' })).table as { owners: Array<{ name: string }> };
    expect(card.owners.map((o) => o.name)).toEqual(['Hana Cho']);
    const r = await callText(client, 'ask', { question: 'when was daily_revenue last updated?' });
    expect(r.structured.answer).toMatchObject({ kind: 'last_updated' });
    expect(r.text).toMatch(/daily_revenue/);
    expect(stderr).not.toMatch(/error/i);
  });
});
