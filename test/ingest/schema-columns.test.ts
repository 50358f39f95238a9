import { avroColumns, jsonSchemaColumns, schemaColumns } from '../../ingest/connectors/schema-columns';

const cols = (list: ReturnType<typeof avroColumns>): string[] => list.map((c) => `${c.position} ${c.name}: ${c.type}${c.nullable ? '?' : ''}${c.description ? ` -- ${c.description}` : ''}`);

describe('Avro value schemas as columns', () => {
  it('maps a record field by field: primitives, doc as description, unions with null as nullable', () => {
    const schema = {
      type: 'record',
      name: 'Event',
      namespace: 'game',
      doc: 'one game event',
      fields: [
        { name: 'id', type: 'long', doc: 'event id' },
        { name: 'player', type: ['null', 'string'], default: null, doc: '  who  ' },
        { name: 'score', type: ['int', 'null'] },
        { name: 'ok', type: { type: 'boolean' } },
        { name: 'payload', type: 'bytes', doc: '' },
      ],
    };
    expect(cols(avroColumns(schema))).toEqual(['0 id: long -- event id', '1 player: string? -- who', '2 score: int?', '3 ok: boolean', '4 payload: bytes']);
    expect(avroColumns(schema)[0]).toEqual({ name: 'id', type: 'long', position: 0, nullable: false, description: 'event id' });
  });

  it('flattens nested records, records in arrays and maps, and resolves named types referenced again', () => {
    const schema = {
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'ship_to', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string', doc: 'city name' }, { name: 'zip', type: ['null', 'string'] }] } },
        { name: 'bill_to', type: ['null', 'shop.Address'] },
        { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'attrs', type: { type: 'map', values: ['null', 'long'] } },
        { name: 'by_sku', type: { type: 'map', values: 'Line' } },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
        { name: 'prev_status', type: ['null', 'Status'] },
        { name: 'either', type: ['null', 'string', 'long'] },
      ],
    };
    expect(cols(avroColumns(schema))).toEqual([
      '0 ship_to: record Address',
      '1 ship_to.city: string -- city name',
      '2 ship_to.zip: string?',
      '3 bill_to: record Address?',
      '4 bill_to.city: string -- city name',
      '5 bill_to.zip: string?',
      '6 lines: array<record Line>',
      '7 lines[].sku: string',
      '8 lines[].qty: int',
      '9 tags: array<string>',
      '10 attrs: map<long>',
      '11 by_sku: map<record Line>',
      '12 by_sku{}.sku: string',
      '13 by_sku{}.qty: int',
      '14 status: enum Status',
      '15 prev_status: enum Status?',
      '16 either: union<string,long>?',
    ]);
  });

  it('names logical types by their logical name; an unknown logical type is its underlying type', () => {
    const schema = {
      type: 'record',
      name: 'T',
      fields: [
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'at_us', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }] },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'fixed_amount', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18 } },
        { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'custom', type: { type: 'string', logicalType: 'nansen-custom' } },
        { name: 'hash', type: { type: 'fixed', name: 'Md5', size: 16 } },
        { name: 'hash2', type: 'Md5' },
      ],
    };
    expect(cols(avroColumns(schema))).toEqual([
      '0 at: timestamp-millis',
      '1 at_us: timestamp-micros?',
      '2 day: date',
      '3 amount: decimal(10,2)',
      '4 fixed_amount: decimal(18,0)',
      '5 uid: uuid',
      '6 custom: string',
      '7 hash: fixed(16)',
      '8 hash2: fixed(16)',
    ]);
  });

  it('stops at a recursive type instead of looping, and keeps namespaces apart', () => {
    const schema = {
      type: 'record',
      name: 'Node',
      namespace: 'a',
      fields: [
        { name: 'value', type: 'string' },
        { name: 'next', type: ['null', 'Node'] },
        { name: 'other', type: { type: 'record', name: 'Node', namespace: 'b', fields: [{ name: 'x', type: 'int' }] } },
        { name: 'again', type: 'b.Node' },
      ],
    };
    expect(cols(avroColumns(schema))).toEqual(['0 value: string', '1 next: record Node?', '2 other: record Node', '3 other.x: int', '4 again: record Node', '5 again.x: int']);
  });

  it('a value schema that is not a record is one column "value"', () => {
    expect(cols(avroColumns('string'))).toEqual(['0 value: string']);
    expect(cols(avroColumns({ type: 'array', items: 'long' }))).toEqual(['0 value: array<long>']);
  });
});

describe('JSON Schema value schemas as columns', () => {
  it('maps properties with required as not null, formats, arrays, nested objects and descriptions', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['id', 'user'],
      properties: {
        id: { type: 'integer', description: 'event id' },
        at: { type: 'string', format: 'date-time' },
        note: { type: ['string', 'null'] },
        kind: { enum: ['a', 'b'] },
        user: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'number' } } },
        items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
        tags: { type: 'array', items: { type: 'string' } },
        either: { oneOf: [{ type: 'null' }, { type: 'string' }] },
        mixed: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      },
    };
    expect(cols(jsonSchemaColumns(schema))).toEqual([
      '0 id: integer -- event id',
      '1 at: string(date-time)?',
      '2 note: string?',
      '3 kind: enum?',
      '4 user: object',
      '5 user.name: string',
      '6 user.age: number?',
      '7 items: array<object>?',
      '8 items[].sku: string?',
      '9 tags: array<string>?',
      '10 either: string?',
      '11 mixed: union<string,integer>?',
    ]);
  });

  it('follows local $refs and stops at recursive ones', () => {
    const schema = {
      type: 'object',
      required: ['home'],
      properties: { home: { $ref: '#/definitions/Address' }, parent: { $ref: '#/$defs/Person' } },
      definitions: { Address: { type: 'object', description: 'a postal address', properties: { city: { type: 'string' } } } },
      $defs: { Person: { type: 'object', properties: { name: { type: 'string' }, parent: { $ref: '#/$defs/Person' } } } },
    };
    expect(cols(jsonSchemaColumns(schema))).toEqual([
      '0 home: object -- a postal address',
      '1 home.city: string?',
      '2 parent: object?',
      '3 parent.name: string?',
      '4 parent.parent: object?',
    ]);
  });
});

describe('registered schemas', () => {
  it('dispatches on schemaType: absent is Avro, JSON is JSON Schema, Protobuf is skipped with a note', () => {
    expect(schemaColumns({ schema: '{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}' })).toEqual({ columns: [{ name: 'x', type: 'int', position: 0, nullable: false }] });
    expect(schemaColumns({ schemaType: 'JSON', schema: '{"type":"object","properties":{"x":{"type":"string"}}}' })).toEqual({ columns: [{ name: 'x', type: 'string', position: 0, nullable: true }] });
    expect(schemaColumns({ schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message A { int32 x = 1; }' })).toEqual({ columns: [], skipped: 'Protobuf schemas are not mapped to columns' });
    expect(() => schemaColumns({ schema: '{not json' })).toThrow(/Avro schema is not valid JSON/);
  });
});
