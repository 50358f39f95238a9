import { errors } from '@elastic/elasticsearch';
import { BackendUnavailableError } from '../../domain/errors';

/** Whether an Elasticsearch client error is a response with this HTTP status. */
export function isStatus(e: unknown, status: number): boolean {
  return e instanceof errors.ResponseError && e.statusCode === status;
}

/** Runs a request, turning "cannot reach the server" (connection, timeout, no node, not Elasticsearch, 503) into `BackendUnavailableError`. */
export async function callElasticsearch<T>(node: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (
      e instanceof errors.ConnectionError ||
      e instanceof errors.TimeoutError ||
      e instanceof errors.NoLivingConnectionsError ||
      e instanceof errors.ProductNotSupportedError ||
      isStatus(e, 503)
    ) {
      throw new BackendUnavailableError('elasticsearch', node, e);
    }
    throw e;
  }
}
