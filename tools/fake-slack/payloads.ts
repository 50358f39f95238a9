/**
 * Payloads shaped like the ones Slack delivers (slash commands, Events API callbacks, block actions, view
 * submissions), and a client that sends them to a Bolt app over HTTP, signed as Slack signs them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';

export const TEAM_ID = 'T0FAKETEAM';
export const API_APP_ID = 'A0NANSEN01';

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`: Slack's request signature. */
export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommandInput {
  text: string;
  userId?: string;
  channelId?: string;
  command?: string;
  triggerId: string;
  responseUrl: string;
}

/** A slash command's fields, as Slack form-encodes them. */
export function slashCommand(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'fake',
    channel_id: input.channelId ?? 'C0GENERAL1',
    channel_name: 'general',
    user_id: input.userId ?? 'U0ALICE001',
    user_name: 'alice',
    command: input.command ?? '/data',
    text: input.text,
    api_app_id: API_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export function formEncode(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

let eventSeq = 0;

/** A fresh Events API event id. */
export function eventId(): string {
  return `Ev${Date.now().toString(36).toUpperCase()}${(++eventSeq).toString(36).toUpperCase()}${randomBytes(2).toString('hex').toUpperCase()}`;
}

/** An Events API `event_callback` envelope around one event. */
export function eventCallback(event: Record<string, unknown>, options: { eventId?: string; botUserId?: string } = {}): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: API_APP_ID,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? eventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: options.botUserId ?? 'U0NANSEN01', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: randomBytes(8).toString('hex'),
  };
}

let tsSeq = 0;

