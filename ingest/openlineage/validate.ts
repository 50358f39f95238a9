import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import openLineageSpec from './spec/OpenLineage.json';
import schemaFacetSpec from './spec/SchemaDatasetFacet.json';
import type { RunEvent } from './types';

const SPEC_ID = openLineageSpec.$id;
const SCHEMA_FACET_ID = schemaFacetSpec.$id;

/** What validating a request body gave: a RunEvent, another kind of OpenLineage event, or the reasons it is not valid. */
export type Validation = { kind: 'run'; event: RunEvent } | { kind: 'other'; what: 'DatasetEvent' | 'JobEvent' } | { kind: 'invalid'; reasons: string[] };

function describe(errors: ErrorObject[] | null | undefined): string[] {
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'if' || e.keyword === 'allOf' || e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    seen.add(`${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'enum' ? ` (${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})` : ''}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty?: string }).additionalProperty})` : ''}`);
  }
  return [...seen].slice(0, 10);
}

/**
 * Validates events against the OpenLineage spec's own JSON Schema (draft 2020-12, with its formats), and the
 * `schema` facets of datasets against the spec's SchemaDatasetFacet, with Ajv. Compiled once.
 */
export class OpenLineageValidator {
  private readonly run: ValidateFunction;
  private readonly dataset: ValidateFunction;
  private readonly job: ValidateFunction;
  private readonly schemaFacet: ValidateFunction;

  constructor() {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats(ajv);
    ajv.addSchema(openLineageSpec);
    ajv.addSchema(schemaFacetSpec);
    this.run = ajv.getSchema(`${SPEC_ID}#/$defs/RunEvent`)!;
    this.dataset = ajv.getSchema(`${SPEC_ID}#/$defs/DatasetEvent`)!;
    this.job = ajv.getSchema(`${SPEC_ID}#/$defs/JobEvent`)!;
    this.schemaFacet = ajv.getSchema(`${SCHEMA_FACET_ID}#/$defs/SchemaDatasetFacet`)!;
  }

  validate(body: unknown): Validation {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'invalid', reasons: ['the body must be one OpenLineage event (a JSON object)'] };
    const o = body as Record<string, unknown>;
    if (!('run' in o) && !('job' in o) && 'dataset' in o) return this.dataset(body) ? { kind: 'other', what: 'DatasetEvent' } : { kind: 'invalid', reasons: describe(this.dataset.errors) };
    if (!('run' in o) && 'job' in o) return this.job(body) ? { kind: 'other', what: 'JobEvent' } : { kind: 'invalid', reasons: describe(this.job.errors) };
    if (!this.run(body)) return { kind: 'invalid', reasons: describe(this.run.errors) };
    const event = body as RunEvent;
    const reasons: string[] = [];
    const datasets = [...(event.inputs ?? []).map((d, i) => ['inputs', i, d] as const), ...(event.outputs ?? []).map((d, i) => ['outputs', i, d] as const)];
    for (const [side, i, d] of datasets) {
      const facet = d.facets?.schema;
      if (facet !== undefined && !this.schemaFacet(facet)) reasons.push(...describe(this.schemaFacet.errors).map((r) => `/${side}/${i}/facets/schema${r.startsWith('/ ') ? r.slice(1) : r}`));
    }
    return reasons.length ? { kind: 'invalid', reasons } : { kind: 'run', event };
  }
}
