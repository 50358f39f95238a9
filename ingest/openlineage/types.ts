/**
 * The parts of an OpenLineage RunEvent (spec 2-0-2) the intake reads. The whole event is validated against the
 * spec's JSON Schema first (`validate.ts`); these types name what is then known to be there.
 */
export interface RunEvent {
  eventType?: 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets?: { errorMessage?: { message?: string }; [facet: string]: unknown } };
  job: { namespace: string; name: string; facets?: Record<string, unknown> };
  inputs?: Dataset[];
  outputs?: Dataset[];
}

export interface Dataset {
  namespace: string;
  name: string;
  facets?: { schema?: SchemaFacet; [facet: string]: unknown };
}

export interface SchemaFacet {
  fields?: SchemaField[];
}

export interface SchemaField {
  name: string;
  type?: string;
  description?: string;
  ordinal_position?: number;
  fields?: SchemaField[];
}
