import type { Redis } from 'ioredis';
import type { IsoTime } from '../../domain/model';
import type { TableRun } from '../../domain/runs';
import type { LineageRunRecord, LineageRunStore } from '../../ports/lineage-run-store';

export interface RedisLineageRunStoreOptions {
  /** An open client; `close` quits it only when `ownsClient`. */
  client: Redis;
  ownsClient?: boolean;
  /** Key prefix (`nansen:lineage`); tests pass a unique one. */
  prefix: string;
}

// KEYS: run times, run docs. ARGV: (table key, time in ms, doc) triples. Keeps the latest run per table, ties to
// the one recorded last. Returns how many tables changed.
const RECORD_RUNS = `
local n = 0
for i = 1, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if (not cur) or tonumber(ARGV[i + 1]) >= tonumber(cur) then
    if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 2] then n = n + 1 end
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
  end
end
return n
`;

/**
 * The OpenLineage intake's memory in Redis, shared by every receiver and bot process: applied events in one hash
 * (kept, as the SQLite file keeps them), each table's last run in two (its time, its document), updated by one
 * script so a newer run always wins.
 */
export class RedisLineageRunStore implements LineageRunStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly p: string;

  constructor(options: RedisLineageRunStoreOptions) {
    this.redis = options.client;
    this.owned = options.ownsClient ?? false;
    this.p = options.prefix;
  }

  async init(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async applied(runId: string, eventType: string): Promise<boolean> {
    return (await this.redis.hexists(`${this.p}:applied`, field(runId, eventType))) === 1;
  }

  async markApplied(runId: string, eventType: string, at: IsoTime): Promise<void> {
    await this.redis.hsetnx(`${this.p}:applied`, field(runId, eventType), at);
  }

  async recordRuns(runs: TableRun[]): Promise<void> {
    await this.putRuns(runs);
  }

  async lastRuns(tableKeys: string[]): Promise<Map<string, TableRun>> {
    const keys = [...new Set(tableKeys)];
    const out = new Map<string, TableRun>();
    if (!keys.length) return out;
    const docs = await this.redis.hmget(`${this.p}:run-doc`, ...keys);
    keys.forEach((k, i) => {
      if (docs[i]) out.set(k, JSON.parse(docs[i]!) as TableRun);
    });
    return out;
  }

  /** Writes a record of a local store (`SqliteLineageRunStore.exportRecords`) unless Redis has it or newer; true when it wrote. */
  async importRecord(rec: LineageRunRecord): Promise<boolean> {
    if (rec.kind === 'applied') return (await this.redis.hsetnx(`${this.p}:applied`, field(rec.runId, rec.eventType), rec.at)) === 1;
    return (await this.putRuns([rec.run])) > 0;
  }

  private async putRuns(runs: TableRun[]): Promise<number> {
    let changed = 0;
    for (let i = 0; i < runs.length; i += 300) {
      const args = runs.slice(i, i + 300).flatMap((r) => {
        const at = Date.parse(r.at);
        return [r.tableKey, String(Number.isFinite(at) ? at : 0), JSON.stringify(r)];
      });
      changed += Number(await this.redis.eval(RECORD_RUNS, 2, `${this.p}:run-at`, `${this.p}:run-doc`, ...args));
    }
    return changed;
  }
}

function field(runId: string, eventType: string): string {
  return JSON.stringify([runId, eventType]);
}
