import { errors } from '@elastic/elasticsearch';
import { BackendUnavailableError } from '../../domain/errors';
import { redactUrl } from '../../log/redact';

/** Whether an Elasticsearch client error is a response with this HTTP status. */
export function isStatus(e: unknown, status: number): boolean {
  return e instanceof errors.ResponseError && e.statusCode === status;
}

/**
 * The `BackendUnavailableError` a client error means, if it means the backend cannot be used: the server
 * unreachable or slow, not Elasticsearch, unavailable (503), or refusing the credentials in the URL (401). It names
 * the server without the URL's password.
 */
export function asUnavailable(node: string, e: unknown): BackendUnavailableError | undefined {
  // Only a URL with credentials is rewritten (redaction normalises it, e.g. adds a trailing slash).
  const target = /\/\/[^/@]*@/.test(node) ? redactUrl(node) : node;
  if (isStatus(e, 401)) {
    return new BackendUnavailableError('elasticsearch', target, new Error('401 Unauthorized: Elasticsearch refused the user name or password in ELASTICSEARCH_URL'));
  }
  if (e instanceof errors.ConnectionError || e instanceof errors.TimeoutError || e instanceof errors.NoLivingConnectionsError || e instanceof errors.ProductNotSupportedError || isStatus(e, 503)) {
    return new BackendUnavailableError('elasticsearch', target, e);
  }
  return undefined;
}

/** Runs a request, turning "cannot use the server" (see `asUnavailable`) into `BackendUnavailableError`. */
export async function callElasticsearch<T>(node: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asUnavailable(node, e) ?? e;
  }
}
