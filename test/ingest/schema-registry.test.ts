import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRegistryUrl, RegistryUnavailableError, SchemaRegistryClient, SubjectError, valueSubject } from '../../ingest/connectors/schema-registry';

describe('schema registry URLs', () => {
  it.each([
    ['http://127.0.0.1:8092/apis/ccompat/v7', { baseUrl: 'http://127.0.0.1:8092/apis/ccompat/v7' }],
    ['https://reg.example/', { baseUrl: 'https://reg.example' }],
    ['https://key:s%40cret@reg.example:8081', { baseUrl: 'https://reg.example:8081', auth: { username: 'key', password: 's@cret' } }],
  ])('%s parses', (url, want) => expect(parseRegistryUrl(url)).toEqual(want));

  it.each([
    ['reg.example:8081', /http/],
    ['ftp://reg.example', /http:\/\/ or https:\/\//],
    ['http://reg.example/?x=1', /query/],
  ])('%s is refused', (url, why) => expect((parseRegistryUrl(url) as { error: string }).error).toMatch(why));

  it('topics map to subjects by TopicNameStrategy', () => expect(valueSubject('game.events')).toBe('game.events-value'));
});

describe('SchemaRegistryClient against a stub server', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ url?: string; auth?: string }> = [];
  let reply: (url: string) => { status: number; body: string } | 'hang';

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      const r = reply(req.url ?? '');
      if (r === 'hang') return; // never answers
      res.writeHead(r.status, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(r.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ccompat`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads the latest version, with basic auth from the URL and the subject escaped', async () => {
    reply = () => ({ status: 200, body: JSON.stringify({ subject: 'a/b-value', version: 3, id: 7, schema: '"string"' }) });
    const client = new SchemaRegistryClient(parseRegistryUrl(`${base.replace('http://', 'http://u:p@')}`) as never);
    expect(await client.latest('a/b-value')).toEqual({ subject: 'a/b-value', version: 3, id: 7, schema: '"string"' });
    expect(seen.at(-1)).toEqual({ url: '/ccompat/subjects/a%2Fb-value/versions/latest', auth: `Basic ${Buffer.from('u:p').toString('base64')}` });
  });

  it('404 is no schema; 401 and 5xx make the registry unavailable; other statuses and bodies are one subject\'s error', async () => {
    const client = new SchemaRegistryClient({ baseUrl: base });
    reply = () => ({ status: 404, body: '{"error_code":40401,"message":"Subject not found"}' });
    expect(await client.latest('x-value')).toBeUndefined();
    reply = () => ({ status: 401, body: '{}' });
    await expect(client.latest('x-value')).rejects.toMatchObject({ name: 'RegistryUnavailableError', reason: 'auth' });
    reply = () => ({ status: 503, body: 'down for maintenance' });
    const down = await client.latest('x-value').catch((e: unknown) => e);
    expect(down).toMatchObject({ reason: 'server' });
    expect((down as Error).message).toContain('(HTTP 503): down for maintenance');
    reply = () => ({ status: 422, body: '{}' });
    await expect(client.latest('x-value')).rejects.toBeInstanceOf(SubjectError);
    reply = () => ({ status: 200, body: '{"version":1}' });
    await expect(client.latest('x-value')).rejects.toThrow(/lacks schema, id or version/);
  });

  it('a registry that never answers times out as unavailable', async () => {
    reply = () => 'hang';
    const t0 = Date.now();
    const err = await new SchemaRegistryClient({ baseUrl: base }, 300).latest('x-value').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect((err as RegistryUnavailableError).reason).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
