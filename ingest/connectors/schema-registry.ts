import { redactSecrets } from '../../src/log/redact';
import type { RegisteredSchema } from './schema-columns';

/** A Schema Registry as its URL names it: `http(s)://[user:password@]host[:port][/path]` (basic auth from the userinfo). */
export interface RegistryTarget {
  /** The API root without credentials or a trailing slash (`http://h:8081`, `http://h:8080/apis/ccompat/v7`). */
  baseUrl: string;
  auth?: { username: string; password: string };
}

/** Parses a registry URL, or returns the reason it is not one. Pure. */
export function parseRegistryUrl(url: string): RegistryTarget | { error: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: 'must hold an http(s)://[user:password@]host[:port][/path] URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { error: 'must hold an http:// or https:// URL' };
  if (u.search || u.hash) return { error: 'must not have a query or fragment' };
  const auth = u.username || u.password ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  return { baseUrl: u.toString().replace(/\/+$/, ''), ...(auth ? { auth } : {}) };
}

/** The registry as a whole cannot answer (down, timing out, refusing the credentials, failing): no use asking it more. */
export class RegistryUnavailableError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'timeout' | 'auth' | 'server',
    message: string,
  ) {
    super(message);
    this.name = 'RegistryUnavailableError';
  }
}

/** One subject's answer was unusable (an unexpected status or body); other subjects may still be fine. */
export class SubjectError extends Error {
  override name = 'SubjectError';
}

/** The subject of a topic's value schema under the default TopicNameStrategy. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/**
 * Reads a Schema Registry through the Confluent API (Confluent Schema Registry, Apicurio's `/apis/ccompat/v7`,
 * Karapace, Redpanda): only `GET`s, each under a timeout.
 */
export class SchemaRegistryClient {
  constructor(
    private readonly target: RegistryTarget,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The URL without credentials, for messages. */
  get url(): string {
    return this.target.baseUrl;
  }

  /** The latest version of a subject, or undefined when the registry has no such subject (404). */
  async latest(subject: string, signal?: AbortSignal): Promise<RegisteredSchema | undefined> {
    const url = `${this.target.baseUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (this.target.auth) headers.authorization = `Basic ${Buffer.from(`${this.target.auth.username}:${this.target.auth.password}`).toString('base64')}`;
    const secrets = [this.target.auth?.password];
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      if (timeout.aborted) throw new RegistryUnavailableError('timeout', `schema registry ${this.url} did not answer within ${this.timeoutMs} ms`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryUnavailableError('unreachable', redactSecrets(`schema registry ${this.url} is unreachable: ${cause?.code ?? cause?.message ?? (e as Error).message}`, secrets));
    }
    let body: string;
    try {
      body = await res.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      throw new RegistryUnavailableError(timeout.aborted ? 'timeout' : 'unreachable', `schema registry ${this.url}: the answer broke off: ${(e as Error).message}`);
    }
    const detail = (): string => redactSecrets(body.slice(0, 200).replace(/\s+/g, ' '), secrets);
    if (res.status === 404) return undefined; // 40401 subject not found (40402, no such version, cannot happen for latest)
    if (res.status === 401 || res.status === 403) throw new RegistryUnavailableError('auth', `schema registry ${this.url} refused the credentials (HTTP ${res.status}): check the user and password in its URL's environment variable`);
    if (res.status >= 500) throw new RegistryUnavailableError('server', `schema registry ${this.url} failed (HTTP ${res.status}): ${detail()}`);
    if (res.status !== 200) throw new SubjectError(`subject ${subject}: HTTP ${res.status}: ${detail()}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new SubjectError(`subject ${subject}: the answer is not JSON: ${detail()}`);
    }
    const s = parsed as Partial<RegisteredSchema> | null;
    if (!s || typeof s.schema !== 'string' || typeof s.id !== 'number' || typeof s.version !== 'number') {
      throw new SubjectError(`subject ${subject}: the answer lacks schema, id or version: ${detail()}`);
    }
    return { subject: typeof s.subject === 'string' ? s.subject : subject, version: s.version, id: s.id, ...(typeof s.schemaType === 'string' ? { schemaType: s.schemaType } : {}), schema: s.schema };
  }
}
