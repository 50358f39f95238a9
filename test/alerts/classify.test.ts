import { classifyChanges, parseNullable, severityCounts, type ChangeDetail, type Severity } from '../../src/alerts/classify';
import { compareTypes, type TypeShift } from '../../src/alerts/types';
import type { SchemaChange, SchemaChangeKind } from '../../src/domain/model';

let seq = 0;
function change(kind: SchemaChangeKind, fields: Partial<SchemaChange> = {}): SchemaChange {
  seq++;
  return { id: `c${seq}`, source: 'postgres:wh', crawlId: 'crawl-1', at: '2026-11-24T08:00:00Z', tableKey: 'postgres://main.sales/orders', kind, ...fields };
}

describe('compareTypes', () => {
  const cases: Array<[string, string, TypeShift]> = [
    ['int', 'bigint', 'widened'],
    ['integer', 'bigint', 'widened'],
    ['int4', 'int8', 'widened'],
    ['smallint', 'integer', 'widened'],
    ['tinyint', 'smallint', 'widened'],
    ['bigint', 'int', 'narrowed'],
    ['integer', 'smallint', 'narrowed'],
    ['int', 'integer', 'same'],
    ['int4', 'integer', 'same'],
    ['int(11)', 'int', 'same'],
    ['int', 'int unsigned', 'narrowed'],
    ['int unsigned', 'bigint', 'widened'],
    ['int unsigned', 'int', 'narrowed'],
    ['float', 'double', 'widened'],
    ['real', 'double precision', 'widened'],
    ['float4', 'float8', 'widened'],
    ['double precision', 'real', 'narrowed'],
    ['double', 'float', 'narrowed'],
    ['int', 'double precision', 'widened'],
    ['smallint', 'real', 'widened'],
    ['int', 'real', 'narrowed'],
    ['bigint', 'double precision', 'narrowed'],
    ['int', 'numeric(10,0)', 'widened'],
    ['int', 'numeric(9,0)', 'narrowed'],
    ['bigint', 'numeric', 'widened'],
    ['numeric(10,2)', 'numeric(12,2)', 'widened'],
    ['numeric(10,2)', 'numeric(12,4)', 'widened'],
    ['numeric(12,2)', 'numeric(10,2)', 'narrowed'],
    ['numeric(10,2)', 'numeric(10,4)', 'narrowed'],
    ['numeric(10,2)', 'numeric', 'widened'],
    ['numeric', 'numeric(38,10)', 'narrowed'],
    ['decimal(10,2)', 'numeric(10,2)', 'same'],
    ['numeric(10,2)', 'double precision', 'narrowed'],
    ['varchar(10)', 'varchar(20)', 'widened'],
    ['character varying(10)', 'character varying(255)', 'widened'],
    ['varchar(20)', 'varchar(10)', 'narrowed'],
    ['varchar(255)', 'text', 'widened'],
    ['text', 'varchar(255)', 'narrowed'],
    ['varchar', 'text', 'same'],
    ['char(2)', 'varchar(2)', 'widened'],
    ['char(2)', 'char(3)', 'widened'],
    ['varchar(3)', 'char(3)', 'changed'],
    ['string', 'varchar(100)', 'narrowed'],
    ['varchar(100)', 'string', 'widened'],
    ['tinytext', 'text', 'widened'],
    ['longtext', 'mediumtext', 'narrowed'],
    ['int', 'text', 'changed'],
    ['text', 'integer', 'changed'],
    ['date', 'timestamp', 'changed'],
    ['timestamp without time zone', 'timestamp', 'same'],
    ['timestamp', 'timestamp with time zone', 'changed'],
    ['timestamp(3)', 'timestamp(6)', 'widened'],
    ['timestamp(6) with time zone', 'timestamp(3) with time zone', 'narrowed'],
    ['boolean', 'bool', 'same'],
    ['tinyint(1)', 'boolean', 'same'],
    ['json', 'jsonb', 'changed'],
    ['integer[]', 'bigint[]', 'changed'],
    ['integer[]', 'integer[]', 'same'],
    ['bytea', 'bytea', 'same'],
    ['varbinary(16)', 'varbinary(32)', 'widened'],
    ['uuid', 'text', 'changed'],
  ];
  it.each(cases)('%s → %s is %s', (from, to, shift) => {
    expect(compareTypes(from, to)).toBe(shift);
  });
});

