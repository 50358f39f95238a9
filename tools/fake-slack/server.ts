/**
 * A fake Slack Web API on loopback, for tests and the Slack benchmark. It answers like Slack (`{ ok: true, ... }` or
 * `{ ok: false, error }`), records every call, and enforces what bounds the design: Block Kit limits, trigger ids
 * that expire after 3 s and work once, a response_url's 5 uses, chat.postMessage's ~1 message per second per channel
 * (429 with `Retry-After`), and Socket Mode: `apps.connections.open` returns a ws:// URL of its own WebSocket server,
 * which pushes envelopes and records their acknowledgements.
 *
 * Channels behave as in Slack: posting where the app is not a member answers `not_in_channel` (a private channel
 * it is not in, or a deleted one, `channel_not_found`), an archived channel `is_archived`. A channel id the test
 * never declared (`addChannel`) is a public channel the app is in, so tests that do not care need not set one up.
 * Accepted messages go into the channel's history (`conversations.history`, with metadata on request); the file
 * upload flow (`files.getUploadURLExternal`, a POST of the bytes to the returned loopback URL,
 * `files.completeUploadExternal`) and `chat.unfurl` (for links announced with `shareLinks`) answer with Slack's
 * documented errors. A scope taken away with `revokeScope` makes the methods that need it answer `missing_scope`.
 * People are declared with `addUser`: `users.info` answers `user_not_found` for anyone else,
 * `missing_scope` without `users:read`, and leaves out `profile.email` without `users:read.email` (`scopes`).
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
  /**
   * The bot token's scopes, where the fake checks them (`users.info`: `missing_scope` without `users:read`, no
   * `profile.email` without `users:read.email`). Default: every scope granted.
   */
  scopes?: string[];
}

/** A person (or bot) in the fake workspace, as `users.info` shows them. */
export interface FakeUser {
  id: string;
  /** The handle (`jiwoo.kim`). */
  name: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
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

/** A channel as the fake knows it. */
export interface FakeChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** Whether the app's bot user is a member. */
  isMember: boolean;
}

/** A message in a channel's history. */
export interface FakeMessage {
  type: 'message';
  ts: string;
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown;
  metadata?: unknown;
  files?: Array<{ id: string; name: string; title?: string }>;
}

/** A file uploaded through the external upload flow. */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  bytes?: Buffer;
  completed: boolean;
}

interface PendingEnvelope {
  type: string;
  sentAt: number;
  resolve: (ack: RecordedAck) => void;
}

