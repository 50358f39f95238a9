/**
 * The MCP server's composition root (`npm run -s nansen -- mcp [--http]`): the catalog's stores and the chat core,
 * served to coding assistants over stdio (the default: the client starts this process) or streamable HTTP behind
 * NANSEN_MCP_TOKEN. Write tools only with NANSEN_MCP_WRITE=1, made as NANSEN_MCP_ACTOR.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { answer } from '../answering/answer';
import type { Config } from '../config/config';
import { UserError } from '../domain/errors';
import type { Logger } from '../log/logger';
import type { GraphStore } from '../ports/graph-store';
import { startMcpHttp } from '../mcp/http';
import { createMcpServer, type McpDeps, type McpOptions } from '../mcp/tools';
import { editPolicyFromConfig, vocabularyFromConfig } from './settings';
import { startMeaning } from './meaning';
import { openLineageRunStore } from './openlineage';
import { openStores, type Backend } from './stores';

/** How to serve: stdio, or HTTP on a host and port (overriding NANSEN_MCP_HOST / NANSEN_MCP_PORT). */
export type McpTransportChoice = { kind: 'stdio'; stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } | { kind: 'http'; host?: string; port?: number };

export interface RunningMcp {
  /** The HTTP endpoint, when serving HTTP. */
  url?: string;
  /** Resolves when a stdio client disconnects (never for HTTP until `stop`). */
  done: Promise<void>;
  stop(): Promise<void>;
}

const SLACK_ID = /^[UW][A-Z0-9]{6,}$/;

/**
 * The Slack member id MCP edits are made as: NANSEN_MCP_ACTOR itself when it is one, else the Slack id of the
 * catalog user it names. The edit policy is defined over Slack ids, as Slack edits are.
 */
export async function mcpActor(config: Pick<Config, 'NANSEN_MCP_ACTOR'>, graph: GraphStore): Promise<string> {
  const actor = config.NANSEN_MCP_ACTOR?.trim();
  if (!actor) throw new UserError('bad_config', 'NANSEN_MCP_WRITE=1 needs NANSEN_MCP_ACTOR: the Slack member id (or catalog user id) edits are made as.');
  if (SLACK_ID.test(actor)) return actor;
  const [user] = await graph.getUsers([actor]);
  if (!user) throw new UserError('bad_config', `NANSEN_MCP_ACTOR names ${actor}, who is not in the catalog. Use a catalog user id or a Slack member id.`);
  if (!user.slackId) throw new UserError('bad_config', `NANSEN_MCP_ACTOR names ${actor}, who has no Slack id in the catalog; edits are checked against Slack ids, so use a Slack member id.`);
  return user.slackId;
}

/** Starts the MCP server on the configured stores; resolves once it is listening. */
export async function runMcp(config: Config, log: Logger, choice: McpTransportChoice, backend: Backend = config.NANSEN_BACKEND): Promise<RunningMcp> {
  if (choice.kind === 'http' && !config.NANSEN_MCP_TOKEN) throw new UserError('bad_config', 'The MCP HTTP transport needs NANSEN_MCP_TOKEN (at least 16 characters), which clients send as a bearer token.');
  const opened = await openStores(config, log, backend);
  const runs = await openLineageRunStore(config, backend).catch(async (e: unknown) => {
    await opened.close();
    throw e;
  });
  const meaning = startMeaning(opened, config, log);
  const stores = { ...opened, close: () => meaning.stop().then(() => Promise.allSettled([runs.close(), opened.close()])).then(() => undefined) };
  try {
    const deps: McpDeps = {
      runs,
      ...(meaning.meaning ? { meaning: meaning.meaning } : {}),
      graph: stores.graph,
      search: stores.search,
      answer,
      policy: editPolicyFromConfig(config),
      vocabulary: vocabularyFromConfig(config),
      now: () => new Date(),
      timeZone: config.NANSEN_TIMEZONE,
      log,
    };
    const options: McpOptions = config.NANSEN_MCP_WRITE === '1' ? { write: { actorSlackId: await mcpActor(config, stores.graph) } } : {};
    log.info({ transport: choice.kind, backend: stores.backend, write: Boolean(options.write), policy: config.NANSEN_EDIT_POLICY }, 'nansen mcp starting');
    if (choice.kind === 'stdio') {
      const server = createMcpServer(deps, options);
      const transport = new StdioServerTransport(choice.stdin as NodeJS.ReadStream | undefined, choice.stdout as NodeJS.WriteStream | undefined);
      const done = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        (choice.stdin ?? process.stdin).once('end', () => resolve());
      });
      await server.connect(transport);
      let stopped: Promise<void> | undefined;
      const stop = (): Promise<void> =>
        (stopped ??= (async () => {
          await server.close().catch(() => undefined);
          await stores.close();
        })());
      return { done: done.then(stop), stop };
    }
    const http = await startMcpHttp(() => createMcpServer(deps, options), { token: config.NANSEN_MCP_TOKEN!, host: choice.host ?? config.NANSEN_MCP_HOST, port: choice.port ?? config.NANSEN_MCP_PORT, log });
    log.info({ url: http.url }, 'nansen mcp listening');
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    let stopped: Promise<void> | undefined;
    return {
      url: http.url,
      done,
      stop: () =>
        (stopped ??= (async () => {
          await http.close();
          await stores.close();
          resolveDone();
        })()),
    };
  } catch (e) {
    await stores.close();
    throw e;
  }
}
