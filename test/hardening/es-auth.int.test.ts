/**
 * Issue 11 item 9: wrong-password paths on a real Elasticsearch with security on (`esauth` in
 * scripts/services.sh: the same distribution with x-pack security, a file-realm user, since the integ-test-zip
 * cannot hold a native realm). The right credentials work; a wrong password is a `BackendUnavailableError` that
 * says 401 and never shows the password.
 */
import { Client } from '@elastic/elasticsearch';
import { ElasticsearchSearchIndex } from '../../src/adapters/elasticsearch/elasticsearch-search-index';
import { ElasticsearchVectorIndex } from '../../src/adapters/elasticsearch/elasticsearch-vector-index';
import { BackendUnavailableError } from '../../src/domain/errors';
import { describeStartupFailure } from '../../src/main/startup-failure';

const URL_WITH_AUTH = process.env.ELASTICSEARCH_AUTH_URL ?? 'http://nansen:nansen-es-auth@127.0.0.1:9219';
const prefix = `nansen-auth-${Math.random().toString(36).slice(2, 8)}`;

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString().replace(/\/$/, '');
}

describe('Elasticsearch with authentication', () => {
  afterAll(async () => {
    const admin = new Client({ node: URL_WITH_AUTH });
    await admin.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await admin.close();
  });

  it('works with the right user and password', async () => {
    const index = new ElasticsearchSearchIndex({ node: URL_WITH_AUTH, indexPrefix: prefix });
    try {
      await index.init();
      expect(await index.search({ clauses: [{ term: 'x', boost: 1 }], limit: 1 })).toEqual([]);
    } finally {
      await index.close();
    }
  });

  it.each([
    ['search index', (node: string) => new ElasticsearchSearchIndex({ node, indexPrefix: prefix })],
    ['vector index', (node: string) => new ElasticsearchVectorIndex({ node, indexPrefix: prefix })],
  ])('%s: a wrong password is a BackendUnavailableError saying 401, without the password', async (_name, make) => {
    const index = make(withPassword(URL_WITH_AUTH, 'not-the-password'));
    try {
      const err = await index.init().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BackendUnavailableError);
      expect(String((err as Error).message)).toMatch(/401 Unauthorized: Elasticsearch refused the user name or password/);
      expect(String((err as Error).message)).not.toContain('not-the-password');
      expect(describeStartupFailure(err)).not.toMatch(/\n\s+at /);
    } finally {
      await index.close();
    }
  });
});
