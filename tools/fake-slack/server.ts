/**
 * A fake Slack Web API on loopback, for tests and the Slack benchmark. It answers like Slack (`{ ok: true, ... }` or
 * `{ ok: false, error }`), records every call, and enforces what bounds the design: Block Kit limits, trigger ids
 * that expire after 3 s and work once, a response_url's 5 uses, chat.postMessage's ~1 message per second per channel
 * (429 with `Retry-After`), and Socket Mode: `apps.connections.open` returns a ws:// URL of its own WebSocket server,
 * which pushes envelopes and records their acknowledgements.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockProblems, LIMITS, viewProblems } from './limits';

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** How long a trigger id stays valid (Slack: 3 s). */
  triggerTtlMs?: number;
  /** chat.postMessage per channel: a token bucket; `false` turns rate limiting off. Default 1/s, burst 1. */
  postMessageRate?: { perSecond: number; burst: number } | false;
  /** Seconds sent in `Retry-After` (default: the time until the bucket has a token, rounded up). */
  retryAfterSeconds?: number;
  /** Delay added to every Web API answer, to model network latency. */
  latencyMs?: number;
  /** How often the WebSocket server pings its clients (Slack pings; clients expect it). */
  pingIntervalMs?: number;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** Epoch milliseconds when the call arrived. */
  at: number;
  token?: string;
  status: number;
  response: Record<string, unknown>;
}

export interface RecordedAck {
  envelopeId: string;
  type: string;
  payload: Record<string, unknown> | undefined;
  at: number;
  /** Milliseconds from sending the envelope to receiving its ack. */
  latencyMs: number;
}

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

interface PendingEnvelope {
  type: string;
  sentAt: number;
  resolve: (ack: RecordedAck) => void;
}

const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls']);

