import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionUrl, createConnector } from '../../ingest/connectors';
import { classifySourceError, PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import { redactSecrets, redactUrl } from '../../src/log/redact';
import { literalSchemas, tableFilter } from '../../ingest/patterns';
import { findSource, parseSources } from '../../ingest/sources-file';
import { UserError } from '../../src/domain/errors';
import { silentLogger } from '../../src/log/logger';

describe('sources.yml', () => {
  it('parses the example file', () => {
    const file = join(__dirname, '..', '..', 'sources.example.yml');
    const sources = parseSources(readFileSync(file, 'utf8'), file);
    expect(sources.map((s) => `${s.type}:${s.id}`)).toEqual(['postgres:warehouse', 'mysql:shop', 'hive-metastore:game-hive', 'dbt:analytics', 'catalog:dev-catalog']);
    expect(sources[0]).toMatchObject({ urlEnv: 'WAREHOUSE_URL', schedule: '0 * * * *', exclude: ['*.tmp_*', 'scratch.*'] });
    expect(sources[3]!.path).toBe(join(__dirname, '..', '..', 'target'));
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not yaml', 'sources: [', /not valid YAML/],
    ['a URL in the file', 'sources:\n  - id: a\n    type: postgres\n    url: postgres://u:pw@h/db\n', /sources\[0\]\.url: connection details never go in the file/],
    ['a password in the file', 'sources:\n  - id: a\n    type: mysql\n    urlEnv: A\n    password: hunter2\n', /sources\[0\]\.password/],
    ['an unknown type', 'sources:\n  - id: a\n    type: oracle\n    urlEnv: A\n', /sources\[0\]\.type/],
    ['a database source without urlEnv', 'sources:\n  - id: a\n    type: postgres\n', /sources\[0\]\.urlEnv/],
    ['a file source without path', 'sources:\n  - id: a\n    type: dbt\n', /sources\[0\]\.path/],
    ['an unknown field', 'sources:\n  - id: a\n    type: dbt\n    path: x\n    colour: red\n', /sources\[0\]/],
    ['a duplicate id', 'sources:\n  - { id: a, type: dbt, path: x }\n  - { id: a, type: catalog, path: y }\n', /duplicate source id "a"/],
    ['a cluster with a dot', 'sources:\n  - { id: a, type: postgres, urlEnv: A, cluster: "x.y" }\n', /sources\[0\]\.cluster/],
    ['a bad env name', 'sources:\n  - { id: a, type: postgres, urlEnv: "my url" }\n', /environment variable name/],
  ];
  it.each(bad)('rejects %s, naming the place', (_name, text, message) => {
    expect(() => parseSources(text, 'sources.yml')).toThrow(UserError);
    expect(() => parseSources(text, 'sources.yml')).toThrow(message);
  });

  it('never echoes a secret written into the file', () => {
    try {
      parseSources('sources:\n  - id: a\n    type: postgres\n    url: postgres://u:Sup3rSecret@h/db\n', 'sources.yml');
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as Error).message).not.toContain('Sup3rSecret');
    }
  });

  it('finds a source or lists the ids there are', () => {
    const sources = parseSources('sources:\n  - { id: a, type: dbt, path: x }\n', '/etc/sources.yml');
    expect(findSource(sources, 'a').path).toBe('/etc/x');
    expect(() => findSource(sources, 'b')).toThrow('There is no source "b". Sources: a.');
  });

  it('takes connection URLs from the environment only, and checks them', () => {
    const pg = { id: 'w', type: 'postgres' as const, urlEnv: 'W_URL' };
    expect(connectionUrl(pg, { W_URL: 'postgres://u:p@h:5432/db' })).toBe('postgres://u:p@h:5432/db');
    expect(() => connectionUrl(pg, {})).toThrow(/W_URL is not set/);
    expect(() => connectionUrl(pg, { W_URL: 'mysql://u:p@h/db' })).toThrow(PermanentSourceError);
    expect(() => createConnector({ id: 'h', type: 'hive-metastore', urlEnv: 'H' }, { logger: silentLogger(), env: { H: 'mariadb://u:p@h/metastore' } })).not.toThrow();
  });
});

describe('include/exclude patterns', () => {
  it.each([
    [undefined, undefined, 'public', 'orders', true],
    [['sales.*'], undefined, 'sales', 'orders', true],
    [['sales.*'], undefined, 'salesx', 'orders', false],
    [['*.orders'], undefined, 'a', 'orders', true],
    [undefined, ['*.tmp_*'], 'a', 'tmp_1', false],
    [['sales.*'], ['sales.secret?'], 'sales', 'secret1', false],
    [['sales.*'], ['sales.secret?'], 'sales', 'secret12', true],
    [['a.b.c'], undefined, 'a', 'b.c', true],
    [['a.(x)'], undefined, 'a', '(x)', true],
    [['a.x+'], undefined, 'a', 'xx', false],
  ])('include %j exclude %j: %s.%s → %s', (include, exclude, schema, table, expected) => {
    expect(tableFilter(include, exclude)(schema, table)).toBe(expected);
  });

  it('names the schemas an include list is limited to, when it says them literally', () => {
    expect(literalSchemas(['sales.*', 'hr.people'])).toEqual(['sales', 'hr']);
    expect(literalSchemas(['sal*.x'])).toBeUndefined();
    expect(literalSchemas(undefined)).toBeUndefined();
  });
});

describe('source errors', () => {
  const ctx = { source: 'w', target: redactUrl('postgres://u:Pw-123456@db.internal:5432/x'), secrets: ['Pw-123456'] };
  it('redacts URLs and scrubs secrets', () => {
    expect(ctx.target).toBe('postgres://u:***@db.internal:5432/x');
    expect(redactUrl('mysql://u@h/x?password=abc')).toBe('mysql://u@h/x?password=***');
    expect(redactSecrets('failed for postgres://a:b@c/d with Pw-123456', ['Pw-123456'])).toBe('failed for postgres://a:***@c/d with ***');
  });

  it.each([
    [{ code: '28P01', message: 'password authentication failed for user "u"' }, 'permanent', 'bad_credentials'],
    [{ code: '3D000', message: 'database "x" does not exist' }, 'permanent', 'unknown_database'],
    [{ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, message: "Access denied for user 'u'" }, 'permanent', 'bad_credentials'],
    [{ code: 'ER_BAD_DB_ERROR', errno: 1049, message: "Unknown database 'x'" }, 'permanent', 'unknown_database'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.internal' }, 'permanent', 'bad_config'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'transient', 'unreachable'],
    [{ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' }, 'transient', 'timeout'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'transient', 'unavailable'],
    [{ message: 'Connection terminated unexpectedly' }, 'transient', 'connection_lost'],
    [{ code: 'PROTOCOL_CONNECTION_LOST', message: 'Connection lost: The server closed the connection.' }, 'transient', 'unreachable'],
  ])('classifies %j', (raw, kind, code) => {
    const e = classifySourceError(Object.assign(new Error(raw.message), raw), ctx);
    expect(e).toBeInstanceOf(kind === 'permanent' ? PermanentSourceError : TransientSourceError);
    expect(e.code).toBe(code);
    expect(e.message).toContain('postgres://u:***@db.internal:5432/x');
    expect(e.message).not.toContain('Pw-123456');
  });

  it('scrubs a password that a driver put into its message', () => {
    const e = classifySourceError(new Error('bad login with Pw-123456'), ctx);
    expect(e.message).not.toContain('Pw-123456');
  });
});
