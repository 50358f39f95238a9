import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/log/logger';
import { runMcp, type RunningMcp } from '../../src/main/mcp';
import { READ_TOOLS } from '../../src/mcp/tools';
import { WRITE_TOOLS } from '../../src/mcp/write-tools';
import { call, callError, callText, mcpEnv, newClient, seededDataDir } from './support';

const TOKEN = 'test-token-0123456789abcdef';
const SESSIONS = 'hive://gold.game_log/sessions';

/** The MCP server's composition root over streamable HTTP, driven by the SDK's own client. */
describe('MCP over streamable HTTP (SDK client)', () => {
  let data: Awaited<ReturnType<typeof seededDataDir>>;
  const running: RunningMcp[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    data = await seededDataDir();
  });
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
    await Promise.allSettled(running.splice(0).map((r) => r.stop()));
  });
  afterAll(() => data.cleanup());

  async function serve(extra: Record<string, string> = {}): Promise<string> {
    const config = loadConfig(mcpEnv(data.dir, { NANSEN_MCP_TOKEN: TOKEN, ...extra }));
    const r = await runMcp(config, silentLogger(), { kind: 'http', host: '127.0.0.1', port: 0 });
    running.push(r);
    return r.url!;
  }

  async function connect(url: string, token = TOKEN): Promise<Client> {
    const client = newClient();
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return client;
  }

  it('lists the read tools only, and answers each over the same core as Slack', async () => {
    const client = await connect(await serve());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);

    const search = await call(client, 'search', { query: 'latency by country', limit: 3 });
    const results = search.results as Array<{ key: string; owners: Array<{ id: string }> }>;
    expect(results[0]!.key).toBe('hive://gold.game_log/network_latency_by_country');
    expect(results.length).toBeLessThanOrEqual(3);

    const card = (await call(client, 'get_table', { table: 'game_log.sessions' })).table as { key: string; owners: Array<{ id: string; name: string }>; columns: unknown[]; upstream: Array<{ key: string }>; version: number };
    expect(card.key).toBe(SESSIONS);
    expect(card.owners.map((o) => o.name)).toEqual(['Jiwoo Kim']);
    expect(card.columns.length).toBeGreaterThan(3);
    expect(card.upstream.map((u) => u.key)).toEqual(['hive://raw.game_log/client_events']);

    const lineage = await call(client, 'get_lineage', { table: 'client_events', direction: 'downstream', depth: 2 });
    const down = (lineage.downstream as Array<{ key: string }>).map((d) => d.key);
    expect(down).toEqual(expect.arrayContaining([SESSIONS, 'hive://gold.game_log/daily_active_users']));
    expect(lineage.upstream).toBeUndefined();

    const ask = await callText(client, 'ask', { question: 'who owns game_log.sessions?' });
    expect(ask.structured.answer).toMatchObject({ kind: 'owners' });
    expect(ask.text).toContain('Jiwoo Kim');

    const followUp = await call(client, 'ask', { question: 'when was it last updated?', thread: ['who owns game_log.sessions?'] });
    expect((followUp.answer as { kind: string; table?: { key: string } }).kind).toBe('last_updated');

    const changes = await call(client, 'recent_schema_changes', { table: SESSIONS });
    expect(changes).toEqual({ table: SESSIONS, changes: [] });
  });

  it('says what is wrong as a tool error, and refuses arguments outside the schema', async () => {
    const client = await connect(await serve());
    const unknown = await callError(client, 'get_lineage', { table: 'no_such_table' });
    expect(unknown.structuredContent).toMatchObject({ code: 'unknown_table' });
    expect(unknown.content).toEqual([{ type: 'text', text: expect.stringContaining('no_such_table') }]);
    const bad = await callError(client, 'get_lineage', { table: SESSIONS, depth: 99 });
    expect(JSON.stringify(bad.content)).toMatch(/depth/);
  });

  it('refuses a missing or wrong token with 401 before the protocol', async () => {
    const url = await serve();
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    await expect(connect(url, 'wrong-token-wrong-token')).rejects.toThrow();
  });

  it('will not start HTTP without a token', async () => {
    const config = loadConfig(mcpEnv(data.dir));
    await expect(runMcp(config, silentLogger(), { kind: 'http', host: '127.0.0.1', port: 0 })).rejects.toThrow(/NANSEN_MCP_TOKEN/);
  });

  it('with NANSEN_MCP_WRITE=1, edits go through the edit policy, the version check and the edit log', async () => {
    // Jiwoo Kim (U0DEMO0001) owns game_log.sessions; Minsu Lee (U0DEMO0002) does not.
    const owner = await connect(await serve({ NANSEN_MCP_WRITE: '1', NANSEN_MCP_ACTOR: 'jiwoo.kim', NANSEN_EDIT_POLICY: 'owners' }));
    expect((await owner.listTools()).tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    const before = (await call(owner, 'get_table', { table: SESSIONS })).table as { version: number; description: string };

    const saved = await call(owner, 'update_description', { table: SESSIONS, description: 'One row per game session (edited over MCP).', expected_version: before.version });
    expect(saved).toMatchObject({ outcome: 'saved', table: SESSIONS, version: before.version + 1 });
    const [entry] = saved.edits as Array<{ id: string; actor: string; field: { kind: string }; newValue: string }>;
    expect(entry).toMatchObject({ actor: 'jiwoo.kim', field: { kind: 'description' }, newValue: 'One row per game session (edited over MCP).' });

    const after = (await call(owner, 'get_table', { table: SESSIONS })).table as { description: string; descriptionFrom: string };
    expect(after).toMatchObject({ description: 'One row per game session (edited over MCP).', descriptionFrom: 'human' });

    const stale = await callError(owner, 'update_tags', { table: SESSIONS, tags: ['core'], expected_version: before.version });
    expect(stale.structuredContent).toMatchObject({ code: 'conflict' });
    const invalid = await callError(owner, 'update_tags', { table: SESSIONS, tags: ['not a tag!'] });
    expect(invalid.structuredContent).toMatchObject({ code: 'invalid_edit' });

    const reverted = await call(owner, 'revert_edit', { edit_id: entry!.id });
    expect(reverted).toMatchObject({ outcome: 'reverted', edit: { revertOf: entry!.id } });
    expect(((await call(owner, 'get_table', { table: SESSIONS })).table as { description: string }).description).toBe(before.description);

    const other = await connect(await serve({ NANSEN_MCP_WRITE: '1', NANSEN_MCP_ACTOR: 'U0DEMO0002', NANSEN_EDIT_POLICY: 'owners' }));
    const forbidden = await callError(other, 'update_owners', { table: SESSIONS, owners: ['minsu.lee'] });
    expect(forbidden.structuredContent).toMatchObject({ code: 'forbidden' });
    expect(((await call(other, 'get_table', { table: SESSIONS })).table as { owners: Array<{ id: string }> }).owners.map((o) => o.id)).toEqual(['jiwoo.kim']);
  });

  it('needs an actor for write tools', async () => {
    const config = loadConfig(mcpEnv(data.dir, { NANSEN_MCP_TOKEN: TOKEN, NANSEN_MCP_WRITE: '1' }));
    await expect(runMcp(config, silentLogger(), { kind: 'http', host: '127.0.0.1', port: 0 })).rejects.toThrow(/NANSEN_MCP_ACTOR/);
  });
});
