import { UnrecoverableError } from 'bullmq';
import { PermanentSourceError, TransientSourceError } from '../../ingest/errors';
import { UserError, BackendUnavailableError } from '../../src/domain/errors';
import { classifyCrawlError, safeErrorMessage, SourceLockLostError } from '../../workers/errors';
import { redactSecrets } from '../../src/log/redact';

const withCode = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

describe('classifyCrawlError', () => {
  it.each<[string, unknown, string]>([
    ['the pipeline permanent error', new PermanentSourceError('w', 'bad_credentials', 'auth failed'), 'permanent'],
    ['the pipeline transient error', new TransientSourceError('w', 'unreachable', 'refused'), 'transient'],
    ['UnrecoverableError', new UnrecoverableError('no'), 'permanent'],
    ['a UserError (bad config)', new UserError('bad_sources', 'bad file'), 'permanent'],
    ['pg invalid password', withCode('28P01'), 'permanent'],
    ['pg unknown database', withCode('3D000'), 'permanent'],
    ['mysql access denied', withCode('ER_ACCESS_DENIED_ERROR'), 'permanent'],
    ['missing dbt target', withCode('ENOENT'), 'permanent'],
    ['neo4j bad credentials', withCode('Neo.ClientError.Security.Unauthorized'), 'permanent'],
    ['connection refused', withCode('ECONNREFUSED'), 'transient'],
    ['a store down', new BackendUnavailableError('neo4j', 'bolt://x', new Error('refused')), 'transient'],
    ['an unknown error', new Error('???'), 'transient'],
    ['a string', 'weird', 'transient'],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'aborted'],
    ['a lost lock', new SourceLockLostError('w'), 'transient'],
    ['a permanent cause under a wrapper', new Error('crawl failed', { cause: withCode('28P01') }), 'permanent'],
    ['a duck-typed non-retryable error', Object.assign(new Error('x'), { retryable: false }), 'permanent'],
  ])('%s', (_what, err, kind) => {
    expect(classifyCrawlError(err)).toBe(kind);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['connect postgres://crawler:s3cr3t@db:5432/wh failed', 'connect postgres://crawler:***@db:5432/wh failed'],
    ['mysql://root:p%40ss@127.0.0.1/x', 'mysql://root:***@127.0.0.1/x'],
    ['password=hunter2 host=db', 'password=*** host=db'],
    ['no secrets here', 'no secrets here'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
    expect(safeErrorMessage(new Error(input))).toBe(expected);
  });
});
