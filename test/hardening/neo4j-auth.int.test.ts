/**
 * Issue 11 item 9: wrong-password paths on a real Neo4j with authentication on (`neo4jauth` in
 * scripts/services.sh). The right password works; a wrong one is a `BackendUnavailableError` naming the refusal,
 * without the password, shown at start in one line.
 */
import { Neo4jGraphStore } from '../../src/adapters/neo4j/neo4j-graph-store';
import { BackendUnavailableError } from '../../src/domain/errors';
import { describeStartupFailure } from '../../src/main/startup-failure';

const AUTH_URL = new URL(process.env.NEO4J_AUTH_URL ?? 'bolt://neo4j:nansen-neo4j-auth@127.0.0.1:7707');
const url = `bolt://${AUTH_URL.host}`;
const username = decodeURIComponent(AUTH_URL.username);
const password = decodeURIComponent(AUTH_URL.password);
const keyspace = `auth_${Math.random().toString(36).slice(2, 8)}`;

describe('Neo4j with authentication', () => {
  it('works with the right password', async () => {
    const store = new Neo4jGraphStore({ url, username, password, keyspace });
    try {
      await store.init();
      expect((await store.stats()).tables).toBe(0);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['a wrong password', { username, password: 'not-the-password' }],
    ['no credentials', {}],
  ])('%s is a BackendUnavailableError that says so, without the password', async (_name, creds) => {
    const store = new Neo4jGraphStore({ url, keyspace, ...creds });
    const err = await store.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    await store.close().catch(() => undefined);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/neo4j at bolt:\/\/127\.0\.0\.1:\d+ is unavailable: .*(unauthorized|authentication)/i);
    expect((err as Error).message).not.toContain('not-the-password');
    expect(describeStartupFailure(err).split('\n')).toHaveLength(1);
  });
});
