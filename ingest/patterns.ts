/** Include/exclude patterns over `schema.table`: `*` matches any run of characters (dots too), `?` one. */
export type TableFilterFn = (schema: string, table: string) => boolean;

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'su');
}

/** A table is crawled when it matches an include (default: all) and no exclude. */
export function tableFilter(include: string[] | undefined, exclude: string[] | undefined): TableFilterFn {
  const inc = (include?.length ? include : ['*']).map(globToRegExp);
  const exc = (exclude ?? []).map(globToRegExp);
  return (schema, table) => {
    const name = `${schema}.${table}`;
    return inc.some((r) => r.test(name)) && !exc.some((r) => r.test(name));
  };
}

/**
 * The schemas a pattern list can possibly match, when every include names its schema literally
 * (`sales.*`, `sales.orders`); undefined when some include could match any schema. Lets connectors ask the
 * server for less.
 */
export function literalSchemas(include: string[] | undefined): string[] | undefined {
  if (!include?.length) return undefined;
  const schemas = new Set<string>();
  for (const p of include) {
    const dot = p.indexOf('.');
    if (dot <= 0) return undefined;
    const schema = p.slice(0, dot);
    if (/[*?]/.test(schema)) return undefined;
    schemas.add(schema);
  }
  return [...schemas];
}
