import { columnKey } from '../domain/keys';
import type { Dashboard, Table } from '../domain/model';
import type { Logger } from '../log/logger';
import { EmbeddingsUnavailableError, type Embedder } from '../ports/embedder';
import type { GraphStore } from '../ports/graph-store';
import type { PendingSubject, VectorIndex, VectorRecord } from '../ports/vector-index';
import { columnPassage, dashboardPassage, passageHash, tablePassage } from '../search/passages';

/** What embedding the catalog needs: where the text comes from, where vectors go, and the model server. */
export interface EmbeddingDeps {
  graph: GraphStore;
  vectors: VectorIndex;
  embedder: Embedder;
  /** Embed columns too; when off, their pending marks are settled without vectors. */
  columns: boolean;
  /** How long the first call, which learns the model's dimension, may take. */
  timeoutMs?: number;
}

export interface EmbedProgress {
  done: number;
  total: number;
}

export interface EmbedReport {
  /** Subjects that got a new vector. */
  embedded: number;
  /** Pending subjects whose text had not changed: settled without a call to the model. */
  unchanged: number;
  /** Subjects whose table, dashboard or column is gone: their vectors were forgotten. */
  removed: number;
  /** Whether the model changed and every stored vector was dropped first. */
  reset: boolean;
  /** Still pending when it stopped (more than `limit`, or stopped early). */
  pending: number;
}

/** Pending subjects read at a time. */
const PAGE = 256;

interface Passage {
  subject: PendingSubject;
  text: string;
  hash: string;
}

/**
 * Embeds what is pending, oldest kinds first (tables and dashboards, then columns): builds each subject's passage
 * from the graph as it is now, skips the model for text that did not change, and drops vectors of what is gone.
 * The model is asked first which space it embeds in (once per embedder, which remembers it); a different one than
 * the index holds resets the index, and everything is embedded again.
 *
 * Throws `EmbeddingsUnavailableError` when the server fails; what was not embedded stays pending, and the next
 * call takes it up.
 */
export async function embedPending(deps: EmbeddingDeps, options: { limit?: number; signal?: AbortSignal; onProgress?: (p: EmbedProgress) => void } = {}): Promise<EmbedReport> {
  const report: EmbedReport = { embedded: 0, unchanged: 0, removed: 0, reset: false, pending: 0 };
  // the model first, even with nothing pending: publishing marks only changed text, so a new model must be seen here
  const model = deps.embedder.model() ?? (await deps.embedder.probe({ timeoutMs: deps.timeoutMs }));
  report.reset = (await deps.vectors.useModel(model)).reset;
  const total = await deps.vectors.pendingCount();
  if (!total) return report;
  const goal = Math.min(options.limit ?? Number.POSITIVE_INFINITY, total);
  let done = 0;
  options.onProgress?.({ done, total: goal });
  while (done < goal && !options.signal?.aborted) {
    const subjects = await deps.vectors.pending(Math.min(PAGE, goal - done));
    if (!subjects.length) break;
    const { passages, gone } = await passagesOf(subjects, deps);
    if (gone.length) await deps.vectors.remove(gone);
    report.removed += gone.length;
    const stored = await deps.vectors.states(passages.map((p) => p.subject.key));
    const same = passages.filter((p) => stored.get(p.subject.key)?.textHash === p.hash);
    const changed = passages.filter((p) => stored.get(p.subject.key)?.textHash !== p.hash);
    if (same.length) await deps.vectors.settle(same.map((p) => p.subject));
    report.unchanged += same.length;
    if (changed.length) {
      const vectors = await deps.embedder.embed(
        changed.map((p) => p.text),
        'passage',
        options.signal ? { signal: options.signal } : {},
      );
      const records: VectorRecord[] = changed.map((p, i) => ({ ...p.subject, textHash: p.hash, vector: vectors[i]! }));
      await deps.vectors.upsert(records);
      report.embedded += records.length;
    }
    done += subjects.length;
    options.onProgress?.({ done, total: goal });
  }
  report.pending = await deps.vectors.pendingCount();
  return report;
}

