import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../log/logger';

/** Where and how the MCP streamable HTTP endpoint listens. */
export interface McpHttpOptions {
  /** The bearer token clients must send (`Authorization: Bearer <token>`); compared in constant time. */
  token: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The endpoint path; default `/mcp`. */
  path?: string;
  log: Logger;
}

export interface RunningMcpHttp {
  /** The URL clients connect to. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Whether the request carries the token; hashes first so lengths leak nothing either. */
export function authorized(req: Pick<IncomingMessage, 'headers'>, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * Serves MCP over streamable HTTP in stateless mode: each POST gets a fresh server from `makeServer` and a fresh
 * transport (no sessions to lose on restart, any replica can answer). A request without the token is 401 before
 * the protocol sees it; GET and DELETE (session streams) are 405, as stateless servers answer them.
 */
export async function startMcpHttp(makeServer: () => McpServer, options: McpHttpOptions): Promise<RunningMcpHttp> {
  const path = options.path ?? '/mcp';
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return reply(res, 404, { error: 'not found' });
    if (!authorized(req, options.token)) return reply(res, 401, { jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized: send Authorization: Bearer <NANSEN_MCP_TOKEN>' }, id: null }, { 'www-authenticate': 'Bearer realm="nansen-mcp"' });
    if (req.method !== 'POST') return reply(res, 405, { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless, POST only' }, id: null }, { allow: 'POST' });
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(req, res))
      .catch((err: unknown) => {
        options.log.error({ err }, 'mcp request failed');
        if (!res.headersSent) reply(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
      });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${path}`,
    server: http,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
