import { deliverAlert, PermanentDeliveryError, type DeliverDeps } from '../deliver';
import { runDailyDigest } from '../digest';
import { dispatchAlerts, type AlertDelivery, type AlertPlan, type CrawlChanges, type DeliverySink, type PlanDeps } from '../plan';
import { nextRun } from '../../../workers/schedules';

export interface InProcessAlertOptions extends DeliverDeps {
  timeZone: string;
  /** Cron of the daily digest (default `0 9 * * *`); `false` for none. */
  digestCron?: string | false;
  /** Tries per message, the first included (default 10); the first backoff doubles each time (default 1 s). */
  attempts?: number;
  backoffMs?: number;
  ownerDms?: boolean;
  extraSubscribers?: PlanDeps['extraSubscribers'];
}

/**
 * Alert delivery without Redis: the same plan and `deliverAlert` as the queue workers, with timers instead of
 * delayed jobs. Rate limits, 429s, retries and the ledger (in the embedded store) work as with Redis; what is in
 * flight when the process stops is not resumed until the next plan of that crawl, which is what Redis is for.
 */
export class InProcessAlertRunner implements DeliverySink {
  private readonly deps: DeliverDeps;
  private readonly pending = new Map<string, NodeJS.Timeout | undefined>();
  private readonly running = new Set<Promise<void>>();
  private digestTimer?: NodeJS.Timeout;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: InProcessAlertOptions) {
    this.deps = options;
    if (options.digestCron !== false) this.scheduleDigest();
  }

  /** Plans a crawl's alerts and starts delivering them. */
  async dispatch(report: CrawlChanges): Promise<AlertPlan> {
    return dispatchAlerts(report, { store: this.options.store, graph: this.options.graph, sink: this, ownerDms: this.options.ownerDms, extraSubscribers: this.options.extraSubscribers });
  }

  async enqueue(deliveries: AlertDelivery[]): Promise<void> {
    for (const d of deliveries) {
      if (this.closed || this.pending.has(d.key)) continue;
      this.pending.set(d.key, undefined);
      this.attempt(d, 0);
    }
  }

  /** Runs the daily digest now. */
  async runDigest(): Promise<AlertDelivery[]> {
    return runDailyDigest({ store: this.options.store, sink: this, timeZone: this.options.timeZone });
  }

  /** Resolves when no delivery is pending or running (tests, benchmarks). */
  idle(): Promise<void> {
    if (!this.pending.size) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.digestTimer) clearTimeout(this.digestTimer);
    for (const [key, timer] of this.pending) {
      if (timer) {
        clearTimeout(timer);
        this.pending.delete(key);
      }
    }
    await Promise.allSettled([...this.running]);
    this.settle();
  }

  private attempt(d: AlertDelivery, tries: number): void {
    const run = (async () => {
      const log = this.options.logger.child({ delivery: d.key, attempt: tries + 1 });
      try {
        const outcome = await deliverAlert(d, this.deps);
        if (outcome.status === 'deferred') return this.later(d, tries, outcome.delayMs);
        if (outcome.status === 'sent') log.info({ ts: outcome.receipt.ts, latencyMs: outcome.latencyMs }, 'alert sent');
      } catch (err) {
        const maxTries = this.options.attempts ?? 10;
        if (err instanceof PermanentDeliveryError || tries + 1 >= maxTries) {
          log.error({ err: err instanceof Error ? err.message : String(err) }, 'alert delivery failed for good');
        } else {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'alert delivery failed, will retry');
          return this.later(d, tries + 1, (this.options.backoffMs ?? 1000) * 2 ** tries);
        }
      }
      this.pending.delete(d.key);
      this.settle();
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private later(d: AlertDelivery, tries: number, delayMs: number): void {
    if (this.closed) {
      this.pending.delete(d.key);
      this.settle();
      return;
    }
    const timer = setTimeout(() => {
      this.pending.set(d.key, undefined);
      this.attempt(d, tries);
    }, delayMs);
    this.pending.set(d.key, timer);
  }

  private settle(): void {
    if (this.pending.size) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private scheduleDigest(): void {
    if (this.closed) return;
    const schedule = { pattern: (this.options.digestCron as string | undefined) ?? '0 9 * * *', tz: this.options.timeZone };
    const delay = Math.min(2 ** 31 - 1, Math.max(1000, nextRun(schedule, Date.now()) - Date.now()));
    this.digestTimer = setTimeout(() => {
      void this.runDigest()
        .catch((err: unknown) => this.options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'daily digest failed'))
        .finally(() => this.scheduleDigest());
    }, delay);
    this.digestTimer.unref();
  }
}