describe('classifyChanges', () => {
  const cases: Array<[string, SchemaChange[], Array<[Severity, ChangeDetail['kind']]>]> = [
    ['table removed', [change('table_removed')], [['breaking', 'table_removed']]],
    ['table added', [change('table_added')], [['additive', 'table_added']]],
    ['column removed', [change('column_removed', { column: 'note', oldValue: 'text' })], [['breaking', 'column_removed']]],
    ['column added', [change('column_added', { column: 'note', newValue: 'text' })], [['additive', 'column_added']]],
    ['type widened', [change('column_type_changed', { column: 'id', oldValue: 'integer', newValue: 'bigint' })], [['additive', 'column_type_changed']]],
    ['type narrowed', [change('column_type_changed', { column: 'id', oldValue: 'bigint', newValue: 'integer' })], [['breaking', 'column_type_changed']]],
    ['type changed', [change('column_type_changed', { column: 'id', oldValue: 'integer', newValue: 'text' })], [['breaking', 'column_type_changed']]],
    ['type respelled', [change('column_type_changed', { column: 'id', oldValue: 'int4', newValue: 'integer' })], [['informational', 'column_type_changed']]],
    ['now nullable', [change('column_nullability_changed', { column: 'id', oldValue: 'not null', newValue: 'nullable' })], [['breaking', 'column_nullability_changed']]],
    ['now not null', [change('column_nullability_changed', { column: 'id', oldValue: 'nullable', newValue: 'not null' })], [['additive', 'column_nullability_changed']]],
    ['table description', [change('description_changed', { oldValue: 'a', newValue: 'b' })], [['informational', 'description_changed']]],
    ['column comment', [change('description_changed', { column: 'id', oldValue: 'a' })], [['informational', 'description_changed']]],
    [
      'rename: remove + add of the same type',
      [change('column_removed', { column: 'amount', oldValue: 'numeric(12,2)' }), change('column_added', { column: 'amount_krw', newValue: 'numeric(12,2)' })],
      [['breaking', 'column_renamed']],
    ],
    [
      'no rename across types',
      [change('column_removed', { column: 'amount', oldValue: 'numeric(12,2)' }), change('column_added', { column: 'amount_krw', newValue: 'text' })],
      [
        ['breaking', 'column_removed'],
        ['additive', 'column_added'],
      ],
    ],
    [
      'no rename across tables',
      [change('column_removed', { column: 'a', oldValue: 'int' }), change('column_added', { column: 'b', newValue: 'int', tableKey: 'postgres://main.sales/other' })],
      [
        ['breaking', 'column_removed'],
        ['additive', 'column_added'],
      ],
    ],
    [
      'no rename across crawls',
      [change('column_removed', { column: 'a', oldValue: 'int' }), change('column_added', { column: 'b', newValue: 'int', crawlId: 'crawl-2' })],
      [
        ['breaking', 'column_removed'],
        ['additive', 'column_added'],
      ],
    ],
    [
      'breaking first',
      [change('description_changed', { oldValue: 'a', newValue: 'b' }), change('column_added', { column: 'x', newValue: 'int' }), change('column_removed', { column: 'y', oldValue: 'text' })],
      [
        ['breaking', 'column_removed'],
        ['additive', 'column_added'],
        ['informational', 'description_changed'],
      ],
    ],
    ['duplicate ids count once', [{ ...change('table_removed'), id: 'same' }, { ...change('table_removed'), id: 'same' }], [['breaking', 'table_removed']]],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(classifyChanges(input).map((c) => [c.severity, c.detail.kind])).toEqual(expected);
  });

  it('pairs several renames of one type by name similarity', () => {
    const out = classifyChanges([
      change('column_removed', { column: 'user_id', oldValue: 'bigint' }),
      change('column_removed', { column: 'order_id', oldValue: 'bigint' }),
      change('column_added', { column: 'order_no', newValue: 'bigint' }),
      change('column_added', { column: 'user_no', newValue: 'bigint' }),
    ]);
    const renames = out.map((c) => c.detail).filter((d): d is Extract<ChangeDetail, { kind: 'column_renamed' }> => d.kind === 'column_renamed');
    expect(renames.map((r) => `${r.from}->${r.to}`).sort()).toEqual(['order_id->order_no', 'user_id->user_no']);
    expect(out.every((c) => c.changeIds.length === 2)).toBe(true);
  });

  it('keeps the ids of both halves of a rename', () => {
    const r = change('column_removed', { column: 'a', oldValue: 'int' });
    const a = change('column_added', { column: 'b', newValue: 'integer' });
    const [only] = classifyChanges([r, a]);
    expect(only!.changeIds).toEqual([r.id, a.id]);
    expect(only!.detail).toEqual({ kind: 'column_renamed', from: 'a', to: 'b', type: 'integer' });
  });

  it('folds column changes into a removed table', () => {
    const out = classifyChanges([change('table_removed'), change('column_removed', { column: 'x', oldValue: 'int' })]);
    expect(out.map((c) => c.detail.kind)).toEqual(['table_removed']);
  });

  it('counts severities', () => {
    const out = classifyChanges([change('table_removed', { tableKey: 'a://b.c/d' }), change('table_added', { tableKey: 'a://b.c/e' }), change('description_changed', { tableKey: 'a://b.c/f' })]);
    expect(severityCounts(out)).toEqual({ breaking: 1, additive: 1, informational: 1 });
  });

  it.each([
    ['nullable', true],
    ['not null', false],
    ['NOT NULL', false],
    ['true', true],
    ['required', false],
    ['maybe', undefined],
  ] as const)('reads nullability %s', (text, expected) => {
    expect(parseNullable(text)).toBe(expected);
  });
});
