import type { CoreDeps } from '../core/deps';

/** What the MCP tools need: the chat core's dependencies, less the conversation state MCP does not keep. */
export type McpDeps = Pick<CoreDeps, 'graph' | 'search' | 'answer' | 'vocabulary' | 'meaning' | 'policy' | 'now' | 'timeZone' | 'log' | 'runs'>;