const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'files']);
/** The bot scope each Web API method needs (those the app uses); a revoked one answers `missing_scope`. */
const METHOD_SCOPES: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'conversations.history': 'channels:history',
  'conversations.info': 'channels:read',
  'conversations.join': 'channels:join',
  'chat.unfurl': 'links:write',
  'users.info': 'users:read',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
};
/** The bot scopes the fake grants until a test revokes one (manifest.yml's). */
const GRANTED_SCOPES = ['app_mentions:read', 'channels:history', 'channels:join', 'channels:read', 'chat:write', 'commands', 'files:write', 'groups:history', 'groups:read', 'im:history', 'im:write', 'links:read', 'links:write', 'users:read', 'users:read.email'];
/** Slack's largest upload: 1 GB. */
const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export class FakeSlack extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly acks: RecordedAck[] = [];
  readonly options: Required<Omit<FakeSlackOptions, 'retryAfterSeconds' | 'latencyMs' | 'scopes'>> & Pick<FakeSlackOptions, 'retryAfterSeconds' | 'latencyMs' | 'scopes'>;
  private server!: Server;
  private wss!: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly httpSockets = new Set<Socket>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly pending = new Map<string, PendingEnvelope>();
  private readonly views = new Map<string, Record<string, unknown>>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly deleted = new Set<string>();
  private readonly histories = new Map<string, FakeMessage[]>();
  private readonly files = new Map<string, FakeFile>();
  private readonly links = new Map<string, Set<string>>();
  private readonly revokedScopes = new Set<string>();
  private readonly users = new Map<string, FakeUser>();
  private readonly userLocales = new Map<string, string>();
  /** Unfurls accepted by `chat.unfurl`, by `channel|ts`, then URL. */
  readonly unfurls = new Map<string, Record<string, unknown>>();
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
      scopes: options.scopes,
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

  /** Declares a channel (default: public, not archived, the app a member). */
  /** The locale `users.info` reports for a person with `include_locale` (`ko-KR`); undefined: none. */
  setUserLocale(user: string, locale: string | undefined): void {
    if (!this.users.has(user)) this.addUser({ id: user, name: user.toLowerCase() });
    if (locale) this.userLocales.set(user, locale);
    else this.userLocales.delete(user);
  }

  addChannel(channel: Partial<FakeChannel> & { id: string }): FakeChannel {
    const c: FakeChannel = { name: channel.id.toLowerCase(), isPrivate: channel.id.startsWith('G'), isArchived: false, isMember: true, ...channel };
    this.channels.set(c.id, c);
    this.deleted.delete(c.id);
    return c;
  }

  /** Archives a channel, as a person does in Slack. */
  archiveChannel(id: string): void {
    this.channelOf(id)!.isArchived = true;
  }

  /** Removes the app from a channel (`/kick @Nansen`). */
  removeApp(id: string): void {
    this.channelOf(id)!.isMember = false;
  }

  /**
   * Takes a scope away from the bot token, as an app installed without it: methods that need it answer
   * `missing_scope` with `needed` and `provided`, as Slack does.
   */
  revokeScope(scope: string): void {
    this.revokedScopes.add(scope);
  }

  /** Gives a revoked scope back. */
  grantScope(scope: string): void {
    this.revokedScopes.delete(scope);
  }

  /** Deletes a channel. */
  deleteChannel(id: string): void {
    this.channels.delete(id);
    this.deleted.add(id);
  }

  /** Adds a person to the workspace (`users.info` answers `user_not_found` for anyone not added). */
  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  channel(id: string): FakeChannel | undefined {
    return this.channelOf(id);
  }

  /** A channel's messages, oldest first. */
  history(channel: string): FakeMessage[] {
    return [...(this.histories.get(channel) ?? [])];
  }

  /** A file uploaded through the external flow. */
  file(id: string): FakeFile | undefined {
    return this.files.get(id);
  }

  /**
   * Puts a person's message with links into a channel (what Slack does before it sends `link_shared`), so
   * `chat.unfurl` accepts those links for that message. Returns the message's ts.
   */
  shareLinks(channel: string, urls: string[], user = 'U0ALICE001'): string {
    const ts = this.nextTs();
    this.appendHistory(channel, { type: 'message', ts, user, text: urls.map((u) => `<${u}>`).join(' ') });
    this.links.set(`${channel}|${ts}`, new Set(urls));
    return ts;
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
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) {
      this.handleUpload(url.pathname.slice('/upload/'.length), uploadedBytes(bytes, req.headers['content-type']), at, res);
      return;
    }
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

  /**
   * The upload POST of the external upload flow: the bytes of one file, to the URL `getUploadURLExternal` gave, raw
   * or as the file part of a multipart form (what WebClient's `filesUploadV2` sends).
   */
  private handleUpload(id: string, bytes: Buffer, at: number, res: ServerResponse): void {
    const file = this.files.get(id);
    let status = 200;
    if (!file || file.completed) status = 404;
    else if (bytes.length !== file.length) status = 400;
    else file.bytes = bytes;
    const call: RecordedCall = { method: 'files.upload_external', args: { file_id: id, bytes: bytes.length }, at, status, response: { ok: status === 200 } };
    this.calls.push(call);
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status === 200 ? `OK - ${bytes.length}` : 'upload refused');
    this.emit('call', call);
  }

  private channelOf(id: string): FakeChannel | undefined {
    if (this.deleted.has(id)) return undefined;
    let c = this.channels.get(id);
    if (!c && /^[CG]/.test(id)) c = this.addChannel({ id });
    return c;
  }

  /** Why the app cannot post in `channel` (undefined: it can). User and DM ids are direct messages. */
  private postRefusal(channel: string): string | undefined {
    if (/^[UWD]/.test(channel)) return undefined;
    const c = this.channelOf(channel);
    if (!c) return 'channel_not_found';
    if (c.isArchived) return 'is_archived';
    if (!c.isMember) return c.isPrivate ? 'channel_not_found' : 'not_in_channel';
    return undefined;
  }

  private appendHistory(channel: string, message: FakeMessage): void {
    const list = this.histories.get(channel) ?? [];
    list.push(message);
    this.histories.set(channel, list);
  }

  private hasScope(scope: string): boolean {
    return !this.revokedScopes.has(scope) && (this.options.scopes === undefined || this.options.scopes.includes(scope));
  }

  /** A user as `users.info` shows them: the email only with `users:read.email`, and never a bot's. */
  private userJson(u: FakeUser): Record<string, unknown> {
    const realName = u.realName ?? u.name;
    const email = u.email && !u.isBot && this.hasScope('users:read.email') ? { email: u.email } : {};
    return {
      id: u.id,
      team_id: this.options.teamId,
      name: u.name,
      deleted: u.deleted ?? false,
      real_name: realName,
      tz: 'Asia/Seoul',
      is_bot: u.isBot ?? false,
      is_app_user: false,
      profile: { real_name: realName, display_name: u.displayName ?? '', ...email, team: this.options.teamId },
    };
  }

  private channelJson(c: FakeChannel): Record<string, unknown> {
    return { id: c.id, name: c.name, is_channel: !c.isPrivate, is_group: c.isPrivate, is_im: false, is_private: c.isPrivate, is_archived: c.isArchived, is_member: c.isMember };
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
    const needed = METHOD_SCOPES[method];
    if (needed && this.revokedScopes.has(needed)) return fail('missing_scope', { needed, provided: GRANTED_SCOPES.filter((s) => !this.revokedScopes.has(s)).join(',') });
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://fake.slack.test/', team: 'Fake Team', user: 'nansen', team_id: this.options.teamId, user_id: this.options.botUserId, bot_id: this.options.botId, is_enterprise_install: false });
      case 'chat.postMessage': {
        const invalid = this.checkMessage(args);
        if (invalid) return invalid;
        const channel = String(args.channel);
        const refused = this.postRefusal(channel);
        if (refused) return fail(refused);
        const limited = this.takeToken(channel);
        if (limited !== undefined) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'Retry-After': String(limited) } };
        const ts = this.nextTs();
        this.appendHistory(channel, { type: 'message', ts, user: this.options.botUserId, bot_id: this.options.botId, text: String(args.text ?? ''), ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}), ...(args.blocks ? { blocks: args.blocks } : {}), ...(args.metadata ? { metadata: args.metadata } : {}) });
        return ok({ channel, ts, message: { type: 'message', user: this.options.botUserId, bot_id: this.options.botId, text: args.text ?? '', ts, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) } });
      }
      case 'chat.postEphemeral': {
        const invalid = this.checkMessage(args);
        if (invalid) return invalid;
        if (typeof args.user !== 'string') return fail('user_not_in_channel');
        const refused = this.postRefusal(String(args.channel));
        if (refused) return fail(refused);
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
      case 'conversations.info': {
        const id = typeof args.channel === 'string' ? args.channel : '';
        if (/^D/.test(id)) return ok({ channel: { id, is_im: true, is_member: true, is_archived: false } });
        const c = this.channelOf(id);
        if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
        return ok({ channel: this.channelJson(c) });
      }
      case 'conversations.join': {
        const c = this.channelOf(typeof args.channel === 'string' ? args.channel : '');
        if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
        if (c.isPrivate) return fail('method_not_supported_for_channel_type');
        if (c.isArchived) return fail('is_archived');
        const already = c.isMember;
        c.isMember = true;
        return ok({ channel: this.channelJson(c), ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}) });
      }
      case 'conversations.history': {
        const id = typeof args.channel === 'string' ? args.channel : '';
        if (!/^[UWD]/.test(id)) {
          const c = this.channelOf(id);
          if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
          if (!c.isMember) return fail('not_in_channel');
        }
        const oldest = Number(args.oldest ?? 0);
        const latest = args.latest === undefined ? Infinity : Number(args.latest);
        const limit = Math.min(999, Math.max(1, Number(args.limit ?? 100) || 100));
        const offset = Number(typeof args.cursor === 'string' ? Buffer.from(args.cursor, 'base64').toString() : 0) || 0;
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
        const newestFirst = (this.histories.get(id) ?? []).filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest).reverse();
        const page = newestFirst.slice(offset, offset + limit).map((m) => {
          const { metadata, ...rest } = m;
          return withMetadata && metadata ? { ...rest, metadata } : rest;
        });
        const hasMore = offset + limit < newestFirst.length;
        return ok({ messages: page, has_more: hasMore, response_metadata: { next_cursor: hasMore ? Buffer.from(String(offset + limit)).toString('base64') : '' } });
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (typeof args.filename !== 'string' || !args.filename || args.length === undefined) return fail('invalid_arguments');
        if (!Number.isInteger(length) || length <= 0) return fail('missing_argument');
        if (length > MAX_UPLOAD_BYTES) return fail('file_upload_size_restricted');
        const altText = typeof args.alt_text === 'string' ? args.alt_text : typeof args.alt_txt === 'string' ? args.alt_txt : undefined;
        if (altText && altText.length > 1000) return fail('alt_txt_too_large');
        const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
        this.files.set(id, { id, filename: args.filename, length, ...(altText ? { altText } : {}), completed: false });
        return ok({ upload_url: `${this.baseUrl}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const list = Array.isArray(args.files) ? (args.files as Array<{ id?: unknown; title?: unknown }>) : undefined;
        if (!list?.length) return fail('invalid_arguments');
        const found = list.map((f) => this.files.get(String(f.id)));
        if (found.some((f) => !f || f.completed)) return fail('file_not_found');
        if (found.some((f) => !f!.bytes)) return fail('file_not_found');
        const channel = typeof args.channel_id === 'string' ? args.channel_id : typeof args.channels === 'string' ? args.channels : undefined;
        if (channel) {
          const refused = this.postRefusal(channel);
          if (refused === 'channel_not_found') return fail('invalid_channel');
          if (refused) return fail(refused);
          if (args.blocks !== undefined) {
            const problems = blockProblems(args.blocks, LIMITS.messageBlocks, '/blocks');
            if (problems.length) return fail('invalid_blocks', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
          }
        }
        const files = found.map((f, i) => ({ id: f!.id, name: f!.filename, title: typeof list[i]!.title === 'string' ? String(list[i]!.title) : f!.filename }));
        for (const f of found) f!.completed = true;
        if (channel) {
          this.appendHistory(channel, { type: 'message', ts: this.nextTs(), user: this.options.botUserId, bot_id: this.options.botId, text: typeof args.initial_comment === 'string' ? args.initial_comment : '', ...(args.blocks ? { blocks: args.blocks } : {}), ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}), files });
        }
        return ok({ files });
      }
      case 'chat.unfurl': {
        if (args.unfurl_id === undefined && typeof args.channel !== 'string') return fail('missing_channel');
        if (args.unfurl_id === undefined && typeof args.ts !== 'string') return fail('missing_ts');
        if (args.unfurls === undefined) return fail('missing_unfurls');
        if (!args.unfurls || typeof args.unfurls !== 'object' || Array.isArray(args.unfurls)) return fail('invalid_unfurls_format');
        const channel = String(args.channel);
        if (!this.channelOf(channel) && !/^[D]/.test(channel)) return fail('cannot_find_channel');
        const shared = this.links.get(`${channel}|${String(args.ts)}`);
        if (!shared) return fail('cannot_find_message');
        const unfurls = args.unfurls as Record<string, unknown>;
        for (const [url, unfurl] of Object.entries(unfurls)) {
          if (!shared.has(url)) return fail('cannot_unfurl_message');
          const blocks = (unfurl as { blocks?: unknown } | null)?.blocks;
          if (!unfurl || typeof unfurl !== 'object' || (blocks === undefined && (unfurl as { text?: unknown }).text === undefined)) return fail('cannot_parse_attachment');
          if (blocks !== undefined) {
            const problems = blockProblems(blocks, LIMITS.messageBlocks, `/unfurls/${url}/blocks`);
            if (problems.length) return fail('invalid_blocks', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
          }
        }
        this.unfurls.set(`${channel}|${String(args.ts)}`, { ...(this.unfurls.get(`${channel}|${String(args.ts)}`) ?? {}), ...unfurls });
        return ok();
      }
      case 'users.info': {
        if (!this.hasScope('users:read')) return fail('missing_scope', { needed: 'users:read', provided: (this.options.scopes ?? []).join(',') });
        const u = typeof args.user === 'string' ? this.users.get(args.user) : undefined;
        if (!u) return fail('user_not_found');
        // Slack adds the person's locale only when asked (`include_locale`); here only for users given one
        const locale = args.include_locale === true || args.include_locale === 'true' ? this.userLocales.get(u.id) : undefined;
        return ok({ user: { ...this.userJson(u), ...(locale ? { locale } : {}) } });
      }
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

/** The file's bytes of an upload POST: the body, or the first file part of a `multipart/form-data` body. */
function uploadedBytes(body: Buffer, contentType: string | undefined): Buffer {
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) return body;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const headersEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (headersEnd < 0 || next < 0) break;
    const headers = body.subarray(at + delimiter.length, headersEnd).toString('utf8');
    if (/filename=/i.test(headers)) return body.subarray(headersEnd + 4, next - 2);
    at = next;
  }
  return Buffer.alloc(0);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
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
