import type { TableRecord } from '../../../src/domain/model';
import type { Connector, ExtractContext, ExtractedItem } from '../../../ingest/source';
import type { ConnectorState } from '../../../src/domain/crawl';

/** A source in memory: the tables it holds now, and an optional failure after some tables. */
export class FakeSource {
  tables: TableRecord[] = [];
  /** Throw after yielding this many tables. */
  failAfter?: number;
  failWith: Error = new Error('connection terminated unexpectedly');
  extracts = 0;
  lastState?: ConnectorState;

  constructor(readonly sourceName: string) {}

  connector(): Connector {
    return { extract: (context) => this.extract(context), close: async () => undefined };
  }

  private async *extract(context: ExtractContext): AsyncGenerator<ExtractedItem> {
    this.extracts++;
    this.lastState = context.state;
    yield { kind: 'total', tables: this.tables.length };
    let n = 0;
    for (const record of this.tables) {
      if (this.failAfter !== undefined && n >= this.failAfter) throw this.failWith;
      n++;
      yield { kind: 'table', record: structuredClone(record) };
    }
    yield { kind: 'state', state: { seen: this.tables.length } };
  }
}

/** A table record of a fake PostgreSQL source. */
export function pgTable(name: string, overrides: Partial<TableRecord> = {}, source = 'postgres:fake'): TableRecord {
  const schema = overrides.schema ?? 'public';
  return {
    key: `postgres://fake.${schema}/${name}`,
    database: 'postgres',
    cluster: 'fake',
    schema,
    name,
    kind: 'table',
    description: `${name} table`,
    columns: [
      { name: 'id', type: 'bigint', position: 0, nullable: false, description: 'primary key' },
      { name: 'value', type: 'text', position: 1, nullable: true },
    ],
    source,
    ...overrides,
  };
}
