/**
 * Column types compared the way a reader of the data cares about: does every old value still fit, unchanged?
 * `widened` (int → bigint, varchar(10) → varchar(20), float → double) keeps every value; `narrowed` may lose some
 * (bigint → int, varchar(20) → varchar(10), bigint → double); `changed` moves to another kind of value
 * (int → text, date → timestamp); `same` differs in spelling only (int4 → integer).
 */
export type TypeShift = 'widened' | 'narrowed' | 'changed' | 'same';

/** A column type reduced to what matters for comparison. */
export type TypeInfo =
  | { family: 'int'; bytes: number; unsigned: boolean }
  /** `bits` is the mantissa: 24 for real/float, 53 for double. */
  | { family: 'float'; bits: number }
  /** `precision` undefined means unbounded (PostgreSQL `numeric`). */
  | { family: 'decimal'; precision?: number; scale: number }
  /** `length` undefined means unbounded (`text`, `string`, `varchar`). */
  | { family: 'string'; length?: number; fixed: boolean }
  | { family: 'binary'; length?: number; fixed: boolean }
  | { family: 'temporal'; base: string; precision?: number }
  | { family: 'other'; name: string };

const INT_BYTES: Record<string, number> = {
  tinyint: 1,
  int1: 1,
  byte: 1,
  smallint: 2,
  int2: 2,
  smallserial: 2,
  serial2: 2,
  short: 2,
  mediumint: 3,
  int3: 3,
  int: 4,
  integer: 4,
  int4: 4,
  serial: 4,
  serial4: 4,
  bigint: 8,
  int8: 8,
  bigserial: 8,
  serial8: 8,
  long: 8,
  int64: 8,
  hugeint: 16,
  int128: 16,
};

const FLOAT_BITS: Record<string, number> = {
  real: 24,
  float4: 24,
  float: 24,
  float32: 24,
  double: 53,
  'double precision': 53,
  float8: 53,
  float64: 53,
};

const TEXT_LENGTH: Record<string, number | undefined> = {
  text: undefined,
  string: undefined,
  clob: undefined,
  citext: undefined,
  tinytext: 255,
  mediumtext: 16_777_215,
  longtext: 4_294_967_295,
};

const BINARY_LENGTH: Record<string, number | undefined> = {
  bytea: undefined,
  blob: 65_535,
  tinyblob: 255,
  mediumblob: 16_777_215,
  longblob: 4_294_967_295,
  binary: undefined,
};

const TEMPORAL_ALIASES: Record<string, string> = {
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  timestamp_ntz: 'timestamp',
  timestamp_ltz: 'timestamptz',
  timestamp_tz: 'timestamptz',
};
const TEMPORAL = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'date', 'datetime', 'interval', 'year']);

const OTHER_ALIASES: Record<string, string> = { bool: 'boolean', tinyint1: 'boolean', jsonb: 'jsonb', json: 'json' };