/** The passages of pending subjects, from the graph as it is now; subjects whose entity is gone are listed apart. */
async function passagesOf(subjects: PendingSubject[], deps: EmbeddingDeps): Promise<{ passages: Passage[]; gone: string[] }> {
  const tableKeys = new Set<string>();
  const dashboardKeys: string[] = [];
  for (const s of subjects) {
    if (s.kind === 'table') tableKeys.add(s.key);
    else if (s.kind === 'column' && s.parent) tableKeys.add(s.parent);
    else if (s.kind === 'dashboard') dashboardKeys.push(s.key);
  }
  const [tables, dashboards] = await Promise.all([
    tableKeys.size ? deps.graph.getTables([...tableKeys]) : Promise.resolve([] as Table[]),
    dashboardKeys.length ? deps.graph.getDashboards(dashboardKeys) : Promise.resolve([] as Dashboard[]),
  ]);
  const live = new Map(tables.filter((t) => !t.removedAt).map((t) => [t.key, t]));
  const liveDashboards = new Map(dashboards.filter((d) => !d.removedAt).map((d) => [d.key, d]));
  const passages: Passage[] = [];
  const gone: string[] = [];
  const settleOnly: PendingSubject[] = [];
  const add = (subject: PendingSubject, text: string): void => void passages.push({ subject, text, hash: passageHash(text) });
  for (const s of subjects) {
    if (s.kind === 'table') {
      const t = live.get(s.key);
      if (t) add(s, tablePassage(t));
      else gone.push(s.key);
    } else if (s.kind === 'dashboard') {
      const d = liveDashboards.get(s.key);
      if (d) add(s, dashboardPassage(d));
      else gone.push(s.key);
    } else {
      const t = s.parent ? live.get(s.parent) : undefined;
      const c = t?.columns.find((col) => columnKey(t.key, col.name) === s.key);
      if (!t || !c) gone.push(s.key);
      else if (!deps.columns) settleOnly.push(s);
      else add(s, columnPassage(t, c));
    }
  }
  // columns a table no longer has
  const pendingTables = subjects.filter((s) => s.kind === 'table' && live.has(s.key)).map((s) => s.key);
  if (pendingTables.length) {
    for (const [table, keys] of await deps.vectors.columnKeys(pendingTables)) {
      const t = live.get(table)!;
      const current = new Set(t.columns.map((c) => columnKey(table, c.name)));
      for (const k of keys) if (!current.has(k)) gone.push(k);
    }
  }
  if (settleOnly.length) await deps.vectors.settle(settleOnly);
  return { passages, gone: [...new Set(gone)] };
}

/** What the background catch-up says about itself (logs once per change of state). */
export type CatchUpState = 'idle' | 'embedding' | 'unavailable';

/**
 * Embeds pending catalog text in the background: every `intervalMs`, or sooner after `nudge()` (a publish), while
 * the process runs. An embeddings server that is down or answers garbage gets one log line when it starts failing
 * and one when it recovers, and is retried with a doubling pause up to `maxPauseMs`; nothing is lost meanwhile.
 */
export class EmbeddingCatchUp {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private pauseMs: number;
  private state: CatchUpState = 'idle';
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: EmbeddingDeps & { log: Logger },
    private readonly options: { intervalMs?: number; maxPauseMs?: number } = {},
  ) {
    this.pauseMs = options.intervalMs ?? 30_000;
  }

  start(): void {
    this.schedule(0);
  }

  /** Runs a pass soon (after a publish). */
  nudge(): void {
    if (!this.running) this.schedule(0);
  }

  /** One pass now; resolves when it is done (tests, the CLI). */
  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runOnce().finally(() => this.schedule(this.pauseMs)), ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const { log } = this.deps;
    const interval = this.options.intervalMs ?? 30_000;
    try {
      const report = await embedPending(this.deps, { signal: this.abort.signal });
      if (this.state === 'unavailable') log.info('embeddings server answers again: catching up');
      if (report.embedded || report.removed || report.reset) log.info({ ...report }, 'catalog embeddings caught up');
      this.state = 'idle';
      this.pauseMs = interval;
    } catch (err) {
      if (this.stopped) return;
      const reason = err instanceof EmbeddingsUnavailableError ? { code: err.code, reason: err.message } : { code: 'error', reason: (err as Error).message };
      if (this.state !== 'unavailable') log.warn({ ...reason, pending: await this.deps.vectors.pendingCount().catch(() => undefined) }, 'catalog embeddings pending: the embeddings server failed; answers stay lexical for those tables');
      this.state = 'unavailable';
      this.pauseMs = Math.min(this.options.maxPauseMs ?? 5 * 60_000, Math.max(interval, this.pauseMs * 2));
    }
  }
}
