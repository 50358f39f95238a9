import type { TableRecord } from '../../src/domain/model';

/** A column as a source record carries it. */
export type SchemaColumn = TableRecord['columns'][number];

/** A schema as a Schema Registry holds it (Confluent's API shape, `GET /subjects/{s}/versions/latest`). */
export interface RegisteredSchema {
  subject: string;
  version: number;
  /** The registry-wide schema id. */
  id: number;
  /** Absent means AVRO (the Confluent API leaves it out for Avro). */
  schemaType?: string;
  /** The schema itself, as JSON text (Avro, JSON Schema) or .proto text. */
  schema: string;
}

/** What a registered schema says about a topic's columns, or why it says nothing. */
export type SchemaColumns = { columns: SchemaColumn[] } | { columns: []; skipped: string };

/** How deep nested records/objects are flattened into `parent.child` columns; deeper ones stay one column. */
const MAX_DEPTH = 6;
/** A guard against schemas that would flatten into an absurd number of columns. */
const MAX_COLUMNS = 2000;

/**
 * The columns of a topic from its value schema. Avro records and JSON Schema objects map field by field (nested
 * ones flattened into `parent.child`, array elements into `parent[].child`), with their `doc`/`description` as the
 * description; Protobuf is not mapped (a note says so). A schema that does not parse is an error. Pure.
 */
export function schemaColumns(s: Pick<RegisteredSchema, 'schemaType' | 'schema'>): SchemaColumns {
  const type = (s.schemaType ?? 'AVRO').toUpperCase();
  if (type === 'PROTOBUF') return { columns: [], skipped: 'Protobuf schemas are not mapped to columns' };
  if (type !== 'AVRO' && type !== 'JSON') return { columns: [], skipped: `schema type ${type} is not mapped to columns` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(s.schema);
  } catch (e) {
    throw new Error(`the ${type === 'AVRO' ? 'Avro' : 'JSON'} schema is not valid JSON: ${(e as Error).message}`);
  }
  return { columns: type === 'AVRO' ? avroColumns(parsed) : jsonSchemaColumns(parsed) };
}