/** A message timestamp, unique within the process. */
export function messageTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(++tsSeq).padStart(6, '0')}`;
}

export function appMention(input: { text: string; user?: string; channel?: string; ts?: string; threadTs?: string; botUserId?: string }): Record<string, unknown> {
  const ts = input.ts ?? messageTs();
  return {
    type: 'app_mention',
    user: input.user ?? 'U0ALICE001',
    text: `<@${input.botUserId ?? 'U0NANSEN01'}> ${input.text}`,
    ts,
    channel: input.channel ?? 'C0GENERAL1',
    event_ts: ts,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
  };
}

export function directMessage(input: { text: string; user?: string; channel?: string; ts?: string; threadTs?: string }): Record<string, unknown> {
  const ts = input.ts ?? messageTs();
  return {
    type: 'message',
    channel_type: 'im',
    user: input.user ?? 'U0ALICE001',
    text: input.text,
    ts,
    channel: input.channel ?? 'D0ALICE001',
    event_ts: ts,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
  };
}

/** A `message` event in a channel (`message.channels`, or `message.groups` with `channelType: 'group'`), e.g. a thread reply. */
export function channelMessage(input: { text: string; user?: string; channel?: string; ts?: string; threadTs?: string; channelType?: 'channel' | 'group' }): Record<string, unknown> {
  const ts = input.ts ?? messageTs();
  return {
    type: 'message',
    channel_type: input.channelType ?? 'channel',
    user: input.user ?? 'U0ALICE001',
    text: input.text,
    ts,
    channel: input.channel ?? 'C0GENERAL1',
    event_ts: ts,
    ...(input.threadTs ? { thread_ts: input.threadTs, parent_user_id: 'U0ALICE001' } : {}),
  };
}

/** A direct message with a file attached (`subtype: file_share`), as Slack delivers it. */
export function directMessageWithFile(input: { text?: string; user?: string; channel?: string; name?: string }): Record<string, unknown> {
  const ts = messageTs();
  const name = input.name ?? 'query.png';
  return {
    type: 'message',
    subtype: 'file_share',
    channel_type: 'im',
    user: input.user ?? 'U0ALICE001',
    text: input.text ?? '',
    ts,
    channel: input.channel ?? 'D0ALICE001',
    event_ts: ts,
    upload: false,
    files: [{ id: `F0${randomBytes(4).toString('hex').toUpperCase()}`, name, title: name, mimetype: 'image/png', filetype: 'png', size: 1024, mode: 'hosted' }],
  };
}

export function appHomeOpened(user = 'U0ALICE001', tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab, event_ts: messageTs() };
}

export interface ActionInput {
  actionId: string;
  value?: string;
  blockId?: string;
  userId?: string;
  channelId?: string;
  triggerId: string;
  responseUrl?: string;
  messageTs?: string;
  /** Whether the message with the button is ephemeral (default true: the `/data` answers are); false: a posted message. */
  ephemeral?: boolean;
  /** The thread of the message with the button, when it sits in one. */
  threadTs?: string;
  /** An action from a view (modal or home) instead of a message. */
  view?: Record<string, unknown>;
  /** An overflow menu's chosen option instead of a button click. */
  selectedOption?: { text: string; value: string };
}

/** A `block_actions` payload for one button click. */
export function blockAction(input: ActionInput): Record<string, unknown> {
  const user = input.userId ?? 'U0ALICE001';
  return {
    type: 'block_actions',
    user: { id: user, username: 'alice', name: 'alice', team_id: TEAM_ID },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: input.view
      ? { type: 'view', view_id: input.view.id ?? 'V0HOME0001' }
      : { type: 'message', message_ts: input.messageTs ?? messageTs(), channel_id: input.channelId ?? 'C0GENERAL1', is_ephemeral: input.ephemeral ?? true },
    trigger_id: input.triggerId,
    team: { id: TEAM_ID, domain: 'fake' },
    is_enterprise_install: false,
    ...(input.view ? { view: input.view } : { channel: { id: input.channelId ?? 'C0GENERAL1', name: 'general' }, message: { type: 'message', ts: input.messageTs ?? messageTs(), text: '', ...(input.threadTs ? { thread_ts: input.threadTs } : {}) } }),
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    actions: [
      input.selectedOption
        ? {
            type: 'overflow',
            action_id: input.actionId,
            block_id: input.blockId ?? 'b0',
            selected_option: { text: { type: 'plain_text', text: input.selectedOption.text, emoji: true }, value: input.selectedOption.value },
            action_ts: `${Date.now() / 1000}`,
          }
        : {
            type: 'button',
            action_id: input.actionId,
            block_id: input.blockId ?? 'b0',
            text: { type: 'plain_text', text: 'button' },
            ...(input.value !== undefined ? { value: input.value } : {}),
            action_ts: `${Date.now() / 1000}`,
          },
    ],
  };
}

/** A `message_action` payload: a message shortcut used on a message (Slack's documented shape). */
export function messageShortcut(input: {
  callbackId: string;
  triggerId: string;
  responseUrl?: string;
  userId?: string;
  channelId?: string;
  message: { text?: string; user?: string; ts?: string; thread_ts?: string; files?: unknown[]; attachments?: unknown[]; blocks?: unknown[]; bot_id?: string };
}): Record<string, unknown> {
  const user = input.userId ?? 'U0ALICE001';
  const ts = input.message.ts ?? messageTs();
  return {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: TEAM_ID, domain: 'fake' },
    user: { id: user, username: 'alice', name: 'alice', team_id: TEAM_ID },
    channel: { id: input.channelId ?? 'C0GENERAL1', name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    message_ts: ts,
    message: { type: 'message', user: input.message.user ?? 'U0BOB00001', team: TEAM_ID, text: input.message.text ?? '', ...input.message, ts },
  };
}

/** What one input of a submitted view sent: typed text, or the state value of a select, checkboxes or radio buttons. */
export type SubmittedValue = string | { selected_users: string[] } | { selected_options: Array<{ value: string; text?: string }> } | { selected_option: { value: string; text?: string } | null };

/** An input's state value as Slack sends it in `view.state.values`. */
function stateValue(value: SubmittedValue): Record<string, unknown> {
  if (typeof value === 'string') return { type: 'plain_text_input', value };
  const option = (o: { value: string; text?: string }) => ({ text: { type: 'plain_text', text: o.text ?? o.value, emoji: true }, value: o.value });
  if ('selected_users' in value) return { type: 'multi_users_select', selected_users: value.selected_users };
  if ('selected_options' in value) return { type: 'checkboxes', selected_options: value.selected_options.map(option) };
  return { type: 'radio_buttons', selected_option: value.selected_option ? option(value.selected_option) : null };
}

/**
 * A `view_submission` payload for a modal, with the submitted values: `{ blockId: { actionId: value } }`, each value
 * typed text or a select's state. The view carries the callback id and private metadata the app set when it opened
 * the modal.
 */
export function viewSubmission(input: { view: Record<string, unknown>; values: Record<string, Record<string, SubmittedValue>>; userId?: string; triggerId: string }): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of Object.entries(input.values)) {
    values[blockId] = Object.fromEntries(Object.entries(actions).map(([actionId, value]) => [actionId, stateValue(value)]));
  }
  const user = input.userId ?? 'U0ALICE001';
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'fake' },
    user: { id: user, username: 'alice', name: 'alice', team_id: TEAM_ID },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    trigger_id: input.triggerId,
    view: { ...input.view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
  };
}

export interface SignedResponse {
  status: number;
  body: string;
  json?: unknown;
  ms: number;
}

/** Posts a body to a Bolt HTTP endpoint with Slack's signature headers (or the ones given). */
export function postSigned(
  url: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<SignedResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string | number> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
    ...options.headers,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: text, json, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends a slash command. */
export function postCommand(url: string, secret: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<SignedResponse> {
  return postSigned(url, secret, formEncode(fields), { headers });
}

/** Sends an interactive payload (block action, view submission), form-encoded as `payload=<json>`. */
export function postInteraction(url: string, secret: string, payload: Record<string, unknown>): Promise<SignedResponse> {
  return postSigned(url, secret, formEncode({ payload: JSON.stringify(payload) }));
}

/** Sends an Events API callback as JSON, with Slack's retry headers when it is a redelivery. */
export function postEvent(url: string, secret: string, envelope: Record<string, unknown>, retry?: { num: number; reason?: string }): Promise<SignedResponse> {
  return postSigned(url, secret, JSON.stringify(envelope), {
    contentType: 'application/json',
    headers: retry ? { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': retry.reason ?? 'http_timeout' } : {},
  });
}

/** A `link_shared` event (Slack's documented shape), for links a person posted in `channel` at `messageTs`. */
export function linkShared(input: { channel: string; messageTs: string; urls: string[]; user?: string }): Record<string, unknown> {
  return {
    type: 'link_shared',
    channel: input.channel,
    is_bot_user_member: true,
    user: input.user ?? 'U0ALICE001',
    message_ts: input.messageTs,
    unfurl_id: `${input.channel}.${input.messageTs}.${input.urls.length}`,
    source: 'conversations_history',
    links: input.urls.map((url) => ({ url, domain: /^[a-z]+:\/\/([^/]+)/i.exec(url)?.[1] ?? '' })),
    event_ts: input.messageTs,
  };
}
