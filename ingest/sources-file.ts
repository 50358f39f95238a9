import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../src/domain/errors';
import type { SourceConfig } from './source';

const part = z.string().regex(/^[^./:]+$/, 'must not contain ".", "/" or ":"');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const patterns = z.array(z.string().min(1)).optional();

const common = {
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _'),
  database: part.optional(),
  cluster: part.optional(),
  schedule: z.union([z.string().min(1), z.number().int().positive()]).optional(),
  include: patterns,
  exclude: patterns,
};

const SourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.enum(['postgres', 'mysql', 'hive-metastore']), urlEnv: envName }),
  z.strictObject({ ...common, type: z.literal('kafka'), urlEnv: envName, schemaRegistry: z.strictObject({ urlEnv: envName }).optional() }),
  z.strictObject({ ...common, type: z.enum(['dbt', 'catalog']), path: z.string().min(1) }),
]);

const SourcesFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  sources: z.array(SourceSchema),
});

const SECRET_FIELDS = ['url', 'password', 'connection', 'dsn', 'uri'];

/**
 * Parses `sources.yml` text: YAML, validated with zod. Relative paths resolve against `baseDir` (the file's
 * folder). Rejects, naming the source and field: unknown fields, duplicate ids, and connection URLs or
 * passwords written into the file (they belong in environment variables, named by `urlEnv`).
 */
export function parseSources(text: string, file: string, baseDir = dirname(file)): SourceConfig[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new UserError('bad_sources', `${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (raw && typeof raw === 'object' && Array.isArray((raw as { sources?: unknown }).sources)) {
    (raw as { sources: unknown[] }).sources.forEach((s, i) => {
      if (!s || typeof s !== 'object') return;
      const nested = (s as { schemaRegistry?: unknown }).schemaRegistry;
      const places: Array<[string, object]> = [[`sources[${i}]`, s], ...(nested && typeof nested === 'object' ? [[`sources[${i}].schemaRegistry`, nested] as [string, object]] : [])];
      for (const [where, o] of places) {
        for (const f of [...SECRET_FIELDS, 'username', 'user']) {
          if (f in o) {
            throw new UserError('bad_sources', `${file}: ${where}.${f}: connection details never go in the file; put the URL (with any user and password) in an environment variable and name it with urlEnv`);
          }
        }
      }
    });
  }
  const parsed = SourcesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
    throw new UserError('bad_sources', `${file}: ${where}: ${issue.message}`);
  }
  const seen = new Set<string>();
  return parsed.data.sources.map((s, i) => {
    if (seen.has(s.id)) throw new UserError('bad_sources', `${file}: sources[${i}].id: duplicate source id "${s.id}"`);
    seen.add(s.id);
    if ('path' in s) return { ...s, path: isAbsolute(s.path) ? s.path : resolve(baseDir, s.path) };
    return { ...s };
  });
}

/** Reads and parses a sources file. */
export async function loadSources(file: string): Promise<SourceConfig[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError('bad_sources', `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseSources(text, file);
}

/** The source of that id, or a `UserError` listing the ids there are. */
export function findSource(sources: SourceConfig[], id: string): SourceConfig {
  const s = sources.find((x) => x.id === id);
  if (!s) throw new UserError('unknown_source', `There is no source "${id}". Sources: ${sources.map((x) => x.id).join(', ') || '(none)'}.`);
  return s;
}
