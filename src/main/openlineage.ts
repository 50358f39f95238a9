/**
 * The OpenLineage receiver's composition root (`npm run nansen -- openlineage`): a small process of its own that
 * takes producers' RunEvents at `POST /api/v1/lineage` behind NANSEN_OPENLINEAGE_API_KEYS and writes them into the
 * configured stores. Schema changes go to the alert workers' queue with REDIS_URL (the alert worker announces
 * them), as a worker crawl's do.
 */
import { applyRunEvent, type ObservedChanges } from '../../ingest/openlineage/apply';
import { parseNamespaceMapping } from '../../ingest/openlineage/map';
import { lineageHandler, startReceiver } from '../../ingest/openlineage/receiver';
import { OpenLineageValidator } from '../../ingest/openlineage/validate';
import { createAlertQueue, enqueueAlert, type AlertQueue } from '../alerts/jobs/queues';
import type { Config } from '../config/config';
import { UserError } from '../domain/errors';
import type { Logger } from '../log/logger';
import { openStores, type Backend } from './stores';
import { openLineageRunStore } from './shared-stores';

/** The run store the receiver writes and the chat roots read: see `shared-stores.ts`. */
export { openLineageRunStore };

export interface RunningLineageReceiver {
  /** Base URL: producers post to `${url}/api/v1/lineage`. */
  url: string;
  stop(): Promise<void>;
}

/** Starts the receiver; resolves once it listens. */
export async function runLineageReceiver(config: Config, log: Logger, listen: { host?: string; port?: number } = {}, backend: Backend = config.NANSEN_BACKEND): Promise<RunningLineageReceiver> {
  const apiKeys = (config.NANSEN_OPENLINEAGE_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (!apiKeys.length) throw new UserError('bad_config', 'The OpenLineage receiver needs NANSEN_OPENLINEAGE_API_KEYS (comma-separated keys of at least 16 characters), which producers send as bearer tokens.');
  let mapping;
  try {
    mapping = parseNamespaceMapping(config.NANSEN_OPENLINEAGE_NAMESPACES);
  } catch (e) {
    throw new UserError('bad_config', `NANSEN_OPENLINEAGE_NAMESPACES: ${(e as Error).message}`);
  }
  const stores = await openStores(config, log, backend);
  const closers: Array<() => Promise<unknown>> = [() => stores.close()];
  const closeAll = async (): Promise<void> => void (await Promise.allSettled(closers.reverse().map((c) => c())));
  try {
    const runs = await openLineageRunStore(config, backend);
    closers.push(() => runs.close());
    let queue: AlertQueue | undefined;
    if (config.REDIS_URL) {
      queue = createAlertQueue({ connection: { url: config.REDIS_URL } });
      closers.push(() => queue!.close());
    } else log.warn('no REDIS_URL: schema changes from OpenLineage events are recorded but not announced (the alert worker needs Redis to reach them)');
    const announce = async (c: ObservedChanges): Promise<void> => {
      if (!queue) return;
      const { jobId } = await enqueueAlert(queue, { kind: 'schema_changes', source: c.source, crawlId: c.crawlId, changeIds: c.changes.map((x) => x.id), observedAt: c.finishedAt });
      log.info({ crawlId: c.crawlId, changes: c.changes.length, alertJobId: jobId }, 'schema-change alert queued');
    };
    const handler = lineageHandler({
      apiKeys,
      maxBytes: config.NANSEN_OPENLINEAGE_MAX_BYTES,
      validator: new OpenLineageValidator(),
      intake: (event) => applyRunEvent(event, { stores, runs, mapping, announce, log }),
      log,
    });
    const receiver = await startReceiver(handler, { host: listen.host ?? config.NANSEN_OPENLINEAGE_HOST, port: listen.port ?? config.NANSEN_OPENLINEAGE_PORT });
    closers.push(() => receiver.close());
    log.info({ url: receiver.url, backend: stores.backend, alerts: Boolean(queue) }, 'openlineage receiver listening');
    let stopped: Promise<void> | undefined;
    return { url: receiver.url, stop: () => (stopped ??= closeAll()) };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