class Columns {
  readonly list: SchemaColumn[] = [];
  add(name: string, type: string, nullable: boolean | undefined, description: unknown): void {
    if (this.list.length >= MAX_COLUMNS) return;
    this.list.push({
      name,
      type,
      position: this.list.length,
      ...(nullable !== undefined ? { nullable } : {}),
      ...(typeof description === 'string' && description.trim() ? { description: description.trim() } : {}),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Avro

type AvroObject = { type?: unknown; name?: unknown; namespace?: unknown; fields?: unknown; items?: unknown; values?: unknown; logicalType?: unknown; precision?: unknown; scale?: unknown; size?: unknown; doc?: unknown };

const AVRO_PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
/** The logical types of the Avro 1.12 spec; any other `logicalType` is read as its underlying type. */
const AVRO_LOGICAL = new Set(['decimal', 'big-decimal', 'uuid', 'date', 'time-millis', 'time-micros', 'timestamp-millis', 'timestamp-micros', 'timestamp-nanos', 'local-timestamp-millis', 'local-timestamp-micros', 'local-timestamp-nanos', 'duration']);

/** The full name of a named Avro type, by the spec's rules: a dotted name is full, else the namespace prefixes it. */
function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

/**
 * Columns of an Avro schema: a record's fields (nested records flattened into `a.b`, records in arrays into
 * `a[].b`, in maps into `a{}.b`); any other top-level schema is one column `value`. Types: primitives by name,
 * logical types by their logical name (`timestamp-millis`, `decimal(10,2)`, `uuid`), `array<T>`, `map<T>`,
 * `record Name`, `enum Name`, `fixed(16)`, a union with `null` as its other branch, nullable; a wider union
 * `union<A,B>`. Named types are resolved when referenced again by name. Pure.
 */
export function avroColumns(schema: unknown): SchemaColumn[] {
  const named = new Map<string, AvroObject>();
  const out = new Columns();

  const register = (s: AvroObject, namespace: string | undefined): string | undefined => {
    const ns = typeof s.namespace === 'string' ? s.namespace || undefined : namespace;
    if (typeof s.name === 'string') named.set(fullName(s.name, ns), s);
    return typeof s.name === 'string' && s.name.includes('.') ? s.name.slice(0, s.name.lastIndexOf('.')) : ns;
  };

  /** The schema a reference names, or the schema itself; with the namespace its names resolve in. */
  const resolve = (s: unknown, namespace: string | undefined): { s: unknown; ns: string | undefined } => {
    if (typeof s === 'string' && !AVRO_PRIMITIVES.has(s)) {
      const hit = named.get(fullName(s, namespace)) ?? named.get(s);
      if (hit) return { s: hit, ns: typeof hit.name === 'string' && hit.name.includes('.') ? hit.name.slice(0, hit.name.lastIndexOf('.')) : (typeof hit.namespace === 'string' ? hit.namespace : namespace) };
    }
    if (s && typeof s === 'object' && !Array.isArray(s) && typeof (s as AvroObject).type === 'string' && AVRO_PRIMITIVES.has((s as AvroObject).type as string) && (s as AvroObject).logicalType === undefined) {
      return { s: (s as AvroObject).type, ns: namespace }; // {"type": "string"} is "string"
    }
    return { s, ns: namespace };
  };

  /** The type name of a schema, and whether it admits null. Registers the named types it defines. */
  const typeOf = (raw: unknown, namespace: string | undefined): { type: string; nullable: boolean; inner?: { s: AvroObject; ns: string | undefined; kind: 'record' | 'array' | 'map' } } => {
    const { s, ns } = resolve(raw, namespace);
    if (typeof s === 'string') return { type: s, nullable: s === 'null' };
    if (Array.isArray(s)) {
      const branches = s.map((b) => typeOf(b, ns));
      const real = branches.filter((b) => b.type !== 'null');
      const nullable = real.length < branches.length;
      if (real.length === 1) return { ...real[0]!, nullable };
      return { type: `union<${real.map((b) => b.type).join(',')}>`, nullable };
    }
    if (!s || typeof s !== 'object') return { type: 'unknown', nullable: false };
    const o = s as AvroObject;
    if (typeof o.logicalType === 'string' && AVRO_LOGICAL.has(o.logicalType) && typeof o.type === 'string') {
      if (o.type === 'fixed') register(o, ns);
      if (o.logicalType === 'decimal') return { type: `decimal(${Number(o.precision)},${Number(o.scale ?? 0)})`, nullable: false };
      return { type: o.logicalType, nullable: false };
    }
    // an unknown logical type: the spec says to read the underlying type
    switch (o.type) {
      case 'record':
      case 'error': {
        const inner = register(o, ns);
        return { type: `record ${String(o.name)}`, nullable: false, inner: { s: o, ns: inner, kind: 'record' } };
      }
      case 'enum':
        register(o, ns);
        return { type: `enum ${String(o.name)}`, nullable: false };
      case 'fixed':
        register(o, ns);
        return { type: `fixed(${Number(o.size)})`, nullable: false };
      case 'array': {
        const item = typeOf(o.items, ns);
        return { type: `array<${item.type}>`, nullable: false, ...(item.inner ? { inner: { ...item.inner, kind: 'array' as const } } : {}) };
      }
      case 'map': {
        const value = typeOf(o.values, ns);
        return { type: `map<${value.type}>`, nullable: false, ...(value.inner ? { inner: { ...value.inner, kind: 'map' as const } } : {}) };
      }
      default:
        // {"type": {...}}: a schema wrapped in another object
        if (o.type && typeof o.type === 'object') return typeOf(o.type, ns);
        return { type: typeof o.type === 'string' ? o.type : 'unknown', nullable: false };
    }
  };

  const fields = (record: AvroObject, namespace: string | undefined, prefix: string, depth: number, seen: Set<AvroObject>): void => {
    if (!Array.isArray(record.fields)) return;
    for (const f of record.fields as Array<{ name?: unknown; type?: unknown; doc?: unknown }>) {
      if (!f || typeof f.name !== 'string') continue;
      const t = typeOf(f.type, namespace);
      const name = `${prefix}${f.name}`;
      out.add(name, t.type, t.nullable, f.doc);
      if (t.inner && depth < MAX_DEPTH && !seen.has(t.inner.s)) {
        const sep = t.inner.kind === 'array' ? '[].' : t.inner.kind === 'map' ? '{}.' : '.';
        fields(t.inner.s, t.inner.ns, `${name}${sep}`, depth + 1, new Set([...seen, t.inner.s]));
      }
    }
  };

  const top = typeOf(schema, undefined);
  if (top.inner?.kind === 'record') fields(top.inner.s, top.inner.ns, '', 0, new Set([top.inner.s]));
  else out.add('value', top.type, top.nullable, schema && typeof schema === 'object' ? (schema as AvroObject).doc : undefined);
  return out.list;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

type JsonSchema = {
  type?: unknown;
  properties?: Record<string, unknown>;
  required?: unknown;
  items?: unknown;
  format?: unknown;
  description?: unknown;
  title?: unknown;
  enum?: unknown;
  const?: unknown;
  $ref?: unknown;
  oneOf?: unknown;
  anyOf?: unknown;
  allOf?: unknown;
  additionalProperties?: unknown;
};

/**
 * Columns of a JSON Schema: an object's properties (nested objects flattened into `a.b`, objects in arrays into
 * `a[].b`), nullable unless `required` (or when `null` is one of its types). Types: the JSON type, with its
 * `format` (`string(date-time)`), `array<T>`, `object`, `enum`, a `oneOf`/`anyOf` of one type and `null` as that
 * type, nullable, a wider one `union<A,B>`. Local `$ref`s (`#/definitions/X`, `#/$defs/X`) are followed. Pure.
 */
export function jsonSchemaColumns(schema: unknown): SchemaColumn[] {
  const root = schema && typeof schema === 'object' ? (schema as JsonSchema) : {};
  const out = new Columns();

  const deref = (s: unknown, seen: Set<string>): { s: JsonSchema; ref?: string } => {
    let cur = s && typeof s === 'object' ? (s as JsonSchema) : {};
    let ref: string | undefined;
    for (let i = 0; i < 10 && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
      if (seen.has(cur.$ref)) return { s: cur, ref: cur.$ref };
      ref = cur.$ref;
      let at: unknown = root;
      for (const part of cur.$ref.slice(2).split('/')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
      if (!at || typeof at !== 'object') break;
      cur = at as JsonSchema;
    }
    return { s: cur, ...(ref ? { ref } : {}) };
  };

  const typeOf = (raw: unknown, seen: Set<string>): { type: string; nullable: boolean; object?: { s: JsonSchema; seen: Set<string>; inArray: boolean } } => {
    const { s, ref } = deref(raw, seen);
    const seenHere = ref ? new Set([...seen, ref]) : seen;
    if (typeof s.$ref === 'string') return { type: seen.has(s.$ref) ? 'object' : `ref ${s.$ref}`, nullable: false };
    const alternatives = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
    if (alternatives) {
      const branches = alternatives.map((b) => typeOf(b, seenHere));
      const real = branches.filter((b) => b.type !== 'null');
      const nullable = real.length < branches.length || branches.some((b) => b.nullable);
      if (real.length === 1) return { ...real[0]!, nullable };
      return { type: `union<${real.map((b) => b.type).join(',')}>`, nullable };
    }
    if (Array.isArray(s.allOf) && s.type === undefined) {
      const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
      for (const part of s.allOf) {
        const p = deref(part, seenHere).s;
        Object.assign(merged.properties!, p.properties ?? {});
        if (Array.isArray(p.required)) (merged.required as unknown[]).push(...p.required);
      }
      return { type: 'object', nullable: false, object: { s: merged, seen: seenHere, inArray: false } };
    }
    const types = Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === 'string') : typeof s.type === 'string' ? [s.type] : [];
    const nullable = types.includes('null');
    const real = types.filter((t) => t !== 'null');
    if (nullable && real.length === 0) return { type: 'null', nullable: true };
    if (real.length === 0 && s.properties) real.push('object');
    if (real.length === 0 && Array.isArray(s.enum)) return { type: 'enum', nullable: nullable || s.enum.includes(null) };
    if (real.length > 1) return { type: `union<${real.join(',')}>`, nullable };
    const t = real[0];
    if (t === undefined) return { type: s.const !== undefined ? `const ${JSON.stringify(s.const)}` : 'any', nullable };
    if (t === 'array') {
      const item = s.items && !Array.isArray(s.items) ? typeOf(s.items, seenHere) : { type: 'any', nullable: false };
      return { type: `array<${item.type}>`, nullable, ...(item.object ? { object: { ...item.object, inArray: true } } : {}) };
    }
    if (t === 'object') return { type: 'object', nullable, ...(s.properties ? { object: { s, seen: seenHere, inArray: false } } : {}) };
    if (Array.isArray(s.enum)) return { type: 'enum', nullable };
    return { type: typeof s.format === 'string' ? `${t}(${s.format})` : t, nullable };
  };

  const properties = (s: JsonSchema, seen: Set<string>, prefix: string, depth: number): void => {
    if (!s.properties || typeof s.properties !== 'object') return;
    const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
    for (const [key, value] of Object.entries(s.properties)) {
      const t = typeOf(value, seen);
      const name = `${prefix}${key}`;
      const d = deref(value, seen).s;
      out.add(name, t.type, t.nullable || !required.has(key), d.description ?? (value as JsonSchema | undefined)?.description);
      if (t.object && depth < MAX_DEPTH) properties(t.object.s, t.object.seen, `${name}${t.object.inArray ? '[].' : '.'}`, depth + 1);
    }
  };

  const top = typeOf(root, new Set());
  if (top.object && !top.object.inArray) properties(top.object.s, top.object.seen, '', 0);
  else if (top.type !== 'object' && top.type !== 'any') out.add('value', top.type, top.nullable, root.description);
  return out.list;
}