export class FakeSlack extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly acks: RecordedAck[] = [];
  readonly options: Required<Omit<FakeSlackOptions, 'retryAfterSeconds' | 'latencyMs'>> & Pick<FakeSlackOptions, 'retryAfterSeconds' | 'latencyMs'>;
  private server!: Server;
  private wss!: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly httpSockets = new Set<Socket>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly pending = new Map<string, PendingEnvelope>();
  private readonly views = new Map<string, Record<string, unknown>>();
  private pingTimer?: NodeJS.Timeout;
  private seq = 0;
  private port = 0;

  private constructor(options: FakeSlackOptions) {
    super();
    this.setMaxListeners(0);
    this.options = {
      botToken: options.botToken ?? 'xoxb-fake-bot-token',
      appToken: options.appToken ?? 'xapp-fake-app-token',
      botUserId: options.botUserId ?? 'U0NANSEN01',
      botId: options.botId ?? 'B0NANSEN01',
      teamId: options.teamId ?? 'T0FAKETEAM',
      triggerTtlMs: options.triggerTtlMs ?? 3000,
      postMessageRate: options.postMessageRate ?? { perSecond: 1, burst: 1 },
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      retryAfterSeconds: options.retryAfterSeconds,
      latencyMs: options.latencyMs,
    };
  }

  /** Starts the fake on 127.0.0.1 and a free port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    await fake.listen();
    return fake;
  }

  /** The Web API base URL to give a WebClient (`clientOptions.slackApiUrl`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    this.server.on('connection', (s) => {
      this.httpSockets.add(s);
      s.on('close', () => this.httpSockets.delete(s));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.pingTimer = setInterval(() => {
      for (const ws of this.sockets) ws.ping();
    }, this.options.pingIntervalMs);
    this.pingTimer.unref();
  }

  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    // A close handshake, as Slack does: a client waiting for its close frame would otherwise keep a timer alive.
    const closing = [...this.sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 1000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000, 'server closing');
        }),
    );
    await Promise.all(closing);
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const s of this.httpSockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ----- helpers for tests -----

  /** A fresh trigger id, valid for `triggerTtlMs` from now, usable once. */
  issueTriggerId(): string {
    const id = `${++this.seq}.${Date.now()}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false });
    return id;
  }

  /** A fresh response_url served by this fake (5 uses). */
  responseUrl(): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, 0);
    return `${this.baseUrl}/hooks/${id}`;
  }

  /** Makes a response_url answer as Slack does once its 30 minutes are over (404 `expired_url`). */
  expireResponseUrl(url: string): void {
    this.responseUrls.delete(url.split('/').pop() ?? '');
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (already recorded or coming) to `method` that matches. */
  waitForCall(method: string, match: (c: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    const found = this.calls.find((c) => c.method === method && match(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (c: RecordedCall): void => {
        if (c.method !== method || !match(c)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(new Error(`no ${method} call matched within ${timeoutMs} ms (calls: ${this.calls.map((c) => c.method).join(', ') || 'none'})`));
      }, timeoutMs);
      this.on('call', onCall);
    });
  }

  /** Resolves once at least one Socket Mode client is connected. */
  async waitForSocket(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.size === 0) {
      if (Date.now() > deadline) throw new Error('no Socket Mode client connected');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  get socketClients(): number {
    return this.sockets.size;
  }

  /**
   * Pushes a Socket Mode envelope to the connected client and resolves with its acknowledgement.
   * Events API envelopes may carry `retry_attempt` / `retry_reason`, as Slack's redeliveries do.
   */
  pushEnvelope(type: EnvelopeType, payload: Record<string, unknown>, extra: { retryAttempt?: number; retryReason?: string; timeoutMs?: number } = {}): Promise<RecordedAck> {
    const ws = [...this.sockets].pop();
    if (!ws) return Promise.reject(new Error('no Socket Mode client connected'));
    const envelopeId = randomBytes(12).toString('hex');
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
    };
    if (type === 'events_api') {
      envelope.retry_attempt = extra.retryAttempt ?? 0;
      envelope.retry_reason = extra.retryReason ?? '';
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`envelope ${envelopeId} (${type}) was not acknowledged within ${extra.timeoutMs ?? 3000} ms`));
      }, extra.timeoutMs ?? 3000);
      this.pending.set(envelopeId, {
        type,
        sentAt: performance.now(),
        resolve: (ack) => {
          clearTimeout(timer);
          resolve(ack);
        },
      });
      ws.send(JSON.stringify(envelope));
    });
  }

  /** Asks the connected clients to reconnect, as Slack does when it recycles a connection. */
  sendDisconnect(reason = 'refresh_requested'): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ type: 'disconnect', reason }));
  }

  // ----- Socket Mode -----

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      let msg: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        return;
      }
      if (!msg.envelope_id) return;
      const p = this.pending.get(msg.envelope_id);
      const ack: RecordedAck = {
        envelopeId: msg.envelope_id,
        type: p?.type ?? 'unknown',
        payload: msg.payload && Object.keys(msg.payload).length ? msg.payload : undefined,
        at: Date.now(),
        latencyMs: p ? performance.now() - p.sentAt : Number.NaN,
      };
      this.acks.push(ack);
      this.emit('ack', ack);
      if (p) {
        this.pending.delete(msg.envelope_id);
        p.resolve(ack);
      }
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.size, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0NANSEN01' } }));
  }

  // ----- HTTP -----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const raw = await readBody(req);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method === 'POST' && url.pathname.startsWith('/hooks/')) {
      this.handleResponseUrl(url.pathname.slice('/hooks/'.length), raw, at, res);
      return;
    }
    const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) {
      send(res, 404, { ok: false, error: 'not_found' });
      return;
    }
    const method = m[1]!;
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    delete args.token;
    const { status, body, headers } = this.dispatch(method, args, token);
    const call: RecordedCall = { method, args, at, ...(token ? { token } : {}), status, response: body };
    this.calls.push(call);
    send(res, status, body, headers);
    this.emit('call', call);
  }

  private handleResponseUrl(id: string, raw: string, at: number, res: ServerResponse): void {
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      args = { raw };
    }
    const uses = this.responseUrls.get(id);
    let status = 200;
    let body: Record<string, unknown> = { ok: true };
    if (uses === undefined) {
      status = 404;
      body = { ok: false, error: 'expired_url' };
    } else if (uses >= 5) {
      status = 404;
      body = { ok: false, error: 'used_url' };
    } else {
      this.responseUrls.set(id, uses + 1);
      if (args.blocks !== undefined) {
        const problems = blockProblems(args.blocks, LIMITS.messageBlocks, '/blocks');
        if (problems.length) {
          status = 400;
          body = { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
        }
      }
      if (status === 200 && args.blocks === undefined && typeof args.text !== 'string' && !args.delete_original) {
        status = 400;
        body = { ok: false, error: 'no_text' };
      }
    }
    const call: RecordedCall = { method: 'response_url', args: { ...args, url_id: id }, at, status, response: body };
    this.calls.push(call);
    send(res, status, body);
    this.emit('call', call);
  }

  private dispatch(method: string, args: Record<string, unknown>, token: string | undefined): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } {
    const ok = (extra: Record<string, unknown> = {}): { status: number; body: Record<string, unknown> } => ({ status: 200, body: { ok: true, ...extra } });
    const fail = (error: string, extra: Record<string, unknown> = {}): { status: number; body: Record<string, unknown> } => ({ status: 200, body: { ok: false, error, ...extra } });
    if (!token) return fail('not_authed');
    if (method === 'apps.connections.open') {
      if (token.startsWith('xoxb-')) return fail('not_allowed_token_type');
      if (token !== this.options.appToken) return fail('invalid_auth');
      return ok({ url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomBytes(8).toString('hex')}` });
    }
    if (token.startsWith('xapp-')) return fail('not_allowed_token_type');
    if (token !== this.options.botToken) return fail('invalid_auth');
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://fake.slack.test/', team: 'Fake Team', user: 'nansen', team_id: this.options.teamId, user_id: this.options.botUserId, bot_id: this.options.botId, is_enterprise_install: false });
      case 'chat.postMessage': {
        const invalid = this.checkMessage(args);
        if (invalid) return invalid;
        const channel = String(args.channel);
        const limited = this.takeToken(channel);
        if (limited !== undefined) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'Retry-After': String(limited) } };
        const ts = this.nextTs();
        return ok({ channel, ts, message: { type: 'message', user: this.options.botUserId, bot_id: this.options.botId, text: args.text ?? '', ts, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) } });
      }
      case 'chat.postEphemeral': {
        const invalid = this.checkMessage(args);
        if (invalid) return invalid;
        if (typeof args.user !== 'string') return fail('user_not_in_channel');
        return ok({ message_ts: this.nextTs() });
      }
      case 'chat.update': {
        if (typeof args.ts !== 'string') return fail('message_not_found');
        const invalid = this.checkMessage(args);
        if (invalid) return invalid;
        return ok({ channel: args.channel, ts: args.ts, text: args.text ?? '' });
      }
      case 'chat.delete':
        if (typeof args.channel !== 'string' || typeof args.ts !== 'string') return fail('message_not_found');
        return ok({ channel: args.channel, ts: args.ts });
      case 'conversations.open': {
        const users = typeof args.users === 'string' ? args.users : '';
        if (!users) return fail('users_list_not_supplied');
        return ok({ channel: { id: `D${users.split(',')[0]!.slice(1)}` } });
      }
      case 'users.info':
        if (typeof args.user !== 'string') return fail('user_not_found');
        return ok({ user: { id: args.user, name: args.user.toLowerCase(), real_name: args.user } });
      case 'views.open':
      case 'views.push': {
        const trigger = this.useTrigger(args.trigger_id);
        if (trigger) return fail(trigger);
        const invalid = this.checkView(args.view);
        if (invalid) return invalid;
        return ok({ view: this.storeView(args.view as Record<string, unknown>) });
      }
      case 'views.update': {
        const id = typeof args.view_id === 'string' ? args.view_id : undefined;
        const existing = id ? this.views.get(id) : undefined;
        if (!existing) return fail('not_found');
        if (typeof args.hash === 'string' && args.hash !== existing.hash) return fail('hash_conflict');
        const invalid = this.checkView(args.view);
        if (invalid) return invalid;
        return ok({ view: this.storeView(args.view as Record<string, unknown>, id) });
      }
      case 'views.publish': {
        if (typeof args.user_id !== 'string') return fail('invalid_arguments');
        const invalid = this.checkView(args.view);
        if (invalid) return invalid;
        if ((args.view as Record<string, unknown>).type !== 'home') return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] must be home [json-pointer:/view/type]'] } });
        return ok({ view: this.storeView(args.view as Record<string, unknown>) });
      }
      default:
        return fail('unknown_method');
    }
  }

  private checkMessage(args: Record<string, unknown>): { status: number; body: Record<string, unknown> } | undefined {
    if (typeof args.channel !== 'string' || !args.channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
    if (args.blocks === undefined && (typeof args.text !== 'string' || !args.text) && args.attachments === undefined) return { status: 200, body: { ok: false, error: 'no_text' } };
    if (typeof args.text === 'string' && args.text.length > LIMITS.messageText) return { status: 200, body: { ok: false, error: 'msg_too_long' } };
    if (args.blocks !== undefined) {
      const problems = blockProblems(args.blocks, LIMITS.messageBlocks, '/blocks');
      if (problems.length) return { status: 200, body: { ok: false, error: 'invalid_blocks', errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } } };
    }
    return undefined;
  }

  private checkView(view: unknown): { status: number; body: Record<string, unknown> } | undefined {
    const { problems, tooLarge } = viewProblems(view);
    if (tooLarge) return { status: 200, body: { ok: false, error: 'view_too_large' } };
    if (problems.length) return { status: 200, body: { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } } };
    return undefined;
  }

  private useTrigger(triggerId: unknown): string | undefined {
    if (typeof triggerId !== 'string' || !triggerId) return 'invalid_trigger_id';
    let t = this.triggers.get(triggerId);
    if (!t) {
      // Trigger ids made outside this fake carry their issue time in the second part, like the fake's own.
      const issuedAt = Number(triggerId.split('.')[1]);
      if (!Number.isFinite(issuedAt) || issuedAt < 1e12) return 'invalid_trigger_id';
      t = { issuedAt, used: false };
      this.triggers.set(triggerId, t);
    }
    if (Date.now() - t.issuedAt > this.options.triggerTtlMs) return 'expired_trigger_id';
    if (t.used) return 'trigger_exchanged';
    t.used = true;
    return undefined;
  }

  private storeView(view: Record<string, unknown>, id = `V${randomBytes(5).toString('hex').toUpperCase()}`): Record<string, unknown> {
    const stored = { ...view, id, team_id: this.options.teamId, hash: `${Date.now()}.${randomBytes(4).toString('hex')}`, state: { values: {} }, app_id: 'A0NANSEN01', bot_id: this.options.botId };
    this.views.set(id, stored);
    return stored;
  }

  /** Takes a token from the channel's bucket; returns the Retry-After seconds when there is none. */
  private takeToken(channel: string): number | undefined {
    const rate = this.options.postMessageRate;
    if (rate === false) return undefined;
    const now = performance.now();
    const b = this.buckets.get(channel) ?? { tokens: rate.burst, updatedAt: now };
    b.tokens = Math.min(rate.burst, b.tokens + ((now - b.updatedAt) / 1000) * rate.perSecond);
    b.updatedAt = now;
    this.buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return this.options.retryAfterSeconds ?? Math.max(1, Math.ceil((1 - b.tokens) / rate.perSecond));
  }

  private nextTs(): string {
    const seq = ++this.seq;
    return `${Math.floor(Date.now() / 1000)}.${String(seq % 1_000_000).padStart(6, '0')}`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Web API arguments as WebClient sends them (form-encoded, JSON-valued fields as JSON text) or as JSON. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value === undefined) continue;
    if (JSON_ARGS.has(k)) {
      try {
        out[k] = JSON.parse(value);
        continue;
      } catch {
        out[k] = value;
        continue;
      }
    }
    out[k] = value;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
