import type { Catalog } from '../src/catalog/catalog-file';
import type { TableRecord, User } from '../src/domain/model';
import { seededRandom } from './lib';

const SCHEMAS = ['game_log', 'billing', 'network', 'ops', 'marketing', 'user', 'matchmaking', 'store', 'ads', 'crm', 'finance', 'security'];
const SUBJECTS = ['session', 'latency', 'purchase', 'revenue', 'login', 'churn', 'retention', 'match', 'item', 'ping', 'crash', 'install', 'campaign', 'refund', 'device', 'country', 'server', 'guild', 'quest', 'payment'];
const SUFFIXES = ['daily', 'hourly', 'weekly', 'agg', 'events', 'snapshot', 'by_country', 'by_device', 'summary', 'raw', 'fact', 'dim'];
const COLUMN_NAMES = [
  'dt', 'hr', 'user_id', 'account_id', 'session_id', 'country_code', 'platform', 'device_model', 'os_version', 'app_version',
  'avg_rtt_ms', 'p95_rtt_ms', 'purchaseAmtUsd', 'revenue_krw', 'item_id', 'quantity', 'server_id', 'region', 'match_id', 'duration_sec',
  'is_payer', 'first_login_at', 'last_login_at', 'campaign_id', 'ad_network', 'clicks', 'impressions', 'crash_count', 'guild_id', 'level',
];
const WORDS = ['per', 'user', 'country', 'platform', 'daily', 'hourly', 'aggregate', 'of', 'game', 'network', 'latency', 'revenue', 'events', 'from', 'client', 'server', 'store', 'purchases', 'sessions', 'logins'];
const KOREAN = ['국가별', '일별', '매출', '레이턴시', '접속', '유저', '결제', '이탈', '서버별', '기기별'];

/**
 * A catalog of `tables` generated tables of realistic shape (~20 columns, descriptions in English and some in
 * Korean, owners, readers, load history, lineage to earlier tables), the same for the same arguments.
 */
export function generateCatalog(tables: number, seed = 42): Catalog {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const users: User[] = Array.from({ length: 200 }, (_, i) => ({ id: `user${i}`, name: `User ${i}`, slackId: `U${String(i).padStart(9, '0')}` }));
  const records: TableRecord[] = [];
  const now = Date.parse('2026-11-24T09:00:00Z');
  for (let i = 0; i < tables; i++) {
    const schema = pick(SCHEMAS);
    const name = `${pick(SUBJECTS)}_${pick(SUBJECTS)}_${pick(SUFFIXES)}_${i}`;
    const columnCount = 15 + Math.floor(rand() * 11);
    const columns = Array.from({ length: columnCount }, (_, c) => {
      const base = COLUMN_NAMES[(i + c * 7) % COLUMN_NAMES.length]!;
      return { name: c < COLUMN_NAMES.length ? base : `${base}_${c}`, type: pick(['bigint', 'string', 'double', 'timestamp', 'boolean']), position: c, ...(rand() < 0.5 ? { description: Array.from({ length: 5 }, () => pick(WORDS)).join(' ') } : {}) };
    });
    const unique = [...new Map(columns.map((c) => [c.name, c])).values()].map((c, position) => ({ ...c, position }));
    const hourly = rand() < 0.3;
    const updates = Array.from({ length: 6 }, (_, k) => new Date(now - (6 - k) * (hourly ? 3_600_000 : 86_400_000) + Math.floor(rand() * 300_000)).toISOString());
    records.push({
      key: `hive://gold.${schema}/${name}`,
      database: 'hive',
      cluster: 'gold',
      schema,
      name,
      description: `${Array.from({ length: 12 }, () => pick(WORDS)).join(' ')}${rand() < 0.2 ? ` ${pick(KOREAN)} ${pick(KOREAN)}` : ''}`,
      tags: [pick(SUBJECTS), pick(SCHEMAS)],
      badges: rand() < 0.1 ? ['certified'] : [],
      owners: [pick(users).id],
      columns: unique,
      updates,
      readers: Array.from({ length: 3 }, () => ({ user: pick(users).id, count: Math.floor(rand() * 500) })).filter((r, k, all) => all.findIndex((x) => x.user === r.user) === k),
      upstream: i > 10 && rand() < 0.5 ? [records[Math.floor(rand() * i)]!.key] : [],
      deprecated: rand() < 0.03,
      source: 'bench',
    });
  }
  return { now: new Date(now).toISOString(), users, tables: records, dashboards: [] };
}

/** The fixed queries every store benchmark runs. */
export const BENCH_QUERIES = [
  'latency by country', 'daily revenue', 'purchase amount usd', 'churn retention', 'session events hourly', 'crash device',
  'avg rtt', 'campaign clicks impressions', '국가별 매출', '레이턴시', 'server latency', 'login user daily', 'refund payment',
  'guild quest level', 'matchmaking match duration', 'ad network install', 'store item quantity', 'country platform', 'p95 rtt ms', 'first login',
];
