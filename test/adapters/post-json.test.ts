import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { postJson } from '../../src/adapters/http/post-json';

async function listen<T extends Server | TcpServer>(server: T): Promise<URL> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/embeddings`);
}

async function close(server: Server | TcpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('postJson', () => {
  let server: Server;
  let url: URL;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => handler(req, res, body));
    });
    url = await listen(server);
  });
  afterAll(() => close(server));

  it('sends the body with its type and length and the extra headers, and reads the whole answer', async () => {
    handler = (req, res, body) => res.end(JSON.stringify({ type: req.headers['content-type'], length: req.headers['content-length'], auth: req.headers.authorization, body }));
    const answer = await postJson(url, '{"input":["미터"]}', { headers: { authorization: 'Bearer k' } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ type: 'application/json', length: String(Buffer.byteLength('{"input":["미터"]}')), auth: 'Bearer k', body: '{"input":["미터"]}' });
  });

  it('sends consecutive calls over one kept-alive connection', async () => {
    handler = (req, res) => res.end(String(req.socket.remotePort));
    const first = await postJson(url, '{}');
    const second = await postJson(url, '{}');
    expect(second.text).toBe(first.text);
  });

  it('says when the request has left, before the answer', async () => {
    const events: string[] = [];
    handler = (_req, res) => {
      events.push('read');
      setTimeout(() => res.end('{}'), 20).unref();
    };
    await postJson(url, '{}', { onSent: () => events.push('sent') }).then(() => events.push('answered'));
    expect(events).toEqual(['sent', 'read', 'answered']);
  });

  it('passes on an error status with its body', async () => {
    handler = (_req, res) => {
      res.statusCode = 503;
      res.end('busy');
    };
    expect(await postJson(url, '{}')).toEqual({ status: 503, text: 'busy' });
  });

  it('fails an answer longer than the limit', async () => {
    handler = (_req, res) => res.end('x'.repeat(10_000));
    await expect(postJson(url, '{}', { maxBytes: 1000 })).rejects.toThrow(/over 1000 bytes/);
  });

  it('fails when the server hangs up in the middle of the answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"data":');
      setTimeout(() => res.socket?.destroy(), 10).unref();
    };
    await expect(postJson(url, '{}')).rejects.toThrow();
  });

  it('stops at the signal, while the answer is awaited', async () => {
    handler = (_req, res) => setTimeout(() => !res.destroyed && res.end('{}'), 2000).unref();
    const t0 = Date.now();
    await expect(postJson(url, '{}', { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses a protocol other than http and https', async () => {
    await expect(postJson(new URL('ftp://127.0.0.1/x'), '{}')).rejects.toThrow(/unsupported protocol ftp:/);
  });
});

describe('postJson on the wire', () => {
  let tcp: TcpServer;
  let url: URL;
  const firstReads: string[] = [];

  beforeAll(async () => {
    tcp = createTcpServer((socket: Socket) => {
      let first = true;
      socket.on('data', (chunk) => {
        if (first) firstReads.push(chunk.toString('utf8'));
        first = false;
        if (chunk.toString('utf8').includes('"end":true')) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}');
      });
    });
    url = await listen(tcp);
  });
  afterAll(() => close(tcp));

  it('writes the headers and the body at once, so neither waits for an acknowledgement of the other', async () => {
    await postJson(url, '{"input":["which table has latency by country?"],"end":true}');
    expect(firstReads).toHaveLength(1);
    expect(firstReads[0]).toMatch(/^POST \/v1\/embeddings HTTP\/1\.1\r\n[\s\S]*\r\n\r\n\{"input":\["which table has latency by country\?"\],"end":true\}$/);
  });
});
