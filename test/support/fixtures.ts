import type { DashboardRecord, TableRecord, User } from '../../src/domain/model';

/** A small catalog shared by contract tests: two game tables, a billing table, users and a dashboard. */
export function sampleUsers(): User[] {
  return [
    { id: 'jiwoo.kim', name: 'Jiwoo Kim', email: 'jiwoo.kim@example.com', slackId: 'U01JIWOO01', team: 'Data Platform' },
    { id: 'minsu.lee', name: 'Minsu Lee', slackId: 'U01MINSU01', team: 'BI' },
    { id: 'hana.cho', name: 'Hana Cho', team: 'BI' },
  ];
}

export function tableRecord(name: string, overrides: Partial<TableRecord> = {}): TableRecord {
  const schema = overrides.schema ?? 'game_log';
  return {
    key: `hive://gold.${schema}/${name}`,
    database: 'hive',
    cluster: 'gold',
    schema,
    name,
    description: `The ${name} table.`,
    columns: [
      { name: 'dt', type: 'string', position: 0, description: 'partition date' },
      { name: 'user_id', type: 'bigint', position: 1 },
    ],
    source: 'test',
    ...overrides,
  };
}

export function sampleTables(): TableRecord[] {
  return [
    tableRecord('session_latency_hourly', {
      description: 'Hourly p50/p95 network latency per country, platform and game.',
      tags: ['latency', 'network'],
      badges: ['certified'],
      owners: ['jiwoo.kim'],
      columns: [
        { name: 'dt', type: 'string', position: 0, description: 'partition date' },
        { name: 'country_code', type: 'string', position: 1, description: 'ISO 3166-1 alpha-2' },
        { name: 'avg_rtt_ms', type: 'double', position: 2, description: 'mean round trip time' },
      ],
      updates: ['2026-11-24T06:05:00Z', '2026-11-24T07:04:00Z', '2026-11-24T08:05:00Z'],
      readers: [{ user: 'minsu.lee', count: 120 }, { user: 'hana.cho', count: 30 }],
      upstream: ['hive://raw.game_log/ping_events'],
    }),
    tableRecord('ping_events', { schema: 'game_log', description: 'Raw ping events from clients.' }),
    tableRecord('daily_revenue', {
      schema: 'billing',
      description: '일별 국가별 매출 합계',
      columns: [
        { name: 'dt', type: 'string', position: 0 },
        { name: 'purchaseAmtUsd', type: 'double', position: 1, description: 'purchase amount in USD' },
      ],
      owners: ['hana.cho'],
      upstream: ['hive://gold.game_log/session_latency_hourly'],
    }),
  ].map((t) => (t.name === 'ping_events' ? { ...t, key: 'hive://raw.game_log/ping_events', cluster: 'raw' } : t));
}

export function sampleDashboards(): DashboardRecord[] {
  return [
    {
      key: 'tableau://bi/revenue_overview',
      name: 'Revenue Overview',
      description: 'Revenue by day and country',
      owners: ['hana.cho'],
      tables: ['hive://gold.billing/daily_revenue'],
      url: 'https://tableau.example.com/views/revenue_overview',
    },
  ];
}