/** Reads a type as sources spell it (PostgreSQL, MySQL/MariaDB, Hive, dbt adapters). */
export function parseType(raw: string): TypeInfo {
  let t = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const unsigned = /\bunsigned\b/.test(t);
  t = t.replace(/\b(unsigned|signed|zerofill)\b/g, '').replace(/\s+/g, ' ').trim();
  const open = t.indexOf('(');
  const close = open >= 0 ? t.indexOf(')', open) : -1;
  let base = (open >= 0 ? t.slice(0, open) : t).trim();
  const args = (open >= 0 && close > open ? t.slice(open + 1, close) : '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const rest = (open >= 0 && close > open ? t.slice(close + 1) : '').trim();
  // "timestamp(3) with time zone": the qualifier follows the arguments.
  if (rest && !rest.startsWith('[')) base = `${base} ${rest}`.trim();
  if (rest.startsWith('[') || base.endsWith(']') || /^(array|map|struct|row)\b/.test(base)) return { family: 'other', name: t.replace(/\s+/g, '') };
  const num = (s: string | undefined): number | undefined => {
    if (s === undefined || s === '' || s === '*') return undefined;
    if (s === 'max') return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  };

  if (base === 'tinyint' && args[0] === '1' && !unsigned) return { family: 'other', name: 'boolean' };
  if (base in INT_BYTES) return { family: 'int', bytes: INT_BYTES[base]!, unsigned };
  if (base === 'float' && args.length === 1) {
    const p = num(args[0]);
    return { family: 'float', bits: p !== undefined && p > 24 ? 53 : 24 };
  }
  if (base in FLOAT_BITS) return { family: 'float', bits: FLOAT_BITS[base]! };
  if (base === 'decimal' || base === 'numeric' || base === 'number' || base === 'dec' || base === 'fixed') {
    const precision = num(args[0]);
    const scale = num(args[1]) ?? 0;
    // MySQL's bare DECIMAL is DECIMAL(10,0); PostgreSQL's bare NUMERIC is unbounded. Sources report the MySQL one with arguments.
    return precision === undefined ? { family: 'decimal', scale: args.length ? scale : 0 } : { family: 'decimal', precision, scale };
  }
  if (base === 'varchar' || base === 'character varying' || base === 'nvarchar' || base === 'varchar2' || base === 'nvarchar2' || base === 'national character varying') {
    return { family: 'string', length: num(args[0]), fixed: false };
  }
  if (base === 'char' || base === 'character' || base === 'nchar' || base === 'bpchar' || base === 'national character') {
    return { family: 'string', length: num(args[0]) ?? 1, fixed: true };
  }
  if (base in TEXT_LENGTH) return { family: 'string', length: TEXT_LENGTH[base], fixed: false };
  if (base === 'varbinary' || base === 'binary varying') return { family: 'binary', length: num(args[0]), fixed: false };
  if (base === 'binary' && args.length) return { family: 'binary', length: num(args[0]), fixed: true };
  if (base in BINARY_LENGTH) return { family: 'binary', length: BINARY_LENGTH[base], fixed: false };
  const temporal = TEMPORAL_ALIASES[base] ?? base;
  if (TEMPORAL.has(temporal)) return { family: 'temporal', base: temporal, precision: num(args[0]) };
  return { family: 'other', name: OTHER_ALIASES[base] ?? (args.length ? `${base}(${args.join(',')})` : base) };
}

/** Decimal digits an integer of `bytes` needs, signed or not. */
function intDigits(bytes: number, unsigned: boolean): number {
  const max = 2n ** BigInt(bytes * 8 - (unsigned ? 0 : 1));
  return max.toString().length;
}

const cmp = (a: number | undefined, b: number | undefined): number => {
  const x = a ?? Number.POSITIVE_INFINITY;
  const y = b ?? Number.POSITIVE_INFINITY;
  return x === y ? 0 : x < y ? -1 : 1;
};

const bySign = (n: number): TypeShift => (n === 0 ? 'same' : n < 0 ? 'widened' : 'narrowed');

/** How a column's type moved, from a reader's point of view. */
export function compareTypes(oldType: string, newType: string): TypeShift {
  const a = parseType(oldType);
  const b = parseType(newType);
  switch (a.family) {
    case 'int':
      if (b.family === 'int') {
        if (a.unsigned === b.unsigned) return bySign(a.bytes - b.bytes);
        // signed → unsigned loses negatives; unsigned → signed needs a bigger type.
        if (!a.unsigned) return 'narrowed';
        return b.bytes > a.bytes ? 'widened' : 'narrowed';
      }
      if (b.family === 'float') return a.bytes * 8 - (a.unsigned ? 0 : 1) <= b.bits ? 'widened' : 'narrowed';
      if (b.family === 'decimal') return b.precision === undefined || b.precision - b.scale >= intDigits(a.bytes, a.unsigned) ? 'widened' : 'narrowed';
      return 'changed';
    case 'float':
      if (b.family === 'float') return bySign(a.bits - b.bits);
      if (b.family === 'int' || b.family === 'decimal') return 'narrowed';
      return 'changed';
    case 'decimal': {
      if (b.family === 'decimal') {
        if (a.precision === undefined) return b.precision === undefined ? bySign(a.scale - b.scale) : 'narrowed';
        if (b.precision === undefined) return 'widened';
        const intA = a.precision - a.scale;
        const intB = b.precision - b.scale;
        const i = cmp(intA, intB);
        const s = a.scale - b.scale;
        if (i === 0 && s === 0) return 'same';
        if (i <= 0 && s <= 0) return 'widened';
        return 'narrowed';
      }
      if (b.family === 'int') return 'narrowed';
      if (b.family === 'float') return 'narrowed';
      return 'changed';
    }
    case 'string':
      if (b.family === 'string') {
        const c = cmp(a.length, b.length);
        if (a.fixed === b.fixed) return bySign(c);
        // char(n) → varchar(m ≥ n) keeps every value; varchar → char pads them, which readers see.
        return a.fixed && c <= 0 ? 'widened' : 'changed';
      }
      return 'changed';
    case 'binary':
      if (b.family === 'binary') {
        const c = cmp(a.length, b.length);
        if (a.fixed === b.fixed) return bySign(c);
        return a.fixed && c <= 0 ? 'widened' : 'changed';
      }
      return 'changed';
    case 'temporal':
      if (b.family === 'temporal') {
        if (a.base !== b.base) {
          if ((a.base === 'datetime' && b.base === 'timestamp') || (a.base === 'timestamp' && b.base === 'datetime')) return 'same';
          return 'changed';
        }
        return bySign(cmp(a.precision ?? 6, b.precision ?? 6));
      }
      return 'changed';
    case 'other':
      return b.family === 'other' && b.name === a.name ? 'same' : 'changed';
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** Two column types hold the same values (rename detection pairs columns of the same type). */
export function sameType(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase() || compareTypes(a, b) === 'same';
}
