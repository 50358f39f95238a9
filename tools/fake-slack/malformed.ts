/**
 * Malformed Slack request bodies for fuzzing a receiver: each one signed properly (so it passes the signature
 * check and reaches the parsing and routing code), with shapes Slack never sends. Deterministic for a seed.
 */
import { formEncode } from './payloads';
import { seededRandom } from '../random';

export interface MalformedBody {
  body: string;
  contentType: string;
}


const JSON_CT = 'application/json';
const FORM_CT = 'application/x-www-form-urlencoded';

/** Values that break code assuming objects and strings. */
const ODD: unknown[] = [null, 0, -1, 1e308, '', ' ', 'null', true, false, [], [null], {}, { type: null }, '\u0000', 'x'.repeat(5000), [[[[[]]]]], { __proto__: null }, { constructor: 1 }, { toString: 1 }];

/** Slack-looking skeletons whose fields get replaced by odd values. */
const SKELETONS: Array<Record<string, unknown>> = [
  { type: 'event_callback', team_id: 'T0FAKETEAM', api_app_id: 'A0NANSEN01', event_id: 'Ev1', event_time: 1, event: { type: 'app_mention', user: 'U1', text: 'hi', channel: 'C1', ts: '1.1' } },
  { type: 'event_callback', event_id: 'Ev2', event: { type: 'message', channel_type: 'im', user: 'U1', text: 'hi', channel: 'D1', ts: '1.2' } },
  { type: 'event_callback', event_id: 'Ev3', event: { type: 'app_home_opened', user: 'U1', tab: 'home' } },
  { type: 'url_verification', challenge: 'abc' },
  { type: 'block_actions', user: { id: 'U1' }, team: { id: 'T1' }, actions: [{ action_id: 'nansen.share', value: '{}', type: 'button' }], response_url: 'http://127.0.0.1:1/x', trigger_id: 't', container: { type: 'message' } },
  { type: 'view_submission', user: { id: 'U1' }, team: { id: 'T1' }, view: { id: 'V1', callback_id: 'nansen.edit.description', private_metadata: '{}', state: { values: {} } } },
  { type: 'view_closed', user: { id: 'U1' }, view: { callback_id: 'x' } },
  { type: 'shortcut', callback_id: 'x', user: { id: 'U1' } },
  { type: 'block_suggestion', action_id: 'x', value: 'y', user: { id: 'U1' } },
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** Replaces one field, at any depth, of a copy of `o` by `v`. */
function mutate(r: () => number, o: unknown, v: unknown, depth = 0): unknown {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return v;
  const copy: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (!keys.length) return v;
  const k = pick(r, keys);
  copy[k] = r() < 0.5 && depth < 4 ? mutate(r, copy[k], v, depth + 1) : v;
  if (r() < 0.1) delete copy[pick(r, keys)];
  return copy;
}

function jsonOf(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/** `count` malformed bodies: top-level non-objects, `payload=` non-objects, mutated Slack shapes, broken text. */
export function malformedBodies(count: number, seed = 11): MalformedBody[] {
  const r = seededRandom(seed);
  const out: MalformedBody[] = [];
  const fixed: MalformedBody[] = [
    { body: 'null', contentType: JSON_CT },
    { body: 'payload=null', contentType: FORM_CT },
    { body: '[]', contentType: JSON_CT },
    { body: '1', contentType: JSON_CT },
    { body: '"ssl_check"', contentType: JSON_CT },
    { body: 'payload=1', contentType: FORM_CT },
    { body: 'payload=%5B%5D', contentType: FORM_CT },
    { body: 'payload=', contentType: FORM_CT },
    { body: 'payload=%7B', contentType: FORM_CT },
    { body: '', contentType: JSON_CT },
    { body: '{', contentType: JSON_CT },
    { body: 'command=/data', contentType: FORM_CT },
    { body: 'command=/data&text=', contentType: FORM_CT },
    { body: 'payload=a&payload=b', contentType: FORM_CT },
    { body: '{"type":"event_callback","event":null}', contentType: JSON_CT },
    { body: '{"type":"url_verification"}', contentType: JSON_CT },
    { body: 'null', contentType: 'text/plain' },
  ];
  out.push(...fixed.slice(0, count));
  while (out.length < count) {
    const roll = r();
    if (roll < 0.15) {
      out.push({ body: jsonOf(pick(r, ODD)), contentType: pick(r, [JSON_CT, FORM_CT]) });
    } else if (roll < 0.3) {
      out.push({ body: formEncode({ payload: jsonOf(pick(r, ODD)) }), contentType: FORM_CT });
    } else if (roll < 0.65) {
      let v: unknown = pick(r, SKELETONS);
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) v = mutate(r, v, pick(r, ODD));
      const asForm = (v as { type?: unknown }).type !== 'event_callback' && r() < 0.7;
      out.push(asForm ? { body: formEncode({ payload: jsonOf(v) }), contentType: FORM_CT } : { body: jsonOf(v), contentType: JSON_CT });
    } else if (roll < 0.8) {
      const fields: Record<string, string> = { command: pick(r, ['/data', '/nope', '', '/data\u0000']), text: pick(r, ['', 'subscribe', 'subscribe hive://***********!', '<!channel>', 'x'.repeat(4000), 'history', 'mute']) };
      if (r() < 0.5) fields.user_id = pick(r, ['', 'U1', '\u0000']);
      if (r() < 0.5) fields.response_url = pick(r, ['', 'not a url', 'http://127.0.0.1:1/r']);
      if (r() < 0.3) fields.ssl_check = pick(r, ['0', '1', '']);
      out.push({ body: formEncode(fields), contentType: FORM_CT });
    } else {
      const good = jsonOf(pick(r, SKELETONS));
      const cut = good.slice(0, Math.floor(r() * good.length));
      const bytes = Array.from({ length: 1 + Math.floor(r() * 64) }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
      out.push({ body: pick(r, [cut, bytes, `${good}${bytes}`, `payload=${encodeURIComponent(cut)}`]), contentType: pick(r, [JSON_CT, FORM_CT, 'application/json; charset=utf-8', '']) });
    }
  }
  return out;
}
